"""Step records: append an entry, read a record, find each step's latest entry.

Every feature that writes to a city's record (status changes, the Manifesto's supporters,
expenditures, training, consultation results) goes through `append_entry`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, lazyload

from app.accounts.models import User
from app.db_types import utcnow
from app.extensions import db
from app.pathway.models import ENTRY_KINDS, CityStep, PathwayStep, StepRecordEntry


def step_titles_snapshot(step: PathwayStep) -> dict[str, str]:
    """The template step's title in every locale, as it reads now."""
    return {text.locale: text.title for text in step.texts}


def append_entry(
    city_step: CityStep,
    kind: str,
    *,
    language: str,
    author: User | None = None,
    title: str = "",
    body: str = "",
    link_url: str | None = None,
    file_reference: str | None = None,
    amount: Decimal | None = None,
    currency: str | None = None,
    data: dict | None = None,
    corrects: StepRecordEntry | None = None,
    at: datetime | None = None,
) -> StepRecordEntry:
    """Add an entry at the end of the city step's record (flushes, never commits).

    The entry is dated now. `at` dates it at an earlier moment instead, for history written
    after it happened: imports and the demo seed (entries cannot be changed once written, so
    the date is given here or never). People's requests never pass it, and a moment in the
    future is refused.
    """
    if kind not in ENTRY_KINDS:
        raise ValueError(f"unknown record entry kind {kind!r}")
    written_at = utcnow()
    if at is not None:
        if at.tzinfo is None:
            raise ValueError("a record entry's moment needs its time zone")
        if at > written_at:
            raise ValueError("a record entry cannot be dated in the future")
        written_at = at
    if corrects is not None and corrects.created_at > written_at:
        raise ValueError("a correction is dated after the entry it corrects")
    if corrects is not None and corrects.city_step_id != city_step.id:
        raise ValueError("a correction belongs to the record of the entry it corrects")
    entry = StepRecordEntry(
        city_step_id=city_step.id,
        kind=kind,
        language=language,
        author=author,
        title=title.strip(),
        body=body.strip(),
        link_url=link_url or None,
        file_reference=file_reference or None,
        amount=amount,
        currency=currency,
        data=data,
        corrects=corrects,
        step_titles=step_titles_snapshot(city_step.step),
        created_at=written_at,
    )
    db.session.add(entry)
    db.session.flush()
    return entry


def record_of(city_step: CityStep) -> list[StepRecordEntry]:
    """The whole record, newest first, with its authors (one query).

    The record shows an author's public name only: their languages, memberships and
    appointments (loaded with every User by default) are not fetched."""
    return list(
        db.session.scalars(
            sa.select(StepRecordEntry)
            .where(StepRecordEntry.city_step_id == city_step.id)
            .options(
                joinedload(StepRecordEntry.author).options(
                    lazyload(User.content_languages),
                    lazyload(User.memberships),
                    lazyload(User.moderator_appointments),
                )
            )
            .order_by(StepRecordEntry.created_at.desc(), StepRecordEntry.id.desc())
        )
    )


def corrected_ids(entries: Iterable[StepRecordEntry]) -> dict[int, int]:
    """For each corrected entry among `entries`, the id of its newest correction."""
    corrections: dict[int, int] = {}
    for entry in sorted(entries, key=lambda e: (e.created_at, e.id)):
        if entry.corrects_id is not None:
            corrections[entry.corrects_id] = entry.id
    return corrections


def latest_entries(city_step_ids: Iterable[int]) -> dict[int, StepRecordEntry]:
    """The newest entry of each of these city steps, in one query whatever their number.

    Newest by date, then by id: an entry dated in the past (imported, or demo data) written
    after a newer one does not hide it.
    """
    ids = list(city_step_ids)
    if not ids:
        return {}
    ranked = (
        sa.select(
            StepRecordEntry.id,
            sa.func.row_number()
            .over(
                partition_by=StepRecordEntry.city_step_id,
                order_by=(StepRecordEntry.created_at.desc(), StepRecordEntry.id.desc()),
            )
            .label("rank"),
        )
        .where(StepRecordEntry.city_step_id.in_(ids))
        .subquery()
    )
    entries = db.session.scalars(
        sa.select(StepRecordEntry).join(
            ranked, sa.and_(StepRecordEntry.id == ranked.c.id, ranked.c.rank == 1)
        )
    )
    return {entry.city_step_id: entry for entry in entries}
