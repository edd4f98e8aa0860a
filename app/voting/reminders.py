"""Reminders to voters who started a budget ballot and did not cast it.

Once per ballot (Ballot.reminded_at), when the voting phase ends within the next 48 hours;
idempotent, so cron can run `flask ballots remind` as often as it likes. A ballot is claimed by
a conditional UPDATE before its mail is sent, so two runs at once never send it twice.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import current_app, has_request_context, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.orm import aliased

from app.accounts.models import User
from app.consultations.models import Consultation, ConsultationPhase
from app.db_types import utcnow
from app.extensions import db
from app.i18n import deadline
from app.mail import send_mail
from app.voting.models import Ballot, BallotItem

REMIND_BEFORE = timedelta(hours=48)


def due_reminders(now: datetime) -> list[tuple[int, int, datetime]]:
    """(ballot id, consultation id, voting end) of the draft ballots to remind now."""
    voting = aliased(ConsultationPhase)
    return [
        (ballot_id, consultation_id, ends_at)
        for ballot_id, consultation_id, ends_at in db.session.execute(
            sa.select(Ballot.id, Consultation.id, voting.ends_at)
            .join(Consultation, Consultation.id == Ballot.consultation_id)
            .join(
                voting,
                sa.and_(voting.consultation_id == Consultation.id, voting.kind == "voting"),
            )
            .where(
                Ballot.status == "draft",
                Ballot.channel == "online",
                Ballot.user_id.is_not(None),
                Ballot.reminded_at.is_(None),
                # Started: at least one proposal chosen.
                sa.exists().where(BallotItem.ballot_id == Ballot.id),
                Consultation.voting_method == "budget",
                Consultation.closed_at.is_(None),
                voting.starts_at <= now,
                voting.ends_at > now,
                voting.ends_at <= now + REMIND_BEFORE,
            )
            .order_by(Ballot.id)
        ).all()
    ]


def ballot_url(consultation_id: int, base_url: str | None = None) -> str:
    """The ballot page's full address, also from the command line (no request there)."""
    if base_url is None and (has_request_context() or current_app.config.get("SERVER_NAME")):
        return url_for("voting.ballot", consultation_id=consultation_id, _external=True)
    parts = urlsplit(base_url or "http://127.0.0.1:5000")
    adapter = current_app.url_map.bind(
        parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme or "http"
    )
    return adapter.build("voting.ballot", {"consultation_id": consultation_id}, force_external=True)


def _message(user: User, consultation: Consultation, ends_at: datetime, url: str):
    with force_locale(user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        subject = _("Your ballot is not cast yet: %(title)s", title=consultation.title)
        body = _(
            "Hello %(name)s,\n\n"
            "you started a ballot in the consultation “%(title)s” of %(city)s, but you have not "
            "cast it yet: a draft is not counted.\n\n"
            "Voting ends on %(date)s. Review your choice and cast your ballot here:\n%(url)s\n\n"
            "Learning Cities",
            name=user.display_name,
            title=consultation.title,
            city=consultation.city.name,
            date=deadline(ends_at, consultation.city.timezone, consultation.city.name),
            url=url,
        )
    return subject, body


def send_ballot_reminders(now: datetime | None = None, *, base_url: str | None = None) -> int:
    """Remind every voter with a draft ballot whose voting ends within 48 hours, once.

    Commits after each mail, so a failure part-way keeps what was sent (and only that) marked.
    """
    now = now or utcnow()
    sent = 0
    for ballot_id, consultation_id, ends_at in due_reminders(now):
        claimed = db.session.execute(
            sa.update(Ballot)
            .where(Ballot.id == ballot_id, Ballot.reminded_at.is_(None), Ballot.status == "draft")
            .values(reminded_at=now)
            .execution_options(synchronize_session=False)
        ).rowcount
        if claimed != 1:
            continue  # another run reminded it meanwhile
        ballot = db.session.get(Ballot, ballot_id)
        consultation = db.session.get(Consultation, consultation_id)
        user = ballot.user
        try:
            subject, body = _message(
                user, consultation, ends_at, ballot_url(consultation.id, base_url)
            )
            send_mail(user.email, subject, body)
        except Exception:
            db.session.rollback()
            raise
        db.session.commit()
        sent += 1
    return sent
