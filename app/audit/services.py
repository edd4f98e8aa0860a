"""Writing to the audit log and reading it.

Callers flush; the request's transaction commits the entry together with the action it records,
or rolls both back. Details are facts worth keeping (counts, old and new values, titles), never
passwords, tokens or e-mail addresses: `record` refuses keys that name them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import sqlalchemy as sa
from flask import current_app, has_request_context, url_for
from sqlalchemy.orm import joinedload

from app.accounts.models import User
from app.audit.labels import action_label, target_label
from app.audit.models import AuditEntry
from app.cities.models import City
from app.expenditures.models import Expenditure
from app.exports import spreadsheet_safe
from app.extensions import db
from app.pathway.models import CityStep, PathwayStep, PathwaySubStep, StepRecordEntry

PER_PAGE = 50
PANEL_ENTRIES = 5
# A CSV export is one file: a filtered view, not a dump of the whole history at once.
EXPORT_LIMIT = 20_000
# Keys a detail may never have, whatever the caller meant to keep.
FORBIDDEN_DETAIL_KEYS = ("password", "token", "email", "e-mail", "secret")


# Writing.


def record(
    actor: Any,
    action: str,
    *,
    city: Any = None,
    target_type: str | None = None,
    target_id: int | None = None,
    reason: str | None = None,
    details: dict | None = None,
) -> AuditEntry:
    """Append one entry: ``actor`` is the User who acted, or their id (None for the platform
    itself, e.g. the cron closing a consultation)."""
    details = dict(details or {})
    for key in details:
        if any(word in key.lower() for word in FORBIDDEN_DETAIL_KEYS):
            raise ValueError(f"audit details never keep {key!r}")
    entry = AuditEntry(
        actor_id=actor if isinstance(actor, int) else getattr(actor, "id", None),
        city_id=city if isinstance(city, int) else getattr(city, "id", None),
        action=action,
        target_type=target_type,
        target_id=target_id,
        reason=(reason or "").strip() or None,
        details=details,
    )
    db.session.add(entry)
    db.session.flush()
    return entry


def acting_user() -> Any:
    """The signed-in user of this request, for services that are not told who acts (the
    association's template and directory edits); None outside a request (commands, demo)."""
    if not has_request_context():
        return None
    from flask_login import current_user

    return current_user if getattr(current_user, "is_authenticated", False) else None


# The city's history feeds the log: one place covers membership, data, languages, moderators,
# Manifesto signatures and paper ballots, whoever writes them.
CITY_CHANGE_ACTIONS = {
    "created": "cities.created",
    "details": "cities.details_changed",
    "membership": "cities.membership_changed",
    "languages": "cities.languages_changed",
    "moderator_appointed": "cities.moderator_appointed",
    "moderator_removed": "cities.moderator_removed",
    "manifesto_signed": "manifesto.signed",
    "paper_ballots": "voting.paper_batch",
}


def record_city_change(change: Any) -> AuditEntry:
    """The audit entry of one change of the city's history (`app.cities.history`)."""
    facts = dict(change.details or {})
    action = CITY_CHANGE_ACTIONS.get(change.change, "cities.changed")
    target_type, target_id = "city", change.city_id
    details: dict[str, Any] = {"change": change.change}
    if change.change in ("moderator_appointed", "moderator_removed"):
        target_type, target_id = "user", facts.get("user_id")
        details["name"] = facts.get("name")
    elif change.change == "paper_ballots":
        target_type, target_id = "paper_batch", facts.get("batch")
        details.update(
            ballots=facts.get("ballots"),
            consultation=facts.get("consultation"),
            title=facts.get("consultation_title"),
            session=facts.get("session"),
        )
    elif change.change == "manifesto_signed":
        details.update(version=facts.get("version"), signed_on=facts.get("signed_on"))
    elif change.change in ("details", "membership", "languages"):
        details.update(
            {key: value for key, value in facts.items() if key not in ("reason_language",)}
        )
    elif change.change == "created":
        details.update(name=facts.get("name"), slug=facts.get("slug"))
    return record(
        change.author or change.author_id,
        action,
        city=change.city_id,
        target_type=target_type,
        target_id=target_id,
        reason=change.reason,
        details=details,
    )


# Reading.


@dataclass
class AuditFilters:
    city_id: int | None = None
    action: str = ""
    # "" anyone, "system" the platform itself, else a user id.
    actor: str = ""
    since: date | None = None
    until: date | None = None
    # Days begin and end in this zone (the city's, or the platform's for the whole network).
    timezone: str = "UTC"

    def conditions(self) -> list[sa.ColumnElement[bool]]:
        conditions: list[sa.ColumnElement[bool]] = []
        if self.city_id is not None:
            conditions.append(AuditEntry.city_id == self.city_id)
        if self.action:
            conditions.append(AuditEntry.action == self.action)
        if self.actor == "system":
            conditions.append(AuditEntry.actor_id.is_(None))
        elif self.actor.isdigit():
            conditions.append(AuditEntry.actor_id == int(self.actor))
        zone = zone_of(self.timezone)
        if self.since:
            conditions.append(AuditEntry.created_at >= datetime.combine(self.since, time(), zone))
        if self.until:
            end = datetime.combine(self.until + timedelta(days=1), time(), zone)
            conditions.append(AuditEntry.created_at < end)
        return conditions


def zone_of(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or current_app.config.get("BABEL_DEFAULT_TIMEZONE") or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


@dataclass
class AuditRow:
    entry: AuditEntry
    label: str
    target_label: str
    target_url: str | None
    # For an entry about a person: their name as shown today ("deleted participant" after
    # deletion), read when the log is read, so the log itself keeps no resident's name.
    person: str = ""

    @property
    def target_gone(self) -> bool:
        """The entry names an object the log could link to, and it no longer exists."""
        return self.target_url is None and self.entry.target_type in RESOLVERS

    @property
    def target_title(self) -> str:
        details = self.entry.details or {}
        return str(details.get("title") or details.get("name") or self.person)


@dataclass
class AuditPage:
    rows: list[AuditRow]
    # The id of the last entry shown, when older entries follow (keyset pagination).
    older_than: int | None


def _query(filters: AuditFilters) -> sa.Select:
    return (
        sa.select(AuditEntry)
        .options(joinedload(AuditEntry.actor), joinedload(AuditEntry.city))
        .where(*filters.conditions())
        .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
    )


def search(
    filters: AuditFilters, *, before: int | None = None, limit: int | None = None
) -> AuditPage:
    """One page of entries, newest first, older than the entry `before`: a constant number of
    queries whatever the size of the log (the entries, then one query per kind of target)."""
    limit = limit or PER_PAGE
    query = _query(filters)
    if before is not None:
        anchor = sa.select(AuditEntry.created_at).where(AuditEntry.id == before).scalar_subquery()
        query = query.where(
            sa.or_(
                AuditEntry.created_at < anchor,
                sa.and_(AuditEntry.created_at == anchor, AuditEntry.id < before),
            )
        )
    entries = list(db.session.scalars(query.limit(limit + 1)).unique())
    more = len(entries) > limit
    entries = entries[:limit]
    return AuditPage(rows=rows_of(entries), older_than=entries[-1].id if more else None)


def latest_of_city(city: Any, limit: int = PANEL_ENTRIES) -> list[AuditRow]:
    return search(AuditFilters(city_id=city.id), limit=limit).rows


def rows_of(entries: list[AuditEntry]) -> list[AuditRow]:
    links = target_links(entries)
    people = _people({e.target_id for e in entries if e.target_type == "user" and e.target_id})
    return [
        AuditRow(
            entry=entry,
            label=action_label(entry.action),
            target_label=target_label(entry.target_type),
            target_url=links.get((entry.target_type, entry.target_id)),
            person=people.get(entry.target_id, "") if entry.target_type == "user" else "",
        )
        for entry in entries
    ]


def _people(ids: set[int]) -> dict[int, str]:
    """The public names of these people, in one query (none when there is no one)."""

    if not ids:
        return {}
    return {
        user.id: user.public_name
        for user in db.session.scalars(sa.select(User).where(User.id.in_(ids)))
    }


def actors_in_log(city_id: int | None = None) -> list[tuple[int, str]]:
    """The people who acted (in this city), for the filter: (id, name), by name."""

    query = (
        sa.select(User.id, User.display_name)
        .where(sa.exists().where(AuditEntry.actor_id == User.id, *_city(city_id)))
        .order_by(User.display_name, User.id)
    )
    return [(user_id, name) for user_id, name in db.session.execute(query).all()]


def _city(city_id: int | None) -> list[sa.ColumnElement[bool]]:
    return [] if city_id is None else [AuditEntry.city_id == city_id]


# Links to what an entry is about, while it still exists: one query per kind of target.


def _resolver(model_path: str, columns: Callable, url: Callable) -> Callable:
    def resolve(ids: set[int]) -> dict[int, str]:
        model = _model(model_path)
        query = sa.select(model.id, *columns(model)).where(model.id.in_(ids))
        return {row[0]: url(*row) for row in db.session.execute(query).all()}

    return resolve


def _model(path: str) -> Any:
    import importlib

    module, name = path.rsplit(".", 1)
    return getattr(importlib.import_module(module), name)


def _city_steps(ids: set[int]) -> dict[int, str]:
    query = (
        sa.select(CityStep.id, City.slug, PathwayStep.key)
        .join(City, City.id == CityStep.city_id)
        .join(PathwayStep, PathwayStep.id == CityStep.step_id)
        .where(CityStep.id.in_(ids))
    )
    return {
        row[0]: url_for("cities.step_by_key", slug=row[1], key=row[2])
        for row in db.session.execute(query).all()
    }


def _record_entries(ids: set[int]) -> dict[int, str]:
    query = (
        sa.select(StepRecordEntry.id, City.slug, PathwayStep.key)
        .join(CityStep, CityStep.id == StepRecordEntry.city_step_id)
        .join(City, City.id == CityStep.city_id)
        .join(PathwayStep, PathwayStep.id == CityStep.step_id)
        .where(StepRecordEntry.id.in_(ids))
    )
    return {
        row[0]: url_for("cities.step_by_key", slug=row[1], key=row[2], _anchor=f"entry-{row[0]}")
        for row in db.session.execute(query).all()
    }


def _sub_steps(ids: set[int]) -> dict[int, str]:
    query = (
        sa.select(PathwaySubStep.id, City.slug)
        .join(CityStep, CityStep.id == PathwaySubStep.city_step_id)
        .join(City, City.id == CityStep.city_id)
        .where(PathwaySubStep.id.in_(ids))
    )
    return {
        row[0]: url_for("pathway.tailored", slug=row[1], _anchor=f"sub-step-{row[0]}")
        for row in db.session.execute(query).all()
    }


def _expenditures(ids: set[int]) -> dict[int, str]:
    query = (
        sa.select(Expenditure.id, City.slug)
        .join(City, City.id == Expenditure.city_id)
        .where(Expenditure.id.in_(ids))
    )
    return {
        row[0]: url_for("expenditures.plan", slug=row[1]) for row in db.session.execute(query).all()
    }


RESOLVERS: dict[str, Callable[[set[int]], dict[int, str]]] = {
    "consultation": _resolver(
        "app.consultations.models.Consultation",
        lambda m: (),
        lambda i: url_for("consultations.show", consultation_id=i),
    ),
    "proposal": _resolver(
        "app.proposals.models.Proposal",
        lambda m: (),
        lambda i: url_for("proposals.show", proposal_id=i),
    ),
    "comment": _resolver(
        "app.proposals.models.Comment",
        lambda m: (m.proposal_id,),
        lambda i, p: url_for("proposals.show", proposal_id=p, _anchor=f"comment-{i}"),
    ),
    "city": _resolver(
        "app.cities.models.City", lambda m: (m.slug,), lambda i, s: url_for("cities.show", slug=s)
    ),
    "paper_batch": _resolver(
        "app.voting.models.PaperBatch",
        lambda m: (m.consultation_id,),
        lambda i, c: url_for("voting.paper_batch", consultation_id=c, batch_id=i),
    ),
    "manifesto_version": _resolver(
        "app.manifesto.models.ManifestoVersion",
        lambda m: (m.number,),
        lambda i, n: url_for("manifesto.version", number=n),
    ),
    "pathway_step": _resolver(
        "app.pathway.models.PathwayStep",
        lambda m: (m.key,),
        lambda i, k: url_for("pathway.template", _anchor=f"step-{k}"),
    ),
    "city_step": _city_steps,
    "sub_step": _sub_steps,
    "record_entry": _record_entries,
    "expenditure": _expenditures,
    "project": _resolver(
        "app.projects.models.Project",
        lambda m: (),
        lambda i: url_for("projects.show", project_id=i),
    ),
    "course": _resolver(
        "app.training.models.Course",
        lambda m: (m.slug,),
        lambda i, s: url_for("training.course", slug=s),
    ),
    "practice": _resolver(
        "app.practices.models.GoodPractice",
        lambda m: (),
        lambda i: url_for("practices.show", practice_id=i),
    ),
    "operator": _resolver(
        "app.operators.models.ParticipationOperator",
        lambda m: (),
        lambda i: url_for("operators.show", operator_id=i),
    ),
}


def target_links(entries: Iterable[AuditEntry]) -> dict[tuple[str, int], str]:
    wanted: dict[str, set[int]] = {}
    for entry in entries:
        if entry.target_type in RESOLVERS and entry.target_id is not None:
            wanted.setdefault(entry.target_type, set()).add(entry.target_id)
    links: dict[tuple[str, int], str] = {}
    for target_type, ids in sorted(wanted.items()):
        for target_id, url in RESOLVERS[target_type](ids).items():
            links[(target_type, target_id)] = url
    return links


# Export.

CSV_HEADER = (
    "id",
    "created_at_utc",
    "created_at_local",
    "city",
    "actor_id",
    "actor",
    "action",
    "action_label",
    "target_type",
    "target_id",
    "reason",
    "details",
)


def export_csv(filters: AuditFilters) -> str:
    import json

    entries = db.session.scalars(_query(filters).limit(EXPORT_LIMIT)).unique()
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_HEADER)
    for entry in entries:
        zone = zone_of(entry.city.timezone if entry.city else None)
        writer.writerow(
            [
                entry.id,
                entry.created_at.isoformat(),
                entry.created_at.astimezone(zone).isoformat(),
                entry.city.slug if entry.city else "",
                entry.actor_id or "",
                spreadsheet_safe(entry.actor.display_name) if entry.actor else "",
                entry.action,
                spreadsheet_safe(action_label(entry.action)),
                entry.target_type or "",
                entry.target_id if entry.target_id is not None else "",
                spreadsheet_safe(entry.reason),
                spreadsheet_safe(
                    json.dumps(entry.details or {}, ensure_ascii=False, sort_keys=True)
                ),
            ]
        )
    return buffer.getvalue()


def snapshot(obj: Any, fields: Iterable[str]) -> dict[str, Any]:
    """The values of `fields` now, to tell later which of them an edit changed."""
    return {name: getattr(obj, name) for name in fields}


def changed(before: dict[str, Any], obj: Any) -> list[str]:
    return [
        name
        for name, value in before.items()
        if _comparable(getattr(obj, name)) != _comparable(value)
    ]


def _comparable(value: Any) -> Any:
    # Collections compare whatever their order (phases by kind, languages by code).
    if isinstance(value, list | tuple):
        return sorted(value, key=lambda item: repr(getattr(item, "kind", item)))
    return value


CONSULTATION_FIELDS = (
    "title",
    "description",
    "language",
    "languages",
    "city_step_id",
    "voting_method",
    "support_limit",
    "support_threshold",
    "budget_amount",
    "currency",
    "min_spend_share",
    "budget_rule",
    "participation",
    "completes_step",
    "windows",
)
