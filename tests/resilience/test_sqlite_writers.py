"""The embedded SQLite default takes simultaneous writers: they queue, nobody is refused.

A real threaded server (werkzeug, as `make run` serves) on a SQLite file, and 8 then 30 people
posting at the same moment (a barrier releases them together): each supports a proposal and
follows the consultation. Every answer must be the redirect of a success (no 503 "database is
locked"), and the database must hold exactly what each was told.
SQLite run of `make test` only (PostgreSQL has tests/resilience/test_close_races.py).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import sqlalchemy as sa
from werkzeug.serving import make_server

from bench import loadgen
from bench.data import bench_app

pytestmark = [
    pytest.mark.database,
    pytest.mark.skipif(
        (os.environ.get("LC_TEST_DATABASE_URL") or "").startswith("postgresql"),
        reason="the embedded SQLite default: runs in the SQLite run",
    ),
]

PEOPLE = 30


@dataclass
class Server:
    url: str
    port: int
    world: loadgen.VoteWorld
    identities: list[loadgen.Identity]


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[Server]:
    path = tmp_path_factory.mktemp("sqlite-writers") / "city.sqlite"
    url = f"sqlite:///{path}"
    # Each person may support every proposal: the limit is not what is tested here.
    world = loadgen.seed_vote_world(url, PEOPLE, proposals=4, limit=4)
    app = bench_app(url, SECRET_KEY=loadgen.SECRET)
    identities = loadgen.signed_in(app, world.user_ids)
    http = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    try:
        yield Server(url, http.server_port, world, identities)
    finally:
        http.shutdown()
        thread.join(timeout=10)
        with app.app_context():
            from app.extensions import db

            db.engine.dispose()


def all_at_once(server: Server, people: list[loadgen.Identity], proposal: int) -> list[int]:
    """Each person supports `proposal` and follows the consultation, all released together."""
    consultation = server.world.supports_consultation
    acts = [
        (identity, path)
        for identity in people
        for path in (
            f"/proposals/{proposal}/support",
            f"/notifications/follow/consultation/{consultation}",
        )
    ]
    barrier = threading.Barrier(len(acts))
    statuses: list[int] = [0] * len(acts)

    def act(index: int) -> None:
        identity, path = acts[index]
        barrier.wait()
        answer = loadgen.request(
            server.port, "POST", path, cookie=identity.cookie, form={"csrf_token": identity.csrf}
        )
        statuses[index] = answer.status

    threads = [threading.Thread(target=act, args=(i,)) for i in range(len(acts))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def counts(server: Server, proposal: int, user_ids: list[int]) -> tuple[int, int, int]:
    engine = sa.create_engine(server.url)
    try:
        with engine.connect() as connection:
            ids = {"p": proposal, "c": server.world.supports_consultation}
            supports = connection.execute(
                sa.text("SELECT user_id FROM supports WHERE proposal_id = :p"), ids
            ).scalars()
            follows = connection.execute(
                sa.text("SELECT user_id FROM follows WHERE consultation_id = :c"), ids
            ).scalars()
            counter = connection.execute(
                sa.text("SELECT supports_count FROM proposals WHERE id = :p"), ids
            ).scalar_one()
            wanted = set(user_ids)
            return (
                len(set(supports) & wanted),
                len(set(follows) & wanted),
                counter,
            )
    finally:
        engine.dispose()


@pytest.mark.parametrize(("people", "proposal_index"), [(8, 0), (30, 1)])
def test_simultaneous_writers_queue_and_none_is_refused(server, people, proposal_index):
    crowd = server.identities[:people]
    proposal = server.world.support_proposals[proposal_index]
    statuses = all_at_once(server, crowd, proposal)
    assert statuses == [302] * (2 * people), sorted(statuses)
    supported, followed, counter = counts(server, proposal, [i.user_id for i in crowd])
    assert (supported, followed, counter) == (people, people, people)


def test_the_embedded_database_runs_in_wal_mode(server):
    engine = sa.create_engine(server.url)
    try:
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    finally:
        engine.dispose()
