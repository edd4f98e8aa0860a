"""Privacy operations: what we hold about a person, deleting an account, the opt-in community.

Plain functions that flush and never commit: the request commits once, so deleting an account
is one transaction (all of it, or nothing).
"""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from app.accounts.models import Organisation, OrganisationMembership, User
from app.attachments import services as attachments
from app.auth.permissions import is_association_staff, moderates_any_city
from app.cities.models import City
from app.consultations.models import Consultation, ResidentConfirmation
from app.extensions import db
from app.manifesto.models import ManifestoEndorsement
from app.meetings import services as meetings
from app.moderation.models import Block, Report
from app.notifications.models import Follow, Notification, NotificationPreference
from app.numbers import json_amount
from app.practices.models import GoodPractice
from app.proposals.models import Comment, Proposal
from app.training.models import ModuleCompletion
from app.voting.models import Ballot, BallotItem, Support, SupportQuota

EXPORT_FORMAT = "learning-cities-personal-data/1"
COMMUNITY_MAX_LENGTH = 80


def _when(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


# The opt-in community


def clean_community(value: str | None) -> str | None:
    """Trimmed, inner runs of blanks collapsed; empty means "not declared"."""
    cleaned = " ".join((value or "").split())
    return cleaned or None


def set_community(user: User, value: str | None) -> None:
    cleaned = clean_community(value)
    if cleaned is not None and len(cleaned) > COMMUNITY_MAX_LENGTH:
        raise ValueError("community too long")
    user.community = cleaned
    db.session.flush()


def delete_community(user: User) -> None:
    user.community = None
    db.session.flush()


# Download all my data


def export_data(user: User, *, now: datetime) -> dict[str, Any]:
    """Everything the platform holds about `user`, as plain JSON-ready data.

    One query per kind of data, whatever the number of rows.
    """
    proposals = db.session.execute(
        sa.select(
            Proposal.id,
            Proposal.consultation_id,
            Consultation.title.label("consultation_title"),
            Proposal.organisation_id,
            Proposal.title,
            Proposal.body,
            Proposal.language,
            Proposal.category,
            Proposal.cost,
            Proposal.status,
            Proposal.supports_count,
            Proposal.created_at,
            Proposal.updated_at,
        )
        .join(Consultation, Consultation.id == Proposal.consultation_id)
        .where(Proposal.author_id == user.id)
        .order_by(Proposal.id)
    ).all()
    comments = db.session.execute(
        sa.select(
            Comment.id,
            Comment.proposal_id,
            Proposal.title,
            Comment.parent_id,
            Comment.organisation_id,
            Comment.body,
            Comment.language,
            Comment.alignment,
            Comment.status,
            Comment.created_at,
            Comment.edited_at,
        )
        .join(Proposal, Proposal.id == Comment.proposal_id)
        .where(Comment.author_id == user.id)
        .order_by(Comment.id)
    ).all()
    supports = db.session.execute(
        sa.select(
            Support.consultation_id,
            Support.proposal_id,
            Proposal.title,
            Support.language,
            Support.created_at,
        )
        .join(Proposal, Proposal.id == Support.proposal_id)
        .where(Support.user_id == user.id)
        .order_by(Support.id)
    ).all()
    ballots = db.session.execute(
        sa.select(
            Ballot.id,
            Ballot.consultation_id,
            Consultation.title.label("consultation_title"),
            Ballot.status,
            Ballot.receipt,
            Ballot.total_cost,
            Ballot.language,
            Ballot.created_at,
            Ballot.updated_at,
            Ballot.cast_at,
        )
        .join(Consultation, Consultation.id == Ballot.consultation_id)
        .where(Ballot.user_id == user.id)
        .order_by(Ballot.id)
    ).all()
    ballot_items = db.session.execute(
        sa.select(BallotItem.ballot_id, BallotItem.proposal_id, Proposal.title, BallotItem.points)
        .join(Ballot, Ballot.id == BallotItem.ballot_id)
        .join(Proposal, Proposal.id == BallotItem.proposal_id)
        .where(Ballot.user_id == user.id)
        .order_by(BallotItem.ballot_id, BallotItem.proposal_id)
    ).all()
    follows = db.session.execute(
        sa.select(Follow.consultation_id, Follow.proposal_id, Follow.created_at)
        .where(Follow.user_id == user.id)
        .order_by(Follow.id)
    ).all()
    notifications = db.session.execute(
        sa.select(
            Notification.kind,
            Notification.consultation_id,
            Notification.proposal_id,
            Notification.comment_id,
            Notification.created_at,
            Notification.read_at,
            Notification.digested_at,
            Notification.channel,
            Notification.emailed_at,
            Notification.data,
        )
        .where(Notification.user_id == user.id)
        .order_by(Notification.id)
    ).all()
    channels = db.session.execute(
        sa.select(NotificationPreference.kind, NotificationPreference.channel)
        .where(NotificationPreference.user_id == user.id)
        .order_by(NotificationPreference.kind)
    ).all()
    residences = db.session.execute(
        sa.select(City.slug, City.name, ResidentConfirmation.created_at)
        .join(City, City.id == ResidentConfirmation.city_id)
        .where(ResidentConfirmation.user_id == user.id)
        .order_by(ResidentConfirmation.id)
    ).all()
    memberships = db.session.execute(
        sa.select(
            Organisation.slug,
            Organisation.name,
            OrganisationMembership.role,
            OrganisationMembership.joined_at,
        )
        .join(Organisation, Organisation.id == OrganisationMembership.organisation_id)
        .where(OrganisationMembership.user_id == user.id)
        .order_by(Organisation.name, Organisation.id)
    ).all()
    endorsements = db.session.execute(
        sa.select(
            City.slug, City.name, ManifestoEndorsement.show_name, ManifestoEndorsement.created_at
        )
        .join(City, City.id == ManifestoEndorsement.city_id)
        .where(ManifestoEndorsement.user_id == user.id)
        .order_by(ManifestoEndorsement.id)
    ).all()
    practices = db.session.execute(
        sa.select(GoodPractice.id, GoodPractice.title, GoodPractice.created_at)
        .where(GoodPractice.submitted_by_id == user.id)
        .order_by(GoodPractice.id)
    ).all()
    completions = db.session.execute(
        sa.select(ModuleCompletion.module_id, ModuleCompletion.completed_at)
        .where(ModuleCompletion.user_id == user.id)
        .order_by(ModuleCompletion.id)
    ).all()
    reports = db.session.execute(
        sa.select(
            Report.target_type,
            Report.target_id,
            City.slug,
            Report.category,
            Report.text,
            Report.created_at,
            Report.resolution,
            Report.resolved_at,
        )
        .join(City, City.id == Report.city_id)
        .where(Report.reporter_id == user.id)
        .order_by(Report.id)
    ).all()
    blocks = db.session.execute(
        sa.select(City.slug, Block.reason, Block.created_at, Block.ends_at, Block.lifted_at)
        .outerjoin(City, City.id == Block.city_id)
        .where(Block.user_id == user.id)
        .order_by(Block.id)
    ).all()
    # Municipal roles: the appointments are loaded with the user (one query, already counted).
    appointments = sorted(user.moderator_appointments, key=lambda a: (a.city.name, a.city_id))

    items_by_ballot: dict[int, list[dict]] = {}
    for ballot_id, proposal_id, title, points in ballot_items:
        items_by_ballot.setdefault(ballot_id, []).append(
            {"proposal": proposal_id, "proposal_title": title, "points": points}
        )

    return {
        "format": EXPORT_FORMAT,
        "exported_at": now.isoformat(),
        "account": {
            "id": user.id,
            "email": user.email,
            "email_confirmed_at": _when(user.confirmed_at),
            "display_name": user.display_name,
            "interface_locale": user.locale,
            "daily_email_digest": user.email_digest,
            "association_role": user.association_role,
            "created_at": _when(user.created_at),
        },
        "content_languages": user.content_language_codes,
        "community": user.community,
        "home_city": db.session.get(City, user.home_city_id).slug if user.home_city_id else None,
        "organisations": [
            {"slug": slug, "name": name, "role": role, "joined_at": _when(joined)}
            for slug, name, role, joined in memberships
        ],
        "municipal_roles": [
            {
                "role": "municipal_moderator",
                "city": a.city.slug,
                "city_name": a.city.name,
                "appointed_at": _when(a.appointed_at),
            }
            for a in appointments
        ],
        "resident_confirmations": [
            {"city": slug, "city_name": name, "confirmed_at": _when(created)}
            for slug, name, created in residences
        ],
        "proposals": [
            {
                "id": row.id,
                "consultation": row.consultation_id,
                "consultation_title": row.consultation_title,
                "posted_as_organisation": row.organisation_id,
                "title": row.title,
                "body": row.body,
                "language": row.language,
                "category": row.category,
                "cost": json_amount(row.cost),
                "status": row.status,
                "supports": row.supports_count,
                "created_at": _when(row.created_at),
                "updated_at": _when(row.updated_at),
            }
            for row in proposals
        ],
        "comments": [
            {
                "id": row.id,
                "proposal": row.proposal_id,
                "proposal_title": row.title,
                "reply_to": row.parent_id,
                "posted_as_organisation": row.organisation_id,
                "body": row.body,
                "language": row.language,
                "alignment": row.alignment,
                "status": row.status,
                "created_at": _when(row.created_at),
                "edited_at": _when(row.edited_at),
            }
            for row in comments
        ],
        "supports": [
            {
                "consultation": consultation_id,
                "proposal": proposal_id,
                "proposal_title": title,
                "language": language,
                "created_at": _when(created),
            }
            for consultation_id, proposal_id, title, language, created in supports
        ],
        "ballots": [
            {
                "consultation": row.consultation_id,
                "consultation_title": row.consultation_title,
                "status": row.status,
                "receipt": row.receipt,
                "total_cost": json_amount(row.total_cost),
                "language": row.language,
                "created_at": _when(row.created_at),
                "updated_at": _when(row.updated_at),
                "cast_at": _when(row.cast_at),
                "items": items_by_ballot.get(row.id, []),
            }
            for row in ballots
        ],
        "follows": [
            {"consultation": consultation_id, "proposal": proposal_id, "since": _when(created)}
            for consultation_id, proposal_id, created in follows
        ],
        "notifications": [
            {
                "kind": row.kind,
                "consultation": row.consultation_id,
                "proposal": row.proposal_id,
                "comment": row.comment_id,
                "created_at": _when(row.created_at),
                "read_at": _when(row.read_at),
                "sent_in_digest_at": _when(row.digested_at),
                "channel": row.channel,
                "emailed_at": _when(row.emailed_at),
                "details": row.data,
            }
            for row in notifications
        ],
        "notification_channels": {row.kind: row.channel for row in channels},
        "reports_made": [
            {
                "item_type": row.target_type,
                "item": row.target_id,
                "city": row.slug,
                "category": row.category,
                "text": row.text,
                "created_at": _when(row.created_at),
                "resolution": row.resolution,
                "resolved_at": _when(row.resolved_at),
            }
            for row in reports
        ],
        "blocks": [
            {
                "city": slug,  # None: every city
                "reason": reason,
                "created_at": _when(created),
                "ends_at": _when(ends),
                "lifted_at": _when(lifted),
            }
            for slug, reason, created, ends, lifted in blocks
        ],
        "manifesto_endorsements": [
            {"city": slug, "city_name": name, "name_shown": shown, "created_at": _when(created)}
            for slug, name, shown, created in endorsements
        ],
        "good_practices_submitted": [
            {"id": practice_id, "title": title, "created_at": _when(created)}
            for practice_id, title, created in practices
        ],
        "training_modules_completed": [
            {"module": module_id, "completed_at": _when(completed)}
            for module_id, completed in completions
        ],
    }


# Delete my account


def deletion_blocked(user: User) -> bool:
    """Municipal moderators and association staff first hand their role over: their acts are
    part of cities' records and must keep a named, reachable person behind them."""
    return moderates_any_city(user) or is_association_staff(user)


def tombstone_email(user: User) -> str:
    """A unique value that is not an e-mail address (no "@"), so nobody can log in with it,
    reset its password or receive mail at it, and the real address is free to register again."""
    return f"deleted-{user.id}-{secrets.token_hex(8)}"


def unusable_password_hash() -> str:
    # Not an argon2 hash: verifying any password against it fails.
    return "!deleted-" + secrets.token_hex(16)


def delete_account(user: User, *, now: datetime) -> None:
    """Delete a person's account, keeping what others rely on, unlinked from them.

    Texts (proposals, comments) stay, shown as by a "deleted participant"; supports and cast
    ballots stay counted, with no link to the person; everything else about them goes.
    """
    if deletion_blocked(user):
        raise PermissionError("municipal moderators and association staff cannot delete")
    uid = user.id

    # Votes stay counted, unlinked.
    # One random key per consultation keeps "one person" countable in each, unlinked.
    supported_in = db.session.scalars(
        sa.select(Support.consultation_id).where(Support.user_id == uid).distinct()
    ).all()
    for consultation_id in supported_in:
        db.session.execute(
            sa.update(Support)
            .where(Support.user_id == uid, Support.consultation_id == consultation_id)
            .values(user_id=None, voter_key="deleted-" + secrets.token_hex(12)),
            execution_options={"synchronize_session": "fetch"},
        )
    db.session.execute(
        sa.update(Ballot)
        .where(Ballot.user_id == uid, Ballot.status == "cast")
        .values(user_id=None),
        execution_options={"synchronize_session": "fetch"},
    )
    # What only served the person goes (draft ballots take their items with them).
    draft_ids = list(
        db.session.scalars(
            sa.select(Ballot.id).where(Ballot.user_id == uid, Ballot.status == "draft")
        )
    )
    if draft_ids:
        db.session.execute(
            sa.delete(BallotItem).where(BallotItem.ballot_id.in_(draft_ids)),
            execution_options={"synchronize_session": False},
        )
        db.session.execute(
            sa.delete(Ballot).where(Ballot.id.in_(draft_ids)),
            execution_options={"synchronize_session": "fetch"},
        )
    for model in (SupportQuota, Follow, Notification, NotificationPreference, ResidentConfirmation):
        db.session.execute(
            sa.delete(model).where(model.user_id == uid),
            execution_options={"synchronize_session": "fetch"},
        )
    # Others' notifications keep what happened, not who did it.
    db.session.execute(
        sa.update(Notification).where(Notification.actor_id == uid).values(actor_id=None),
        execution_options={"synchronize_session": "fetch"},
    )
    # A resident's Manifesto support stays counted, never named again.
    db.session.execute(
        sa.update(ManifestoEndorsement)
        .where(ManifestoEndorsement.user_id == uid)
        .values(show_name=False),
        execution_options={"synchronize_session": "fetch"},
    )
    # Their places at meetings go, each to the next person waiting (the account row stays, so
    # the foreign key's cascade would not free them).
    meetings.forget_user(uid, now=now)
    # Their photos and documents: rows now, stored files once the deletion commits.
    attachments.delete_for_user(uid)
    user.content_languages.clear()
    user.memberships.clear()

    # The tombstone: no address, no name, no password, no preferences.
    user.email = tombstone_email(user)
    user.display_name = ""
    user.password_hash = unusable_password_hash()
    user.confirmed_at = None
    user.locale = None
    user.email_digest = False
    user.community = None
    user.home_city_id = None
    user.deleted_at = now
    user.end_sessions()
    db.session.flush()
