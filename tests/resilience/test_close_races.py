"""A close never races a vote, for real: two `gunicorn wsgi:app` servers on one PostgreSQL
database, 30 signed-in voters supporting, withdrawing, casting and withdrawing ballots as fast as
they can, and the consultations closed in the middle of it, by a moderator's button or by their
dates (a visit to the page and `flask consultations advance` racing each other).

Then a recount of what each voter was told against the database and the published result:
every voter told "cast" (or "supported") is counted, none whose act was refused is, no vote is
dated after the close, and `results verify` passes. Three rounds, each on fresh consultations.
PostgreSQL run of `make test` only (SQLite serialises writers: tests/resilience/test_sqlite_writers.py).
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from bench import loadgen
from bench.data import bench_app

SHARED_URL = os.environ.get("LC_TEST_DATABASE_URL", "")
ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.database,
    pytest.mark.skipif(
        not SHARED_URL.startswith("postgresql"),
        reason="needs PostgreSQL and gunicorn: SQLite serialises writers, there is no race to lose",
    ),
]

VOTERS = 30
ROUND_SECONDS = 5.0


@dataclass
class Setup:
    url: str
    world: loadgen.VoteWorld
    servers: list[loadgen.AppServer]
    voters: list[loadgen.Identity]
    moderator: loadgen.Identity

    @property
    def ports(self) -> list[int]:
        return [server.port for server in self.servers]


@pytest.fixture(scope="module")
def live() -> Iterator[Setup]:
    url = sa.engine.make_url(SHARED_URL).set(database=f"lc_close_races_{os.getpid()}")
    url = url.render_as_string(hide_password=False)
    logs = Path(tempfile.mkdtemp(prefix="lc-close-races-"))
    servers: list[loadgen.AppServer] = []
    try:
        world = loadgen.seed_vote_world(url, VOTERS)
        engine = sa.create_engine(url)
        with engine.connect() as connection:
            admin_id = connection.execute(
                sa.text("SELECT id FROM users WHERE email = :e"), {"e": loadgen.ADMIN_EMAIL}
            ).scalar_one()
        engine.dispose()
        app = bench_app(url, SECRET_KEY=loadgen.SECRET)
        identities = loadgen.signed_in(app, [*world.user_ids, admin_id])
        used: list[int] = []
        for _ in range(2):
            port = loadgen.free_port([p for p in range(5121, 5127) if p not in used])
            used.append(port)
            servers.append(
                loadgen.AppServer(port, url, workers=2, log=logs / f"gunicorn-{port}.log").start()
            )
        for server in servers:
            server.wait_ready()
        yield Setup(url, world, servers, identities[:-1], identities[-1])
    finally:
        for server in servers:
            server.stop()
        loadgen.drop_database(url)
        shutil.rmtree(logs, ignore_errors=True)


def crowd(setup: Setup, world: loadgen.VoteWorld, seed: int) -> list[loadgen.Voter]:
    until = time.monotonic() + ROUND_SECONDS
    return [
        loadgen.Voter(identity, world, setup.ports, index=i, ops=None, until=until,
                      mix=("support", "ballot"), seed=seed)
        for i, identity in enumerate(setup.voters)
    ]  # fmt: skip


def close_button(setup: Setup, consultation_id: int, port: int) -> loadgen.Answer:
    return loadgen.request(
        port,
        "POST",
        f"/consultations/{consultation_id}/close",
        cookie=setup.moderator.cookie,
        form={"csrf_token": setup.moderator.csrf, "confirm": "yes"},
    )


def end_voting_in(url: str, consultation_ids: list[int], seconds: float) -> None:
    """The voting phase (the last one before results) ends `seconds` from now."""
    engine = sa.create_engine(url)
    try:
        with engine.begin() as connection:
            end = connection.execute(sa.text("SELECT now()")).scalar_one() + timedelta(
                seconds=seconds
            )
            for consultation_id in consultation_ids:
                params = {"c": consultation_id, "end": end}
                connection.execute(
                    sa.text(
                        "UPDATE consultation_phases SET ends_at = :end "
                        "WHERE consultation_id = :c AND kind = 'voting'"
                    ),
                    params,
                )
                connection.execute(
                    sa.text(
                        "UPDATE consultation_phases SET starts_at = :end, "
                        "ends_at = :end + interval '30 days' "
                        "WHERE consultation_id = :c AND kind = 'results'"
                    ),
                    params,
                )
                connection.execute(
                    sa.text("UPDATE consultations SET ends_at = :end WHERE id = :c"), params
                )
    finally:
        engine.dispose()


def advance_command(url: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "LC_DATABASE_URL": url, "LC_SECRET_KEY": loadgen.SECRET}
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "consultations", "advance"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def database_facts(url: str, world: loadgen.VoteWorld) -> dict:
    engine = sa.create_engine(url)
    ids = {"s": world.supports_consultation, "b": world.budget_consultation}
    try:
        with engine.connect() as connection:
            q = connection.execute
            closed = dict(
                q(
                    sa.text("SELECT id, closed_at FROM consultations WHERE id IN (:s, :b)"), ids
                ).all()
            )
            snapshots = {
                cid: json.loads(text)
                for cid, text in q(
                    sa.text(
                        "SELECT consultation_id, canonical_json FROM result_snapshots "
                        "WHERE consultation_id IN (:s, :b)"
                    ),
                    ids,
                ).all()
            }
            late_ballots = q(
                sa.text(
                    "SELECT count(*) FROM ballots b JOIN consultations c "
                    "ON c.id = b.consultation_id WHERE c.id = :b AND b.cast_at > c.closed_at"
                ),
                ids,
            ).scalar_one()
            late_supports = q(
                sa.text(
                    "SELECT count(*) FROM supports s JOIN consultations c "
                    "ON c.id = s.consultation_id WHERE c.id = :s AND s.created_at > c.closed_at"
                ),
                ids,
            ).scalar_one()
            cast = q(
                sa.text(
                    "SELECT count(*) FROM ballots WHERE consultation_id = :b AND status = 'cast'"
                ),
                ids,
            ).scalar_one()
    finally:
        engine.dispose()
    return {
        "closed": closed,
        "snapshots": snapshots,
        "late_ballots": late_ballots,
        "late_supports": late_supports,
        "cast": cast,
    }


def verify(url: str, consultation_id: int) -> bool:
    from app.consultations.models import Consultation
    from app.extensions import db
    from app.results.services import verify as verify_snapshot

    app = bench_app(url, SECRET_KEY=loadgen.SECRET)
    with app.app_context(), app.test_request_context():
        try:
            return verify_snapshot(db.session.get(Consultation, consultation_id))[0]
        finally:
            db.session.remove()
            db.engine.dispose()


def told(voters: list[loadgen.Voter]) -> tuple[Counter, Counter, int]:
    """What the voters were told, as the result must show it: supports per proposal, ballots
    per project, and the number of cast ballots. Every answer was certain (checked before)."""
    supports: Counter = Counter()
    approvals: Counter = Counter()
    ballots = 0
    for voter in voters:
        for proposal, possible in voter.state.supports.items():
            assert len(possible) == 1
            supports[proposal] += possible == {True}
        (ballot,) = voter.state.ballot
        if ballot is not None:
            ballots += 1
            approvals.update(ballot)
    return supports, approvals, ballots


def check_round(setup: Setup, world: loadgen.VoteWorld, voters, closed_from: float) -> None:
    figures = loadgen.recount(world, voters)
    answers = loadgen.op_summary(voters)
    assert loadgen.problems(figures) == {}, (figures, answers)
    assert figures["uncertain_ops"] == 0, answers  # no 5xx, no connection lost
    ops = [op for voter in voters for op in voter.state.ops]
    # The close fell in the middle of the voting: acts were accepted before it and refused after.
    assert any(op.status == 302 and op.answered < closed_from for op in ops), answers
    assert any(400 <= op.status < 500 and op.answered > closed_from for op in ops), answers

    facts = database_facts(setup.url, world)
    assert None not in facts["closed"].values(), facts["closed"]
    assert facts["late_ballots"] == 0
    assert facts["late_supports"] == 0
    supports, approvals, ballots = told(voters)
    budget = facts["snapshots"][world.budget_consultation]
    assert budget["num_voters"] == ballots == facts["cast"]
    assert budget["participation"]["participants"] == ballots
    assert {p["project"]: p["supporters"] for p in budget["projects"]} == {
        p: approvals[p] for p in world.costs
    }
    ranking = facts["snapshots"][world.supports_consultation]["ranking"]
    assert {row["proposal"]: row["supports"] for row in ranking} == {
        p: supports[p] for p in world.support_proposals
    }
    assert verify(setup.url, world.budget_consultation)
    assert verify(setup.url, world.supports_consultation)


@pytest.mark.parametrize("round_", [1, 2])
def test_a_moderator_closes_while_people_vote(live, round_):
    world = loadgen.another_round(live.world, seed=round_)
    voters = crowd(live, world, seed=round_)
    moment: list[float] = []
    answers: list[loadgen.Answer] = []

    def close_both() -> None:
        time.sleep(random.Random(round_).uniform(1.5, 2.5))
        moment.append(time.monotonic())
        threads = [
            threading.Thread(
                target=lambda c=consultation, p=port: answers.append(close_button(live, c, p))
            )
            for consultation, port in (
                (world.budget_consultation, live.ports[0]),
                (world.supports_consultation, live.ports[1]),
                # A second moderator's click on the other server: one close wins.
                (world.budget_consultation, live.ports[1]),
            )
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    loadgen.run_voters(voters, during=close_both)
    assert [answer.status for answer in answers] == [302, 302, 302], answers
    check_round(live, world, voters, moment[0])


def test_the_dates_close_while_people_vote(live):
    """The voting phase ends by its dates mid-flow: page visits (the check on access) and the
    cron command race to close; one closes, the other finds it closed."""
    world = loadgen.another_round(live.world, seed=3)
    consultations = [world.supports_consultation, world.budget_consultation]
    end_voting_in(live.url, consultations, seconds=2.0)
    voters = crowd(live, world, seed=3)
    moment: list[float] = []
    commands: list[subprocess.CompletedProcess] = []

    def visit_and_advance() -> None:
        time.sleep(2.0)
        moment.append(time.monotonic())
        cron = threading.Thread(target=lambda: commands.append(advance_command(live.url)))
        cron.start()
        for _ in range(5):
            for consultation, port in zip(consultations, live.ports, strict=True):
                assert loadgen.request(port, "GET", f"/consultations/{consultation}").status == 200
        cron.join()

    loadgen.run_voters(voters, during=visit_and_advance)
    assert commands[0].returncode == 0, commands[0].stderr
    # The votes accepted are those answered before the end of voting (or while it closed).
    check_round(live, world, voters, moment[0] + 0.5)
