# ruff: noqa: S608 - the SQL is built from integer ids of our own rows, never from input
"""Page latency at two sizes, side by side: does a page's cost grow with the data?

    python -m bench pages [--sizes small,large] [--requests 200] [--warmup 20] [--reuse]
                          [--database-url URL] [--ports 5109,5110]

The data of each size (bench/data.py) is built in its own database (`lc_bench_<size>`; with
`--reuse`, databases built earlier by `python -m bench data` are used as they are). Each size
gets its own `gunicorn wsgi:app` (2 workers) on 127.0.0.1; the timed requests alternate between
the sizes, page by page, so both see the same machine load. The observatory's pages are
visited as the bench's admin (a signed session cookie), as the association's staff see them;
their first visit counts and stores the figures (the warm-up), the timed visits read them.
For each page: median and p95 latency (after the warm-up), the page scale ratio (median at the largest size ÷ at the smallest,
target ≤ 1.3), the page vs floor ratio (÷ the median of GET /healthz on the same server), and the
SQL statements per request (counted with a SQLAlchemy event, in a test client of the app on the
same database: constant, ≤ 15, identical at every size). The peak RSS of a worker is read from
/proc during the run. Pages whose route does not exist (yet) are skipped.

Writes bench/results/pages-<UTC time>.json and prints a table; exits 1 if a query count differs
between sizes or exceeds 15, or a page answered anything but 200.
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
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from bench import data, loadgen
from bench.rules import RESULTS, ROOT, commit

MAX_QUERIES = 15
TARGET_SCALE = 1.3


def pages_of(world: data.World) -> dict[str, str]:
    return {
        "floor (/healthz)": "/healthz",
        "consultation": f"/consultations/{world.big_consultation}",
        "proposal list by supports": (
            f"/consultations/{world.big_consultation}/proposals?sort=supported"
        ),
        "proposal with comments": f"/proposals/{world.hot_proposal}",
        "city pathway": f"/cities/{world.city_slug}",
        "city step with record": f"/cities/{world.city_slug}/steps/8",
        "results": f"/consultations/{world.budget_consultation}/results",
        "observatory (association)": "/observatory/",
        "observatory of the city": f"/observatory/cities/{world.city_slug}",
        "observatory of a consultation": f"/observatory/consultations/{world.big_consultation}",
    }


# Pages only the association's staff may see: visited with the bench admin's session cookie.
SIGNED_IN = ("observatory",)


def signed_in(name: str) -> bool:
    return name.startswith(SIGNED_IN)


def find_world(url: str, size: str) -> data.World:
    """The World of a database built earlier (the same recipe finds the same rows)."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as c:
            q = c.exec_driver_sql
            big = q("SELECT id FROM consultations ORDER BY id LIMIT 1").scalar()
            budget = q(
                "SELECT id FROM consultations WHERE voting_method = 'budget' ORDER BY id LIMIT 1"
            ).scalar()
            hot = q(
                f"SELECT id FROM proposals WHERE consultation_id = {big} ORDER BY "
                "comments_for + comments_against + comments_neutral DESC, id LIMIT 1"
            ).scalar()
            slug = q(
                f"SELECT c.slug FROM cities c JOIN consultations k ON k.city_id = c.id "
                f"WHERE k.id = {big}"
            ).scalar()
            admin = q("SELECT min(id) FROM users").scalar()
    finally:
        engine.dispose()
    return data.World(size, slug, big, hot, budget, admin, {})


