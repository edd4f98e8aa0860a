"""Votes that survive races and crashes, for real: two `gunicorn wsgi:app` servers on one
PostgreSQL database, signed-in clients posting the real forms at once, then a recount.

The machinery is bench/loadgen.py (bench/votes.py runs it with large counts); here the counts
are small. These tests run on the PostgreSQL run of `make test` only, each on a database of its
own (never the shared test database), and stop every process they start.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa

from bench import loadgen
from bench.data import bench_app

SHARED_URL = os.environ.get("LC_TEST_DATABASE_URL", "")

pytestmark = [
    pytest.mark.database,
    pytest.mark.skipif(
        not SHARED_URL.startswith("postgresql"),
        reason="needs PostgreSQL and gunicorn: SQLite serialises writers, there is no race to lose",
    ),
]

VOTERS = 20


@dataclass
class Setup:
    world: loadgen.VoteWorld
    servers: list[loadgen.AppServer]
    identities: list[loadgen.Identity]

    @property
    def ports(self) -> list[int]:
        return [server.port for server in self.servers]


@pytest.fixture(scope="module")
def logs() -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix="lc-resilience-"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="module")
def two_servers(logs) -> Iterator[Setup]:
    """A database of our own on the test server, the vote world, two app servers."""
    url = sa.engine.make_url(SHARED_URL).set(database=f"lc_resilience_{os.getpid()}")
    url = url.render_as_string(hide_password=False)
    servers: list[loadgen.AppServer] = []
    try:
        world = loadgen.seed_vote_world(url, VOTERS)
        identities = loadgen.signed_in(bench_app(url, SECRET_KEY=loadgen.SECRET), world.user_ids)
        used: list[int] = []
        for workers in (2, 1):  # the first loses a worker in the crash test and carries on
            port = loadgen.free_port([p for p in range(5109, 5113) if p not in used])
            used.append(port)
            log = logs / f"gunicorn-{port}.log"
            servers.append(loadgen.AppServer(port, url, workers=workers, log=log).start())
        for server in servers:
            server.wait_ready()
        yield Setup(world, servers, identities)
    finally:
        for server in servers:
            server.stop()
        loadgen.drop_database(url)


def voters(setup: Setup, *, ops: int, mix: tuple[str, ...], seed: int) -> list[loadgen.Voter]:
    return [
        loadgen.Voter(identity, setup.world, setup.ports, index=i, ops=ops, mix=mix, seed=seed,
                      until=None)
        for i, identity in enumerate(setup.identities)
    ]  # fmt: skip


def test_many_voters_at_once_lose_and_duplicate_nothing(two_servers):
    crowd = voters(two_servers, ops=6, mix=("support", "ballot"), seed=1)
    loadgen.run_voters(crowd)

    figures = loadgen.recount(two_servers.world, crowd)
    answers = loadgen.op_summary(crowd)
    assert loadgen.problems(figures) == {}, (figures, answers)
    assert figures["uncertain_ops"] == 0, answers
    assert answers["cast"].get("302", 0) > 0, answers
    assert answers["support"].get("302", 0) > 0, answers

    # The recount is no rubber stamp: a support a voter was told about but that is missing
    # from the database is reported as lost.
    voter = crowd[0]
    missing = next(
        p for p in two_servers.world.support_proposals if voter.state.supports.get(p) != {True}
    )
    voter.state.supports[missing] = {True}
    assert loadgen.recount(two_servers.world, crowd)["supports_lost"] == 1


def test_a_server_killed_mid_ballot_leaves_no_partial_ballot(two_servers):
    first, second = two_servers.servers
    crowd = voters(two_servers, ops=8, mix=("ballot",), seed=2)
    killed: list[int | None] = []

    def crash() -> None:
        time.sleep(1.0)
        killed.append(first.kill_worker())  # SIGKILL mid-request: its transaction is cut
        time.sleep(1.0)
        second.kill_master()  # and a whole server gone: clients move to the other one
        killed.append(second.master)

    loadgen.run_voters(crowd, during=crash)

    assert killed[0] is not None
    figures = loadgen.recount(two_servers.world, crowd)
    assert loadgen.problems(figures) == {}, (figures, loadgen.op_summary(crowd))
    # The server whose worker died carries on (the master forked a new worker).
    assert loadgen.request(first.port, "GET", "/healthz").status == 200


def test_a_database_restart_is_survived(logs):
    """Requests while PostgreSQL is down get the 503 retry page; after it, they succeed."""
    if loadgen.pg_bindir() is None:
        pytest.skip("PostgreSQL server binaries not found")
    postgres = loadgen.LocalPostgres(loadgen.free_port(range(54340, 54346)))
    server = None
    try:
        postgres.start()
        url = postgres.url("lc_resilience_restart")
        world = loadgen.seed_vote_world(url, 2)
        identity = loadgen.signed_in(bench_app(url, SECRET_KEY=loadgen.SECRET), world.user_ids)[0]
        port = loadgen.free_port([p for p in range(5112, 5108, -1)])
        server = loadgen.AppServer(port, url, workers=1, log=logs / "gunicorn-restart.log")
        server.start().wait_ready()
        page = f"/consultations/{world.supports_consultation}"
        first, second = world.support_proposals[:2]

        def support(proposal: int) -> loadgen.Answer:
            form = {"csrf_token": identity.csrf}
            path = f"/proposals/{proposal}/support"
            return loadgen.request(port, "POST", path, cookie=identity.cookie, form=form,
                                   read_body=True)  # fmt: skip

        assert loadgen.request(port, "GET", page).status == 200
        assert support(first).status == 302

        postgres.go_down()
        during = [loadgen.request(port, "GET", page, read_body=True), support(second)]
        postgres.come_back()

        for answer in during:
            assert answer.status == 503, answer
            assert answer.retry_after, answer
            assert b"try again" in answer.body.lower(), answer.body[:500]
        assert loadgen.request(port, "GET", page).status == 200
        assert support(second).status == 302
        engine = sa.create_engine(url)
        try:
            with engine.connect() as connection:
                given = connection.execute(
                    sa.text("SELECT proposal_id FROM supports ORDER BY proposal_id")
                ).scalars()
                assert list(given) == [first, second]
        finally:
            engine.dispose()
    finally:
        if server is not None:
            server.stop()
        postgres.stop()
