"""Places are never given twice, for real: a threaded server on its own PostgreSQL database,
20 signed-in people pressing "Register" at the same moment for a meeting of 5 places, then 3 of
those registered cancelling at the same moment. Each answer (the message flashed into the
person's session) is checked against the database: exactly 5 told "registered", 15 told "waiting
list", and the first 3 in line (by waiting_since, id) promoted, no more.

PostgreSQL only: SQLite serialises writers, there is no race to lose.
"""

from __future__ import annotations

import http.client
import os
import tempfile
import threading
import urllib.parse
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta

import pytest
import sqlalchemy as sa
from werkzeug.serving import make_server

from app import create_app
from app.extensions import db
from app.meetings.models import MeetingRegistration
from app.pathway.services import ensure_default_template
from bench import loadgen
from tests import factories
from tests.conftest import make_config

SHARED_URL = os.environ.get("LC_TEST_DATABASE_URL", "")

pytestmark = [
    pytest.mark.database,
    pytest.mark.skipif(
        not SHARED_URL.startswith("postgresql"),
        reason="needs PostgreSQL: SQLite serialises writers, there is no race to lose",
    ),
]

PEOPLE = 20
PLACES = 5


@dataclass
class Live:
    app: object
    port: int
    meeting_id: int
    people: list[loadgen.Identity]


@pytest.fixture(scope="module")
def live() -> Iterator[Live]:
    url = sa.engine.make_url(SHARED_URL).set(database=f"lc_meetings_race_{os.getpid()}")
    url = url.render_as_string(hide_password=False)
    loadgen.recreate_database(url)
    outbox = os.path.join(tempfile.mkdtemp(prefix="lc-meetings-race-"), "outbox.jsonl")
    app = create_app(make_config(url, outbox))  # CSRF on: real forms
    with app.app_context():
        db.create_all()
        ensure_default_template()
        city = factories.city(slug="race-city", name="Città della Corsa")
        users = [factories.user(f"racer{i}@example.org") for i in range(PEOPLE)]
        meeting = factories.meeting(city, capacity=PLACES, starts=timedelta(days=3))
        db.session.commit()
        meeting_id, user_ids = meeting.id, [user.id for user in users]
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Live(app, server.server_port, meeting_id, loadgen.signed_in(app, user_ids))
    finally:
        server.shutdown()
        thread.join(timeout=10)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        loadgen.drop_database(url)


def _post(live: Live, person: loadgen.Identity, action: str) -> tuple[int, str]:
    """POST the button; (status, the message flashed into the answer's session cookie)."""
    body = urllib.parse.urlencode({"csrf_token": person.csrf})
    connection = http.client.HTTPConnection("127.0.0.1", live.port, timeout=60)
    try:
        connection.request(
            "POST",
            f"/meetings/{live.meeting_id}/{action}",
            body=body,
            headers={
                "Cookie": person.cookie,
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept-Language": "en",
            },
        )
        response = connection.getresponse()
        response.read()
        cookies = response.headers.get_all("Set-Cookie") or []
    finally:
        connection.close()
    name = live.app.config["SESSION_COOKIE_NAME"]
    serializer = live.app.session_interface.get_signing_serializer(live.app)
    for cookie in cookies:
        if cookie.startswith(f"{name}="):
            session = serializer.loads(cookie.split(";", 1)[0].split("=", 1)[1])
            flashes = session.get("_flashes") or []
            return response.status, " ".join(message for _category, message in flashes)
    return response.status, ""


def _all_at_once(live: Live, people, action: str) -> list[tuple[int, str]]:
    start = threading.Barrier(len(people))

    def press(person):
        start.wait()
        return _post(live, person, action)

    with ThreadPoolExecutor(max_workers=len(people)) as pool:
        return list(pool.map(press, people))


def _rows(live: Live) -> list[MeetingRegistration]:
    with live.app.app_context():
        rows = list(
            db.session.scalars(
                sa.select(MeetingRegistration)
                .where(MeetingRegistration.meeting_id == live.meeting_id)
                .order_by(MeetingRegistration.id)
            )
        )
        db.session.expunge_all()
        db.session.remove()
        return rows


def _told(answer: str) -> str:
    if "You are registered" in answer:
        return "registered"
    if "waiting list" in answer:
        return "waiting"
    return answer or "nothing"


def test_twenty_at_once_for_five_places_then_three_cancel_at_once(live):
    answers = _all_at_once(live, live.people, "register")
    assert {status for status, _message in answers} == {302}
    told = {
        person.user_id: _told(message)
        for person, (_s, message) in zip(live.people, answers, strict=True)
    }
    assert Counter(told.values()) == {"registered": PLACES, "waiting": PEOPLE - PLACES}
    rows = _rows(live)
    assert len(rows) == PEOPLE
    # The database agrees with what each person was told.
    assert {row.user_id: row.status for row in rows} == told
    # A double click now: "already registered", nothing new.
    again = _all_at_once(live, live.people[:4], "register")
    assert all("already registered" in message for _status, message in again)
    assert len(_rows(live)) == PEOPLE

    # Three of the registered cancel at the same moment: the first three in line get places.
    line = sorted(
        (row for row in rows if row.status == "waiting"),
        key=lambda row: (row.waiting_since, row.id),
    )
    leaving = [p for p in live.people if told[p.user_id] == "registered"][:3]
    answers = _all_at_once(live, leaving, "unregister")
    assert all("Your registration is cancelled." in message for _s, message in answers)
    after = {row.user_id: row.status for row in _rows(live)}
    assert Counter(after.values()) == {"registered": PLACES, "waiting": 12, "cancelled": 3}
    promoted = {user_id for user_id, status in after.items() if status == "registered"}
    assert {row.user_id for row in line[:3]} <= promoted
    assert not {row.user_id for row in line[3:]} & promoted
    with live.app.app_context():
        notified = db.session.scalar(
            sa.text("SELECT count(*) FROM notifications WHERE kind = 'meeting_place'")
        )
        db.session.remove()
    assert notified == 3
