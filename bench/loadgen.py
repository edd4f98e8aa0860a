# ruff: noqa: S608 - the SQL is built from integer ids of our own rows, never from input
"""The machinery the vote benchmark (bench/votes.py) and the resilience tests
(tests/resilience/) share: a private PostgreSQL, gunicorn app servers, signed-in clients made of
plain threads and http.client, and the recount that proves no vote was lost or duplicated.

Nothing here mocks the app: the servers are `gunicorn wsgi:app` on 127.0.0.1, the clients post
the real forms (with their CSRF token) and the recount reads the database.
"""

from __future__ import annotations

import contextlib
import glob
import http.client
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
PG_SCRIPT = ROOT / "scripts" / "pg-test.sh"
BENCH_PGPORT = int(os.environ.get("LC_BENCH_PGPORT", "54339"))
SECRET = "bench-secret-key-that-is-long-enough-0123456789"  # noqa: S105 - a throw-away key


# --------------------------------------------------------------------------------------------
# PostgreSQL


def pg_bindir() -> Path | None:
    """The newest PostgreSQL server binaries, found as scripts/pg-test.sh finds them."""
    found = [d for d in glob.glob("/usr/lib/postgresql/*/bin") if os.access(f"{d}/pg_ctl", os.X_OK)]
    if not found:
        return None
    return Path(
        max(found, key=lambda d: [int(x) for x in Path(d).parent.name.split(".") if x.isdigit()])
    )