def count_queries(url: str, paths: dict[str, str], cookie: str) -> dict[str, int | None]:
    """SQL statements per page, anonymous or (`signed_in` pages) with the bench admin's session
    `cookie` (None: the route does not exist)."""
    app = data.bench_app(url, SECRET_KEY=loadgen.SECRET)
    counts: dict[str, int | None] = {}
    with app.app_context():
        from app.extensions import db

        engine = db.engine
    # Each request in its own application context, as on a server: one held open around them
    # would share `g` (the signed-in user) and the database session between requests.
    statements = []

    def count(*_args, **_kwargs) -> None:
        statements.append(1)

    sa.event.listen(engine, "before_cursor_execute", count)
    anonymous = app.test_client()
    staff = app.test_client()
    staff.set_cookie(*cookie.split("=", 1))
    for client in (anonymous, staff):
        client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    for name, path in paths.items():
        client = staff if signed_in(name) else anonymous
        client.get(path)  # warm caches (templates, translations) as a running server has
        statements.clear()
        status = client.get(path).status_code
        counts[name] = None if status == 404 else len(statements)
    sa.event.remove(engine, "before_cursor_execute", count)
    engine.dispose()
    return counts


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench pages", description=__doc__)
    parser.add_argument("--sizes", default="small,large")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--reuse", action="store_true", help="use lc_bench_<size> as built")
    parser.add_argument("--database-url", help="a PostgreSQL server URL (any database name)")
    parser.add_argument("--ports", default="5109,5110")
    options = parser.parse_args(argv)
    sizes = options.sizes.split(",")
    ports = [int(p) for p in options.ports.split(",")]
    if len(ports) < len(sizes):
        parser.error("one port per size")

    if options.database_url:
        base = sa.engine.make_url(options.database_url)
        urls = {
            s: base.set(database=f"lc_bench_{s}").render_as_string(hide_password=False)
            for s in sizes
        }
    else:
        postgres = loadgen.LocalPostgres(loadgen.BENCH_PGPORT, keep=True)
        postgres.ensure()
        urls = {s: postgres.url(f"lc_bench_{s}") for s in sizes}
    worlds: dict[str, data.World] = {}
    for size in sizes:
        if options.reuse:
            worlds[size] = find_world(urls[size], size)
        else:
            print(f"building {size} …", flush=True)
            worlds[size] = data.seed(urls[size], data.SIZES[size])

    report: dict[str, Any] = {
        "bench": "pages",
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": commit(),
        "machine": platform.platform(),
        "cpus": os.cpu_count(),
        "load_average_before": os.getloadavg(),
        "database": "postgresql",
        "sizes": {s: asdict(data.SIZES[s]) for s in sizes},
        "worlds": {s: asdict(w) for s, w in worlds.items()},
        "requests": options.requests,
        "warmup": options.warmup,
        "workers": 2,
    }
    paths = {s: pages_of(worlds[s]) for s in sizes}
    cookies = {
        s: loadgen.signed_in(data.bench_app(urls[s], SECRET_KEY=loadgen.SECRET), [w.admin_user])[
            0
        ].cookie
        for s, w in worlds.items()
    }
    queries = {s: count_queries(urls[s], paths[s], cookies[s]) for s in sizes}
    names = [n for n in paths[sizes[0]] if all(queries[s][n] is not None for s in sizes)]
    skipped = [n for n in paths[sizes[0]] if n not in names]

    logs = Path(tempfile.mkdtemp(prefix="lc-bench-pages-"))
    servers = {
        s: loadgen.AppServer(port, urls[s], workers=2, log=logs / f"gunicorn-{s}.log")
        for s, port in zip(sizes, ports, strict=False)
    }
    latencies: dict[str, dict[str, list[float]]] = {s: {} for s in sizes}
    statuses: dict[str, dict[str, set[int]]] = {s: {} for s in sizes}
    stop_sampling = threading.Event()
    try:
        for server in servers.values():
            server.start()
        for server in servers.values():
            server.wait_ready()

        def sample() -> None:
            while not stop_sampling.wait(0.5):
                for server in servers.values():
                    server.sample_rss()

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        for name in names:
            for size in sizes:
                cookie = cookies[size] if signed_in(name) else None
                for _ in range(options.warmup):
                    loadgen.request(servers[size].port, "GET", paths[size][name], cookie=cookie)
            for _ in range(options.requests):
                for size in sizes:  # alternate: both sizes see the same load
                    cookie = cookies[size] if signed_in(name) else None
                    answer = loadgen.request(
                        servers[size].port, "GET", paths[size][name], cookie=cookie
                    )
                    latencies[size].setdefault(name, []).append(answer.seconds * 1000)
                    statuses[size].setdefault(name, set()).add(answer.status)
            print(f"  measured {name}", flush=True)
    finally:
        stop_sampling.set()
        for server in servers.values():
            server.stop()

    small, large = sizes[0], sizes[-1]
    rows: dict[str, Any] = {}
    failed = False
    for name in names:
        row: dict[str, Any] = {}
        for size in sizes:
            values = latencies[size][name]
            row[size] = {
                "median_ms": round(statistics.median(values), 2),
                "p95_ms": round(_quantile(values, 0.95), 2),
                "statuses": sorted(statuses[size][name]),
                "queries": queries[size][name],
            }
        for size in sizes:
            floor = row[size]["median_ms"] if name == "floor (/healthz)" else None
            floor = floor or statistics.median(latencies[size]["floor (/healthz)"])
            row[size]["vs_floor"] = round(row[size]["median_ms"] / floor, 2)
        row["scale_ratio"] = round(row[large]["median_ms"] / row[small]["median_ms"], 3)
        counts = {queries[s][name] for s in sizes}
        row["queries_constant"] = len(counts) == 1 and max(counts) <= MAX_QUERIES
        answered = all(row[s]["statuses"] == [200] for s in sizes)
        failed = failed or not row["queries_constant"] or not answered
        rows[name] = row
    rss = max((mb for s in servers.values() for mb in s.peak_rss.values()), default=None)
    report.update(
        {
            "pages": rows,
            "skipped_missing_routes": skipped,
            "peak_worker_rss_mb": None if rss is None else round(rss, 1),
            "load_average_after": os.getloadavg(),
        }
    )
    print(
        f"{'page':<28} {small + ' ms':>10} {large + ' ms':>10} {'p95 ' + large:>10} "
        f"{'scale':>6} {'÷floor':>7} {'queries':>9}"
    )
    for name, row in rows.items():
        q = "/".join(str(row[s]["queries"]) for s in sizes)
        flag = "" if row["scale_ratio"] <= TARGET_SCALE else "  > 1.3"
        print(
            f"{name:<28} {row[small]['median_ms']:>10.1f} {row[large]['median_ms']:>10.1f} "
            f"{row[large]['p95_ms']:>10.1f} {row['scale_ratio']:>6.2f} "
            f"{row[large]['vs_floor']:>7.1f} {q:>9}{flag}"
        )
    if skipped:
        print(f"skipped (no such route): {', '.join(skipped)}")
    print(f"peak worker RSS: {report['peak_worker_rss_mb']} MB")
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = RESULTS / f"pages-{stamp}.json"
    path.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"written {path.relative_to(ROOT)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
