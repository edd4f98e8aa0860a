# ruff: noqa: S608 - the SQL is built from integer ids of our own rows, never from input
"""Every page at two sizes, under concurrent keep-alive connections, side by side.

    python -m bench pages [--sizes small,large] [--reuse] [--requests 200] [--warmup 20]
                          [--connections 4] [--workers 2] [--worker-class sync]
                          [--only SUBSTRING] [--all-roles] [--database-url URL]

The pages are found in the app's URL map (bench/discover.py): every GET route, its arguments
filled from the data set, plus the proposal list's sorts, a search and late pages of a cursor;
routes under /api/ as soon as they exist. Each page is visited by each role (anonymous, then the
signed-in citizen, organisation, moderator, observer and admin, each logged in through the log-in
form): it is measured as the first role that gets a 200 (and the main pages as every role, or all
pages with --all-roles). Pages no role can open are listed with their statuses.

Each size has its database (bench/data.py) and its own `gunicorn wsgi:app` (sync workers, as
deploy/systemd runs it) on 127.0.0.1. For each page: warm-up, then `--requests` timed GETs per
size over `--connections` keep-alive connections at once, the sizes alternating in rounds so both
see the same machine load. Figures: p50 and p95 latency, requests per second, the scale ratio
(p50 large ÷ p50 small; the results page per project shown), SQL statements per request (a test
client of the app on the same database, each size), and every worker's peak RSS (VmHWM, from
/proc, sampled during the run).

Targets (bench/targets.py, docs/benchmarks.md): scale ≤ 1.3, statements ≤ 15 and identical at
both sizes, p95 < 250 ms at the large size, status 200, VmHWM < 250 MB. Writes
bench/results/pages-<UTC time>.json, prints a table per role and every miss, exits 1 if any.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import re
import signal
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from bench import data, discover, features, loadgen, targets
from bench.rules import RESULTS, ROOT, commit

ROLES = ("anonymous", *features.ROLES)
# Pages that differ for each visitor: measured as every role that may open them.
EVERY_ROLE = {"main.home", "consultations.show", "proposals.index", "proposals.show", "cities.show"}
FLOOR = "/healthz"


# --------------------------------------------------------------------------------------------
# The data set's values for the routes' arguments


def page_values(url: str, world: data.World) -> tuple[dict, dict]:
    """(values by argument name, overrides by endpoint) for bench/discover.py, read from the
    database built by bench/data.py."""
    engine = sa.create_engine(url)
    big, budget, hot = world.big_consultation, world.budget_consultation, world.hot_proposal
    try:
        with engine.connect() as c:

            def one(sql: str):
                return c.exec_driver_sql(sql).scalar()

            city = one(f"SELECT id FROM cities WHERE slug = '{world.city_slug}'")
            count = one(f"SELECT count(*) FROM proposals WHERE consultation_id = {big}")
            deep = max(0, int(count * 0.9) - 1)
            supported = c.exec_driver_sql(
                f"SELECT supports_count, id FROM proposals WHERE consultation_id = {big} "
                f"AND status = 'published' ORDER BY supports_count DESC, id DESC OFFSET {deep} LIMIT 1"
            ).first()
            newest = c.exec_driver_sql(
                "SELECT (extract(epoch FROM created_at) * 1000000)::bigint, id FROM proposals "
                f"WHERE consultation_id = {big} AND status = 'published' "
                f"ORDER BY created_at DESC, id DESC OFFSET {deep} LIMIT 1"
            ).first()
            roots = one(
                f"SELECT count(*) FROM comments WHERE proposal_id = {hot} AND depth = 0 "
                "AND status = 'published'"
            )
            values = {
                "slug": world.city_slug,
                "position": 8,
                "key": one("SELECT key FROM pathway_steps WHERE position = 8"),
                "consultation_id": big,
                "proposal_id": hot,
                "comment_id": one(f"SELECT min(id) FROM comments WHERE proposal_id = {hot}"),
                "question_id": one(
                    "SELECT min(q.id) FROM questionnaire_questions q JOIN questionnaires f "
                    f"ON f.id = q.questionnaire_id WHERE f.consultation_id = {big}"
                ),
                "expenditure_id": one(f"SELECT min(id) FROM expenditures WHERE city_id = {city}"),
                "practice_id": one("SELECT min(id) FROM good_practices WHERE status = 'approved'"),
                "number": one("SELECT max(number) FROM manifesto_versions"),
                "meeting_id": one(
                    f"SELECT id FROM meetings WHERE city_id = {city} AND starts_at > now() "
                    "ORDER BY starts_at, id LIMIT 1"
                ),
                "project_id": one(f"SELECT min(id) FROM projects WHERE consultation_id = {budget}"),
                "milestone_id": one(
                    "SELECT min(m.id) FROM project_milestones m JOIN projects p "
                    f"ON p.id = m.project_id WHERE p.consultation_id = {budget}"
                ),
                "user_id": one("SELECT id FROM users WHERE email = 'citizen@bench.example.org'"),
                "target_type": "proposal",
                "target_id": hot,
                "kind": "proposal",
                "item_id": hot,
                "operator_id": one("SELECT min(id) FROM participation_operators"),
                "engagement_id": one("SELECT min(id) FROM operator_engagements"),
                "sub_step_id": one("SELECT min(id) FROM pathway_sub_steps"),
                "module_id": one("SELECT min(id) FROM training_modules"),
                "attachment_id": one("SELECT min(id) FROM attachments"),
                "batch_id": one("SELECT min(id) FROM paper_ballot_batches")
                if _has_table(c, "paper_ballot_batches")
                else None,
                "block_id": None,
                "fmt": "csv",
                "variant": "small",
                "deep_supported": None if supported is None else f"a:{supported[0]}:{supported[1]}",
                "deep_newest": None if newest is None else f"a:{newest[0]}:{newest[1]}",
                "deep_comments": max(1, -(-roots // 50)) if roots else None,
            }
            budget_proposal = one(f"SELECT min(id) FROM proposals WHERE consultation_id = {budget}")
            course = one("SELECT slug FROM training_courses ORDER BY id LIMIT 1")
            organisation = one("SELECT slug FROM organisations ORDER BY id LIMIT 1")
    finally:
        engine.dispose()
    on_budget = {"consultation_id": budget}
    overrides: dict[str, dict] = {
        endpoint: on_budget
        for endpoint in (
            "results.show", "results.ballots_csv", "results.ballots_pb", "results.snapshot_json",
            "review.board", "voting.ballot", "voting.cast", "voting.receipt", "voting.paper",
            "voting.paper_batch", "projects.consultation", "projects.consultation_export",
        )
    }  # fmt: skip
    overrides["review.assess"] = {"proposal_id": budget_proposal}
    overrides["results.respond"] = {"proposal_id": budget_proposal}
    for endpoint in ("training.course", "training.edit_course", "training.new_module"):
        overrides[endpoint] = {"slug": course}
    overrides["organisations.show"] = {"slug": organisation}
    return values, overrides


def _has_table(connection, name: str) -> bool:
    return sa.inspect(connection).has_table(name)


# --------------------------------------------------------------------------------------------
# Logging in through the app


CSRF = re.compile(rb'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_of(html: bytes) -> str:
    found = CSRF.search(html)
    if found is None:
        raise RuntimeError("no csrf_token in the log-in form")
    return found.group(1).decode()


def log_in_client(client, role: str) -> None:
    """Sign a Flask test client in as `role` through the log-in form."""
    page = client.get("/account/login")
    answer = client.post(
        "/account/login",
        data={
            "email": features.role_email(role),
            "password": features.PASSWORD,
            "csrf_token": csrf_of(page.data),
        },
    )
    if answer.status_code != 302:
        raise RuntimeError(f"{role} could not log in ({answer.status_code})")


def log_in_http(port: int, role: str) -> str:
    """The session cookie of `role`, logged in through the running server's form."""
    headers = {"Accept-Language": "en"}
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", "/account/login", headers=headers)
        response = connection.getresponse()
        form = {
            "email": features.role_email(role),
            "password": features.PASSWORD,
            "csrf_token": csrf_of(response.read()),
        }
        headers["Cookie"] = _cookie(response)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.close()
        connection.request("POST", "/account/login", urllib.parse.urlencode(form), headers)
        response = connection.getresponse()
        response.read()
        if response.status != 302:
            raise RuntimeError(f"{role} could not log in on {port} ({response.status})")
        return _cookie(response)
    finally:
        connection.close()