def _as_owner(command: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: as root, run it as the postgres user."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


def port_open(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex((host, port)) == 0


def free_port(preferred: range | list[int] = ()) -> int:
    """A port nobody listens on: the first free one of `preferred`, else one the OS picks."""
    for port in preferred:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class LocalPostgres:
    """A throw-away server of scripts/pg-test.sh on its own port (LC_TEST_PGPORT), which this
    class can also stop and start again without losing its data (a database restart)."""

    def __init__(self, port: int, *, keep: bool = False) -> None:
        self.port = port
        self.keep = keep  # leave it running for the next benchmark
        # pg-test.sh's own directory for this port (its LC_TEST_PGDIR is not passed on: a
        # caller's, meant for another server, must never be stopped or restarted from here).
        self.base = Path(f"/tmp/lc-test-pg-{port}")  # noqa: S108
        self.started = False

    def _script(self, action: str) -> None:
        env = {**os.environ, "LC_TEST_PGPORT": str(self.port)}
        env.pop("LC_TEST_PGDIR", None)
        subprocess.run([str(PG_SCRIPT), action], env=env, check=True, cwd=ROOT)  # noqa: S603

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def start(self) -> None:
        self._script("start")
        self.started = True

    def ensure(self) -> None:
        """Use the server already on this port (one of ours), or start one."""
        if not port_open(self.port):
            self.start()

    def stop(self) -> None:
        self._script("stop")
        self.started = False

    def _pg_ctl(self, *args: str) -> None:
        binary = pg_bindir()
        if binary is None:
            raise RuntimeError("PostgreSQL server binaries not found")
        subprocess.run(  # noqa: S603
            _as_owner([str(binary / "pg_ctl"), "-D", str(self.base / "data"), *args]),
            check=True,
            stdout=subprocess.DEVNULL,
        )

    def go_down(self) -> None:
        """Stop the server, keeping its data; its connections are cut (a restart as clients
        see it). Fast mode, not immediate: pg-test.sh runs with synchronous_commit=off, so a
        crash would lose the last acknowledged commits, which says nothing about the app."""
        self._pg_ctl("-m", "fast", "-w", "stop")

    def come_back(self) -> None:
        """Start it again with the options scripts/pg-test.sh gave it."""
        options = (
            f"-p {self.port} -k {self.base / 'sock'} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=100"
        )
        self._pg_ctl("-l", str(self.base / "server.log"), "-w", "-t", "60", "-o", options, "start")

    def __enter__(self) -> LocalPostgres:
        self.ensure()
        return self

    def __exit__(self, *exc) -> None:
        if self.started and not self.keep:
            self.stop()


def _server_url(url: str) -> tuple[sa.engine.URL, str]:
    parsed = sa.engine.make_url(url)
    return parsed.set(database="postgres"), parsed.database or ""


def _sqlite_files(url: str) -> list[Path]:
    database = sa.engine.make_url(url).database or ""
    return [Path(database + suffix) for suffix in ("", "-wal", "-shm")] if database else []


def recreate_database(url: str) -> None:
    """An empty database at `url` (dropped first if it exists), on its PostgreSQL server (or a
    SQLite file)."""
    if url.startswith("sqlite"):
        drop_database(url)
        return
    server, name = _server_url(url)
    engine = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    finally:
        engine.dispose()


def drop_database(url: str) -> None:
    if url.startswith("sqlite"):
        for path in _sqlite_files(url):
            path.unlink(missing_ok=True)
        return
    server, name = _server_url(url)
    engine = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        engine.dispose()


# --------------------------------------------------------------------------------------------
# gunicorn


def children_of(pid: int) -> list[int]:
    """Direct children of a process, from /proc."""
    found = []
    for stat in glob.glob("/proc/[0-9]*/stat"):
        try:
            text = Path(stat).read_text()
        except OSError:
            continue
        fields = text.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid:
            found.append(int(stat.split("/")[2]))
    return sorted(found)


def peak_rss_mb(pid: int) -> float | None:
    """Peak resident memory (VmHWM) of a live process, in MB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


class AppServer:
    """`gunicorn wsgi:app` on 127.0.0.1:port, in its own process group (stopped as a whole)."""

    def __init__(self, port: int, database_url: str, *, workers: int = 2, log: Path) -> None:
        self.port = port
        self.database_url = database_url
        self.workers = workers
        self.log = log
        self.process: subprocess.Popen | None = None
        self.peak_rss: dict[int, float] = {}

    def start(self) -> AppServer:
        env = {
            **os.environ,
            "LC_DATABASE_URL": self.database_url,
            "LC_SECRET_KEY": SECRET,
            "LC_RATELIMIT_ENABLED": "0",  # throughput, not the limiter, is measured
            "LC_MAIL_OUTBOX": str(self.log.with_suffix(".outbox.jsonl")),
            "LC_DB_CONNECT_TIMEOUT": "2",
        }
        command = [
            sys.executable, "-m", "gunicorn", "--workers", str(self.workers),
            "--bind", f"127.0.0.1:{self.port}", "--timeout", "60", "--graceful-timeout", "2",
            "--log-level", "warning", "wsgi:app",
        ]  # fmt: skip
        with open(self.log, "ab") as out:
            self.process = subprocess.Popen(  # noqa: S603
                command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        return self

    def wait_ready(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"gunicorn on {self.port} exited: see {self.log}")
            # Each worker imports the app on its own: wait until all are up.
            answer = request(self.port, "GET", "/healthz", timeout=5)
            if answer.status == 200 and len(self.worker_pids()) >= self.workers:
                return
            time.sleep(0.3)
        raise RuntimeError(f"gunicorn on {self.port} not ready after {timeout} s: see {self.log}")

    @property
    def master(self) -> int:
        assert self.process is not None
        return self.process.pid

    def worker_pids(self) -> list[int]:
        return children_of(self.master) if self.process else []

    def sample_rss(self) -> None:
        for pid in self.worker_pids():
            rss = peak_rss_mb(pid)
            if rss is not None:
                self.peak_rss[pid] = max(rss, self.peak_rss.get(pid, 0))

    def kill_worker(self) -> int | None:
        """SIGKILL one worker (the master forks a new one)."""
        workers = self.worker_pids()
        if not workers:
            return None
        os.kill(workers[0], signal.SIGKILL)
        return workers[0]

    def kill_master(self) -> None:
        """SIGKILL the master: the server is gone (its workers exit when they notice)."""
        os.kill(self.master, signal.SIGKILL)

    def stop(self) -> None:
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=10)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)  # orphans of a killed master too
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=5)


# --------------------------------------------------------------------------------------------
# HTTP


@dataclass
class Answer:
    status: int  # 0: no answer (connection refused, reset, timeout)
    location: str = ""
    body: bytes = b""
    seconds: float = 0.0
    retry_after: str | None = None


def request(
    port: int,
    method: str,
    path: str,
    *,
    cookie: str | None = None,
    form: dict | list | None = None,
    timeout: float = 30,
    read_body: bool = False,
) -> Answer:
    headers = {"Accept-Language": "en", "Connection": "close"}
    body = None
    if cookie:
        headers["Cookie"] = cookie
    if form is not None:
        body = urllib.parse.urlencode(form, doseq=True)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    start = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        data = response.read()
        return Answer(
            response.status,
            response.getheader("Location", ""),
            data if read_body else b"",
            time.perf_counter() - start,
            response.getheader("Retry-After"),
        )
    except (OSError, http.client.HTTPException):
        return Answer(0, seconds=time.perf_counter() - start)
    finally:
        connection.close()


@dataclass(frozen=True)
class Identity:
    user_id: int
    cookie: str
    csrf: str


def signed_in(app, user_ids: list[int]) -> list[Identity]:
    """A session cookie per user, signed by an app with the servers' secret key, with the user
    signed in (Flask-Login's `_user_id`) and a CSRF token for the forms."""
    from flask import session
    from flask_wtf.csrf import generate_csrf

    serializer = app.session_interface.get_signing_serializer(app)
    name = app.config["SESSION_COOKIE_NAME"]
    identities = []
    for user_id in user_ids:
        with app.test_request_context():
            session["_user_id"] = str(user_id)
            session["_fresh"] = True
            token = generate_csrf()
            identities.append(Identity(user_id, f"{name}={serializer.dumps(dict(session))}", token))
    return identities


# --------------------------------------------------------------------------------------------
# The vote world: one supports consultation and one budget consultation, both in their voting
# phase, and confirmed users


@dataclass
class VoteWorld:
    database_url: str
    supports_consultation: int
    support_proposals: list[int]
    support_limit: int
    budget_consultation: int
    costs: dict[int, int]
    budget: int
    user_ids: list[int]


def seed_vote_world(url: str, users: int, *, proposals: int = 12, limit: int = 6) -> VoteWorld:
    """A fresh database at `url` with the schema (create_all) and the vote world."""
    from app.extensions import db
    from bench import data

    recreate_database(url)
    app = data.bench_app(url, SECRET_KEY=SECRET)
    data.create_schema(app)
    rng = random.Random(f"votes-{users}-{proposals}")
    with app.app_context(), app.test_request_context():
        from app.accounts.models import User
        from app.db_types import utcnow

        admin = User(
            email=ADMIN_EMAIL,
            display_name="Admin",
            password_hash="!",  # noqa: S106
            confirmed_at=utcnow(),
            association_role="admin",
        )
        db.session.add(admin)
        db.session.flush()
        city = data.bulk_cities(1, rng, 0)[0]
        user_ids = data.bulk_users(users, rng, first_id=admin.id + 1, prefix="voter")
        data._fix_sequences()
        world = _vote_consultations(url, city, admin.id, user_ids, proposals, limit, rng)
        db.session.commit()
        db.engine.dispose()
    return world


ADMIN_EMAIL = "admin@bench.example.org"
BUDGET = 1_000_000


def another_round(world: VoteWorld, *, seed: int) -> VoteWorld:
    """A new supports and a new budget consultation, both in their voting phase, in the same
    database for the same voters: a fresh round (e.g. to close again)."""
    from app.accounts.models import User
    from app.cities.models import City
    from app.extensions import db
    from bench import data

    app = data.bench_app(world.database_url, SECRET_KEY=SECRET)
    rng = random.Random(f"round-{seed}")
    with app.app_context(), app.test_request_context():
        admin_id = db.session.scalar(sa.select(User.id).where(User.email == ADMIN_EMAIL))
        city = db.session.scalar(sa.select(City).order_by(City.id).limit(1))
        proposals = len(world.support_proposals)
        fresh = _vote_consultations(
            world.database_url, city, admin_id, world.user_ids, proposals, world.support_limit,
            rng,
        )  # fmt: skip
        db.session.commit()
        db.engine.dispose()
    return fresh


def _vote_consultations(
    url: str, city, admin_id: int, user_ids: list[int], proposals: int, limit: int, rng
) -> VoteWorld:
    from app.consultations.models import Consultation
    from app.extensions import db
    from app.proposals.models import Proposal
    from bench import data

    first_id = (db.session.scalar(sa.select(sa.func.max(Proposal.id))) or 0) + 1
    supports = data._consultation(
        city, admin_id, phase="voting", title="Quali idee sostieni?",
        voting_method="supports", support_limit=limit,
    )  # fmt: skip
    support_ids = data.bulk_proposals(supports, user_ids, proposals, rng, first_id=first_id)
    budget = data._consultation(
        city, admin_id, phase="voting", title="Il bilancio del quartiere",
        voting_method="budget", budget_amount=BUDGET, budget_rule="greedy",
    )  # fmt: skip
    budget_ids = data.bulk_proposals(
        budget, user_ids, proposals, rng, first_id=first_id + proposals, cost=True
    )
    data._fix_sequences()
    for consultation in (supports, budget):
        db.session.execute(
            sa.update(Consultation)
            .where(Consultation.id == consultation.id)
            .values(proposals_count=proposals)
        )
    costs = dict(
        db.session.execute(
            sa.select(Proposal.id, Proposal.cost).where(Proposal.id.in_(budget_ids))
        ).all()
    )
    return VoteWorld(url, supports.id, support_ids, limit, budget.id, costs, BUDGET, user_ids)


# --------------------------------------------------------------------------------------------
# The clients


@dataclass
class Op:
    kind: str  # support, withdraw, cast, withdraw_ballot
    target: object
    status: int
    seconds: float
    answered: float = 0.0  # time.monotonic() when the answer arrived


@dataclass
class VoterState:
    """What the database may hold for one voter, from the answers they saw: a set of possible
    values per support, and of possible ballots (None: no cast ballot)."""

    supports: dict[int, set[bool]] = field(default_factory=dict)
    ballot: set[frozenset[int] | None] = field(default_factory=lambda: {None})
    ops: list[Op] = field(default_factory=list)


def _is_success(answer: Answer) -> bool:
    return answer.status in (302, 303)


def _is_refusal(answer: Answer) -> bool:
    # Refusals are rendered with 4xx and rolled back: nothing changed.
    return 400 <= answer.status < 500


class Voter(threading.Thread):
    """One signed-in person casting supports, withdrawals and budget ballots in a loop."""

    def __init__(
        self,
        identity: Identity,
        world: VoteWorld,
        ports: list[int],
        *,
        index: int,
        ops: int | None,
        until: float | None,
        mix: tuple[str, ...] = ("support", "ballot"),
        seed: int = 1,
    ) -> None:
        super().__init__(daemon=True)
        self.identity = identity
        self.world = world
        self.ports = ports
        self.port_index = index % len(ports)
        self.ops_left = ops
        self.until = until
        self.mix = mix
        self.rng = random.Random(f"{seed}-{identity.user_id}")
        self.state = VoterState()

    def _post(self, path: str, form: dict) -> Answer:
        answer = request(
            self.ports[self.port_index],
            "POST",
            path,
            cookie=self.identity.cookie,
            form={**form, "csrf_token": self.identity.csrf},
        )
        if answer.status == 0:  # that server is away: the next request goes to another one
            self.port_index = (self.port_index + 1) % len(self.ports)
        return answer

    def _record(self, kind: str, target, answer: Answer) -> None:
        self.state.ops.append(Op(kind, target, answer.status, answer.seconds, time.monotonic()))

    def step(self) -> None:
        if self.rng.choice(self.mix) == "support":
            self.support_step()
        else:
            self.ballot_step()

    def support_step(self) -> None:
        proposal = self.rng.choice(self.world.support_proposals)
        possible = self.state.supports.setdefault(proposal, {False})
        withdraw = (True in possible) if len(possible) == 1 else self.rng.random() < 0.5
        kind = "withdraw" if withdraw else "support"
        path = f"/proposals/{proposal}/support" + ("/withdraw" if withdraw else "")
        answer = self._post(path, {})
        self._record(kind, proposal, answer)
        after = not withdraw
        if _is_success(answer):
            if withdraw:
                self.state.supports[proposal] = {False}
            else:
                # A 302 for a support means it was given (refusals are 4xx pages).
                self.state.supports[proposal] = {True}
        elif not _is_refusal(answer):
            self.state.supports[proposal] = possible | {after}

    def ballot_step(self) -> None:
        consultation = self.world.budget_consultation
        possible = self.state.ballot
        if None not in possible and self.rng.random() < 0.6:
            answer = self._post(f"/consultations/{consultation}/ballot/withdraw", {})
            self._record("withdraw_ballot", None, answer)
            if _is_success(answer):
                self.state.ballot = {None}
            elif not _is_refusal(answer):
                self.state.ballot = possible | {None}
            return
        ids = sorted(self.rng.sample(sorted(self.world.costs), self.rng.randint(1, 4)))
        answer = self._post(
            f"/consultations/{consultation}/ballot/cast", {"choice": ",".join(map(str, ids))}
        )
        self._record("cast", tuple(ids), answer)
        chosen = frozenset(ids)
        # Casting over a cast ballot changes nothing (AlreadyCast: its receipt is shown).
        after = {chosen if state is None else state for state in possible}
        if _is_success(answer):
            self.state.ballot = after
        elif not _is_refusal(answer):
            self.state.ballot = possible | after

    def run(self) -> None:
        while True:
            if self.ops_left is not None:
                if self.ops_left <= 0:
                    return
                self.ops_left -= 1
            if self.until is not None and time.monotonic() >= self.until:
                return
            self.step()


def run_voters(voters: list[Voter], *, during=None) -> float:
    """Start the voters, call `during()` (e.g. a crash) while they run; seconds until all end."""
    start = time.perf_counter()
    for voter in voters:
        voter.start()
    try:
        if during is not None:
            during()
    finally:
        for voter in voters:
            voter.join()
    return time.perf_counter() - start


def trivial_rate(port_list: list[int], clients: int, seconds: float) -> float:
    """Requests per second of GET /healthz with `clients` threads on these servers."""
    done = Counter()
    until = time.monotonic() + seconds

    def loop(index: int) -> None:
        port = port_list[index % len(port_list)]
        while time.monotonic() < until:
            if request(port, "GET", "/healthz").status == 200:
                done[index] += 1

    threads = [threading.Thread(target=loop, args=(i,), daemon=True) for i in range(clients)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(done.values()) / (time.perf_counter() - start)


# --------------------------------------------------------------------------------------------
# The recount


def recount(world: VoteWorld, voters: list[Voter]) -> dict[str, int]:
    """Compare the database with every answer the voters saw; all figures but `uncertain_ops`
    must be 0. Uncertain ops (no answer, 5xx) may or may not have happened: either is fine,
    but never half of one."""
    engine = sa.create_engine(world.database_url)
    s_id, b_id = world.supports_consultation, world.budget_consultation
    try:
        with engine.connect() as connection:
            q = connection.exec_driver_sql
            supports = Counter(
                (u, p)
                for u, p in q(
                    f"SELECT user_id, proposal_id FROM supports WHERE consultation_id = {s_id}"
                )
            )
            counters = q(
                f"""SELECT count(*) FROM proposals p WHERE p.consultation_id IN ({s_id}, {b_id})
                AND p.supports_count <> (SELECT count(*) FROM supports s
                                         WHERE s.proposal_id = p.id)"""
            ).scalar()
            quotas = q(
                f"""SELECT count(*) FROM support_quotas qu WHERE qu.consultation_id = {s_id} AND
                qu.used <> (SELECT count(*) FROM supports s WHERE s.consultation_id = {s_id}
                            AND s.user_id = qu.user_id)"""
            ).scalar()
            over_limit = q(
                f"""SELECT count(*) FROM (SELECT user_id FROM supports
                WHERE consultation_id = {s_id} GROUP BY user_id
                HAVING count(*) > {world.support_limit}) x"""
            ).scalar()
            ballots: dict[int, list[tuple]] = {}
            for row in q(
                f"SELECT id, user_id, status, total_cost, receipt FROM ballots "
                f"WHERE consultation_id = {b_id}"
            ):
                ballots.setdefault(row[1], []).append(row)
            items: dict[int, set[int]] = {}
            for ballot_id, proposal_id in q(
                f"SELECT i.ballot_id, i.proposal_id FROM ballot_items i JOIN ballots b "
                f"ON b.id = i.ballot_id WHERE b.consultation_id = {b_id}"
            ):
                items.setdefault(ballot_id, set()).add(proposal_id)
    finally:
        engine.dispose()

    figures = Counter(
        supports_lost=0,
        supports_phantom=0,
        supports_duplicated=sum(n - 1 for n in supports.values() if n > 1),
        supports_count_mismatch=counters,
        quota_mismatch=quotas,
        over_limit=over_limit,
        ballots_duplicated=sum(len(rows) - 1 for rows in ballots.values() if len(rows) > 1),
        ballots_lost=0,
        ballots_phantom=0,
        partial_ballots=0,
        uncertain_ops=0,
    )
    for rows in ballots.values():
        for ballot_id, _user, status, total, receipt in rows:
            chosen = items.get(ballot_id, set())
            cost = sum(world.costs.get(p, 0) for p in chosen)
            if total != cost or (status == "cast" and (not chosen or not receipt)):
                figures["partial_ballots"] += 1
    by_user = {voter.identity.user_id: voter for voter in voters}
    for user_id, voter in by_user.items():
        figures["uncertain_ops"] += sum(
            1 for op in voter.state.ops if op.status == 0 or op.status >= 500
        )
        for proposal, possible in voter.state.supports.items():
            present = (user_id, proposal) in supports
            if present not in possible:
                figures["supports_lost" if not present else "supports_phantom"] += 1
        rows = ballots.get(user_id, [])
        cast = [r for r in rows if r[2] == "cast"]
        held = frozenset(items.get(cast[0][0], set())) if cast else None
        if held not in voter.state.ballot:
            figures["ballots_lost" if held is None else "ballots_phantom"] += 1
    # Supports from people who are not among the voters: nobody asked for them.
    figures["supports_phantom"] += sum(1 for (u, _p) in supports if u not in by_user)
    return dict(figures)


def problems(figures: dict[str, int]) -> dict[str, int]:
    """The figures of a recount that are not zero (uncertain ops aside)."""
    return {k: v for k, v in figures.items() if v and k != "uncertain_ops"}


def op_summary(voters: list[Voter]) -> dict[str, dict[str, int]]:
    summary: dict[str, Counter] = {}
    for voter in voters:
        for op in voter.state.ops:
            summary.setdefault(op.kind, Counter())[str(op.status)] += 1
    return {kind: dict(sorted(counts.items())) for kind, counts in summary.items()}
