"""Two workers sending the "at once" e-mails at the same time, for real (threads, each with its
own connection, on PostgreSQL): every e-mail goes out exactly once."""

from __future__ import annotations

import sqlalchemy as sa

from app.db_types import utcnow
from app.extensions import db
from app.notifications.commands import send_pending
from app.notifications.models import Notification
from tests import factories
from tests.voting.test_concurrency import Created, _run_together, committed  # noqa: F401

WORKERS = 4
READERS = 40


def test_workers_at_once_send_each_email_once(app, committed: Created, outbox):  # noqa: F811
    readers = [factories.user() for _ in range(READERS)]
    committed.users.extend(reader.id for reader in readers)
    # Waiting to be mailed at once (no consultation: nothing else to set up and clean away).
    db.session.execute(
        sa.insert(Notification),
        [{"user_id": r.id, "kind": "translation_published", "channel": "email"} for r in readers],
    )
    db.session.commit()

    outcomes = _run_together(app, WORKERS, lambda _i: send_pending(utcnow()))

    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert sum(sent for sent, _failed in outcomes) == READERS
    assert sorted(mail["to"] for mail in outbox()) == sorted(r.email for r in readers)
    pending = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Notification)
        .where(Notification.user_id.in_([r.id for r in readers]), Notification.emailed_at.is_(None))
    )
    assert pending == 0