def _cookie(response) -> str:
    cookies = [
        value.split(";", 1)[0] for name, value in response.getheaders() if name == "Set-Cookie"
    ]
    return "; ".join(cookies)


# --------------------------------------------------------------------------------------------
# Counting statements, and finding who may open what


def probe(url: str, pages: list[discover.Page]) -> dict[str, dict[str, tuple[int, int]]]:
    """{role: {page name: (status, statements)}}: each role's test client visits each page
    twice (the first warms the caches, as a running server has them) and the second is
    counted."""
    app = data.bench_app(url, SECRET_KEY=loadgen.SECRET)
    with app.app_context():
        from app.extensions import db

        engine = db.engine
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    sa.event.listen(engine, "before_cursor_execute", count)
    found: dict[str, dict[str, tuple[int, int]]] = {}
    try:
        for role in ROLES:
            client = app.test_client()
            client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
            if role != "anonymous":
                log_in_client(client, role)
            seen = found.setdefault(role, {})
            for page in pages:
                client.get(page.path)
                statements.clear()
                status = client.get(page.path).status_code
                seen[page.name] = (status, len(statements))
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)
        engine.dispose()
    return found


def plan(
    pages: list[discover.Page], probes: dict[str, dict[str, dict[str, tuple[int, int]]]],
    *, all_roles: bool,
) -> tuple[list[tuple[discover.Page, str]], dict[str, str]]:  # fmt: skip
    """(page, role) pairs to measure: a page as the first role that gets 200 at every size (as
    every such role for EVERY_ROLE pages or with `all_roles`); and the pages no role opens,
    with the statuses seen."""
    measured, closed = [], {}
    for page in pages:
        roles = [
            role
            for role in ROLES
            if all(size_probes[role][page.name][0] == 200 for size_probes in probes.values())
        ]
        if not roles:
            seen = {
                role: sorted({p[role][page.name][0] for p in probes.values()}) for role in ROLES
            }
            closed[page.name] = ", ".join(
                f"{role} {'/'.join(map(str, s))}" for role, s in seen.items()
            )
            continue
        every = all_roles or page.name in EVERY_ROLE
        measured.extend((page, role) for role in (roles if every else roles[:1]))
    return measured, closed


