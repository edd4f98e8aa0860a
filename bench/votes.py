"""Vote throughput, and zero lost or duplicated votes: two gunicorn app servers on one
PostgreSQL, concurrent signed-in clients casting supports, withdrawals and budget ballots.

    python -m bench votes [--clients 40] [--users 400] [--seconds 30] [--workers 2]
                          [--database-url URL] [--ports 5111,5112]

Each client is a thread with plain http.client, signed in as its own user (a session cookie
signed with the servers' key, and the form's CSRF token), posting the real forms. First the
trivial route (GET /healthz) is loaded with the same clients for `--seconds / 3`: the floor.
Then the votes for `--seconds`. Then the recount (bench/loadgen.py: recount): every answer a
client saw must be in the database and nothing else; counters equal recounts; the limit holds;
one ballot per person, none partial; and no 5xx or unanswered request. Exits 1 if any of that
fails.

Writes bench/results/votes-<UTC time>.json and prints a table.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import loadgen
from bench.rules import RESULTS, ROOT, commit


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench votes", description=__doc__)
    parser.add_argument("--clients", type=int, default=40)
    parser.add_argument("--users", type=int, default=400, help="voters (≥ clients)")
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--workers", type=int, default=2, help="per app server")
    parser.add_argument("--database-url", help="a PostgreSQL server URL; its database is rebuilt")
    parser.add_argument("--ports", default="5111,5112")
    options = parser.parse_args(argv)
    ports = [int(p) for p in options.ports.split(",")]
    users = max(options.users, options.clients)

    postgres = None
    url = options.database_url
    if not url:
        postgres = loadgen.LocalPostgres(loadgen.BENCH_PGPORT, keep=True)
        postgres.ensure()
        url = postgres.url("lc_bench_votes")
    print(f"seeding {users} voters …", flush=True)
    world = loadgen.seed_vote_world(url, users)
    logs = Path(tempfile.mkdtemp(prefix="lc-bench-votes-"))
    servers = [
        loadgen.AppServer(port, url, workers=options.workers, log=logs / f"gunicorn-{port}.log")
        for port in ports
    ]
    report: dict[str, Any] = {
        "bench": "votes",
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": commit(),
        "machine": platform.platform(),
        "cpus": os.cpu_count(),
        "load_average_before": os.getloadavg(),
        "database": "postgresql",
        "servers": len(servers),
        "workers_per_server": options.workers,
        "clients": options.clients,
        "users": users,
        "seconds": options.seconds,
    }
    try:
        for server in servers:
            server.start()
        for server in servers:
            server.wait_ready()
        from bench.data import bench_app

        app = bench_app(url, SECRET_KEY=loadgen.SECRET)
        identities = loadgen.signed_in(app, world.user_ids)
        floor = loadgen.trivial_rate(ports, options.clients, max(5.0, options.seconds / 3))
        stop_sampling = threading.Event()

        def sample() -> None:
            while not stop_sampling.wait(0.5):
                for server in servers:
                    server.sample_rss()

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        until = time.monotonic() + options.seconds
        voters = [
            loadgen.Voter(identities[i], world, ports, index=i, ops=None, until=until)
            for i in range(options.clients)
        ]
        elapsed = loadgen.run_voters(voters)
        stop_sampling.set()
        sampler.join()
        figures = loadgen.recount(world, voters)
    finally:
        for server in servers:
            server.stop()
    ops = [op for voter in voters for op in voter.state.ops]
    answered = [op for op in ops if 300 <= op.status < 500]
    rate = len(answered) / elapsed
    latencies = [op.seconds * 1000 for op in answered]
    failures = loadgen.problems(figures)
    # No crash here: a request without an answer or with a 5xx is a failure of its own.
    server_errors = sum(1 for op in ops if op.status == 0 or op.status >= 500)
    if server_errors:
        failures["server_errors"] = server_errors
    rss = max((mb for server in servers for mb in server.peak_rss.values()), default=None)
    report.update(
        {
            "trivial_rps": round(floor, 1),
            "vote_rps": round(rate, 1),
            "vote_vs_trivial_ratio": round(rate / floor, 3) if floor else None,
            "vote_median_ms": round(statistics.median(latencies), 1) if latencies else None,
            "vote_p95_ms": round(_quantile(latencies, 0.95), 1) if latencies else None,
            "requests": len(ops),
            "server_errors": server_errors,
            "answers": loadgen.op_summary(voters),
            "recount": figures,
            "zero_lost_or_duplicated": not failures,
            "peak_worker_rss_mb": None if rss is None else round(rss, 1),
            "load_average_after": os.getloadavg(),
        }
    )
    print(f"{'figure':<34} value")
    for key in (
        "trivial_rps", "vote_rps", "vote_vs_trivial_ratio", "vote_median_ms", "vote_p95_ms",
        "requests", "server_errors", "peak_worker_rss_mb",
    ):  # fmt: skip
        print(f"{key:<34} {report[key]}")
    print(f"{'answers':<34} {report['answers']}")
    print(f"{'recount':<34} {'OK' if not failures else 'FAILED ' + str(failures)} {figures}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = RESULTS / f"votes-{stamp}.json"
    path.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"written {path.relative_to(ROOT)}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