# --------------------------------------------------------------------------------------------
# Load: N keep-alive connections


@dataclass
class Burst:
    latencies_ms: list[float] = field(default_factory=list)
    statuses: set[int] = field(default_factory=set)
    seconds: float = 0.0
    connections_opened: int = 0


def burst(port: int, path: str, cookie: str | None, requests: int, connections: int) -> Burst:
    """`requests` GETs of `path` over `connections` keep-alive connections at once. A server
    that closes the connection after an answer (gunicorn's sync workers do) costs a new one,
    counted in `connections_opened`."""
    result = Burst()
    lock = threading.Lock()
    left = [requests]
    headers = {"Accept-Language": "en"}
    if cookie:
        headers["Cookie"] = cookie

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        opened = 0
        try:
            while True:
                with lock:
                    if left[0] <= 0:
                        break
                    left[0] -= 1
                if connection.sock is None:
                    opened += 1
                start = time.perf_counter()
                try:
                    connection.request("GET", path, headers=headers)
                    response = connection.getresponse()
                    response.read()
                    status = response.status
                    if response.will_close:
                        connection.close()
                except (OSError, http.client.HTTPException):
                    connection.close()
                    status = 0
                elapsed = (time.perf_counter() - start) * 1000
                with lock:
                    result.latencies_ms.append(elapsed)
                    result.statuses.add(status)
        finally:
            connection.close()
            with lock:
                result.connections_opened += opened

    threads = [threading.Thread(target=client) for _ in range(connections)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.seconds = time.perf_counter() - start
    return result


class GunicornServer(loadgen.AppServer):
    """loadgen's server with the worker class of production (sync, deploy/systemd)."""

    def __init__(self, *args, worker_class: str = "sync", threads: int = 1, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.worker_class = worker_class
        self.threads = threads

    def start(self) -> GunicornServer:
        extra = f"--worker-class {self.worker_class} --threads {self.threads}"
        os.environ["GUNICORN_CMD_ARGS"] = extra
        try:
            super().start()
        finally:
            os.environ.pop("GUNICORN_CMD_ARGS", None)
        return self


# --------------------------------------------------------------------------------------------


def _items_shown(url: str, world: data.World) -> int:
    """The projects the results page lists: every proposal of the budget consultation."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as c:
            return c.exec_driver_sql(
                "SELECT count(*) FROM proposals WHERE consultation_id = "
                f"{world.budget_consultation}"
            ).scalar()
    finally:
        engine.dispose()


# Pages whose content grows with a count at the large size by design: the scale ratio is
# compared per item shown (docs/benchmarks.md).
PER_ITEM = {"results.show"}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench pages", description=__doc__)
    parser.add_argument("--sizes", default="small,large")
    parser.add_argument("--requests", type=int, default=200, help="timed requests per size")
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=4, help="alternations between sizes")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--worker-class", default="sync")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument(
        "--only", help="measure only the pages whose name contains one of these (a,b,…)"
    )
    parser.add_argument("--all-roles", action="store_true")
    parser.add_argument("--reuse", action="store_true", help="use lc_bench_<size> as built")
    parser.add_argument("--database-url", help="a PostgreSQL server URL (any database name)")
    parser.add_argument("--ports", default="5109,5110")
    options = parser.parse_args(argv)
    # A SIGTERM (a stopped run) still stops the servers, in `finally` below.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
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
            worlds[size] = data.find_world(urls[size], size)
        else:
            print(f"building {size} …", flush=True)
            worlds[size] = data.seed(urls[size], data.SIZES[size])

    from app import create_app

    url_map = create_app(
        {"SQLALCHEMY_DATABASE_URI": urls[sizes[0]], "SECRET_KEY": loadgen.SECRET}
    ).url_map
    discovered = {}
    for size in sizes:
        values, overrides = page_values(urls[size], worlds[size])
        discovered[size] = discover.discover(url_map, values, overrides)
    # A page is compared when every size has it (same name).
    names = [p.name for p in discovered[sizes[0]].pages]
    common = set.intersection(*({p.name for p in d.pages} for d in discovered.values()))
    pages = {s: {p.name: p for p in d.pages if p.name in common} for s, d in discovered.items()}
    wanted = options.only.split(",") if options.only else [""]
    chosen = [pages[sizes[0]][n] for n in names if n in common and any(w in n for w in wanted)]
    print(f"{len(chosen)} pages found in the URL map; probing each role …", flush=True)
    probes = {s: probe(urls[s], [pages[s][p.name] for p in chosen]) for s in sizes}
    measured, closed = plan(chosen, probes, all_roles=options.all_roles)
    print(f"{len(measured)} (page, role) pairs to measure", flush=True)

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
        "options": vars(options),
    }
    logs = Path(tempfile.mkdtemp(prefix="lc-bench-pages-"))
    servers = {
        s: GunicornServer(
            port, urls[s], workers=options.workers, log=logs / f"gunicorn-{s}.log",
            worker_class=options.worker_class, threads=options.threads,
        )
        for s, port in zip(sizes, ports, strict=False)
    }  # fmt: skip
    results: dict[tuple[str, str], dict[str, Burst]] = {}
    peaks: dict[tuple[str, str], dict[str, float]] = defaultdict(dict)
    stop_sampling = threading.Event()
    try:
        for server in servers.values():
            server.start()
        for server in servers.values():
            server.wait_ready()
        cookies = {s: {r: log_in_http(servers[s].port, r) for r in features.ROLES} for s in sizes}

        def sample() -> None:
            while not stop_sampling.wait(0.25):
                for server in servers.values():
                    server.sample_rss()

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        floor_page = discover.Page("floor (/healthz)", FLOOR, "main.healthz")
        for page, role in [(floor_page, "anonymous"), *measured]:
            per_size = {s: Burst() for s in sizes}
            for size in sizes:
                path = pages[size][page.name].path if page is not floor_page else FLOOR
                cookie = cookies[size].get(role)
                burst(servers[size].port, path, cookie, options.warmup, options.connections)
            share = max(1, options.requests // options.rounds)
            for _ in range(options.rounds):
                for size in sizes:
                    path = pages[size][page.name].path if page is not floor_page else FLOOR
                    one = burst(
                        servers[size].port, path, cookies[size].get(role), share,
                        options.connections,
                    )  # fmt: skip
                    total = per_size[size]
                    total.latencies_ms += one.latencies_ms
                    total.statuses |= one.statuses
                    total.seconds += one.seconds
                    total.connections_opened += one.connections_opened
            results[(page.name, role)] = per_size
            for size in sizes:  # which page raised a worker's peak: the memory culprit
                servers[size].sample_rss()
                peaks[(page.name, role)][size] = max(servers[size].peak_rss.values(), default=0)
            print(f"  {role:<12} {page.name}", flush=True)
    finally:
        stop_sampling.set()
        for server in servers.values():
            server.sample_rss()
            server.stop()

    small, large = sizes[0], sizes[-1]
    items = {s: _items_shown(urls[s], worlds[s]) for s in sizes}
    floor = {s: targets.percentile(results[("floor (/healthz)", "anonymous")][s].latencies_ms, 50)
             for s in sizes}  # fmt: skip
    rows: list[dict[str, Any]] = []
    misses: list[targets.Miss] = []
    for (name, role), per_size in results.items():
        endpoint = pages[small][name].endpoint if name in pages[small] else "main.healthz"
        row: dict[str, Any] = {"page": name, "role": role, "endpoint": endpoint}
        for size in sizes:
            burst_ = per_size[size]
            p50 = targets.percentile(burst_.latencies_ms, 50)
            row[size] = {
                "path": pages[size][name].path if name in pages[size] else FLOOR,
                "p50_ms": round(p50, 2),
                "p95_ms": round(targets.percentile(burst_.latencies_ms, 95), 2),
                "requests_per_s": round(len(burst_.latencies_ms) / burst_.seconds, 1),
                "statuses": sorted(burst_.statuses),
                "statements": probes[size][role][name][1] if name in pages[size] else 0,
                "vs_floor": round(p50 / floor[size], 2),
                "connections_opened": burst_.connections_opened,
            }
        for size in sizes:
            row[size]["worker_peak_rss_after_mb"] = round(peaks[(name, role)].get(size, 0), 1)
        per_item = endpoint in PER_ITEM
        row["scale"] = round(
            targets.scale_ratio(
                row[small]["p50_ms"], row[large]["p50_ms"],
                items[small] if per_item else 1, items[large] if per_item else 1,
            ), 3,
        )  # fmt: skip
        row["scale_per_item_shown"] = per_item
        found = targets.check_page(
            f"{name} ({role})",
            scale=row["scale"],
            statements={s: row[s]["statements"] for s in sizes},
            p95_large_ms=row[large]["p95_ms"],
            statuses=set().union(*(set(row[s]["statuses"]) for s in sizes)),
        )
        row["misses"] = [str(m) for m in found]
        misses += found
        rows.append(row)
    rss = {s: {str(pid): round(mb, 1) for pid, mb in servers[s].peak_rss.items()} for s in sizes}
    peak = max((mb for s in sizes for mb in servers[s].peak_rss.values()), default=None)
    misses += targets.check_memory(peak)
    report.update(
        {
            "pages": rows,
            "not_opened_by_any_role": closed,
            "uncovered_routes": discovered[large].uncovered,
            "worker_peak_rss_mb": rss,
            "peak_worker_rss_mb": None if peak is None else round(peak, 1),
            "misses": [str(m) for m in misses],
            "load_average_after": os.getloadavg(),
        }
    )
    print_table(rows, small, large)
    if closed:
        print(f"\nopened by no role ({len(closed)}):")
        for name, seen in closed.items():
            print(f"  {name}: {seen}")
    if discovered[large].uncovered:
        print(f"\nroutes not covered ({len(discovered[large].uncovered)}):")
        for rule, why in discovered[large].uncovered.items():
            print(f"  {rule}: {why}")
    print("\npeak RSS (VmHWM) per worker, MB:", json.dumps(rss))
    for size in sizes:
        before = 0.0
        for row in rows:
            after = row[size]["worker_peak_rss_after_mb"]
            if after - before >= 5 and before:
                print(f"  {size}: {row['page']} ({row['role']}) raised the peak to {after} MB")
            before = max(before, after)
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = RESULTS / f"pages-{stamp}.json"
    path.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"written {path.relative_to(ROOT)}")
    if misses:
        print(f"\n{len(misses)} target(s) missed:")
        for miss in misses:
            print(f"  MISSED {miss}")
        return 1
    print("every target met")
    return 0


def print_table(rows: list[dict], small: str, large: str) -> None:
    by_role: dict[str, list[dict]] = {}
    for row in rows:
        by_role.setdefault(row["role"], []).append(row)
    for role, group in by_role.items():
        print(f"\n== {role}")
        print(
            f"{'page':<44} {'p50 ' + small:>9} {'p50 ' + large:>9} {'p95 ' + large:>9} "
            f"{'req/s':>6} {'scale':>6} {'stmts':>6}"
        )
        for row in group:
            flag = "  MISSED: " + "; ".join(row["misses"]) if row["misses"] else ""
            statements = f"{row[small]['statements']}/{row[large]['statements']}"
            print(
                f"{row['page'][:44]:<44} {row[small]['p50_ms']:>9.1f} {row[large]['p50_ms']:>9.1f} "
                f"{row[large]['p95_ms']:>9.1f} {row[large]['requests_per_s']:>6.1f} "
                f"{row['scale']:>6.2f} {statements:>6}{flag}"
            )


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
