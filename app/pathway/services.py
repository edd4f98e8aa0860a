"""Pathway template, city steps, step records as read on a page, and tailored pathways.

How the template changes without breaking what cities recorded
-------------------------------------------------------------
The template's texts are *live and shared*: the association admin rewords, reorders, adds or
retires a step, and every city's path shows the change at once. It is not versioned. What a city
recorded is protected another way: each record entry keeps the step titles it was written under
(`StepRecordEntry.step_titles`, a snapshot in every locale taken by `append_entry`), and an entry
points at its city step, never at a position. So:

- rewording a step changes the step's heading, not a word of any entry (the record page says
  "recorded under the step title …" where the snapshot differs from today's title);
- reordering changes positions only, and positions are read at display time;
- retiring a step (`retired_at`) takes it off every city's path, but the city steps and their
  records stay, readable at /cities/<slug>/steps/key/<key>; restoring it puts it back at the end;
- adding a step puts it at the end and gives every city a city step for it.

Positions of the active steps always run 1..n; a retired step keeps the position it had, which
is why every lookup by position filters on `retired_at IS NULL`.

Tailored pathways are the city's own sub-steps (`PathwaySubStep`) hung under its city steps: the
shared template is not touched. Their changes are appended to the parent step's record.

Functions flush, never commit.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask import abort

from app.accounts.models import User
from app.audit import services as audit
from app.cities.models import City
from app.extensions import db
from app.pathway.default_template import DEFAULT_STEPS
from app.pathway.models import (
    SUB_STEP_STATUSES,
    CityStep,
    PathwayStep,
    PathwayStepText,
    PathwaySubStep,
    StepRecordEntry,
)
from app.pathway.records import append_entry, corrected_ids, record_of

# The kinds a person writes by hand; the others are written by features (status, expenditure…).
MANUAL_KINDS = ("note", "decision", "evidence")


class PathwayError(ValueError):
    """A change the pathway refuses (the message is a key the view turns into words)."""


def ensure_default_template() -> list[PathwayStep]:
    """Create the ten default steps and their texts where missing; never overwrite edits."""
    existing = {step.key: step for step in db.session.scalars(sa.select(PathwayStep))}
    for spec in DEFAULT_STEPS:
        step = existing.get(spec["key"])
        if step is None:
            step = PathwayStep(key=spec["key"], position=spec["position"])
            db.session.add(step)
            existing[spec["key"]] = step
        have = {text.locale for text in step.texts}
        for locale, text in spec["texts"].items():
            if locale not in have:
                step.texts.append(PathwayStepText(locale=locale, **text))
    db.session.flush()
    return sorted(existing.values(), key=lambda s: s.position)


def ensure_city_steps(city: City) -> None:
    """Give the city one city step per active template step (idempotent)."""
    steps = db.session.scalars(sa.select(PathwayStep).where(PathwayStep.retired_at.is_(None)))
    have = set(db.session.scalars(sa.select(CityStep.step_id).where(CityStep.city_id == city.id)))
    for step in steps:
        if step.id not in have:
            db.session.add(CityStep(city=city, step_id=step.id))
    db.session.flush()


def ensure_all_city_steps() -> None:
    """`ensure_city_steps` for every city at once, in two queries whatever their number."""
    active = set(
        db.session.scalars(sa.select(PathwayStep.id).where(PathwayStep.retired_at.is_(None)))
    )
    city_ids = set(db.session.scalars(sa.select(City.id)))
    have = {tuple(row) for row in db.session.execute(sa.select(CityStep.city_id, CityStep.step_id))}
    for city_id in sorted(city_ids):
        for step_id in sorted(active):
            if (city_id, step_id) not in have:
                db.session.add(CityStep(city_id=city_id, step_id=step_id))
    db.session.flush()


# The template, as the association admin edits it.


def template_steps() -> tuple[list[PathwayStep], list[PathwayStep]]:
    """The active steps in order, then the retired ones (latest retired first)."""
    steps = list(db.session.scalars(sa.select(PathwayStep).order_by(PathwayStep.position)))
    active = [step for step in steps if step.retired_at is None]
    retired = sorted(
        (step for step in steps if step.retired_at is not None),
        key=lambda step: step.retired_at,
        reverse=True,
    )
    return active, retired


def get_step_or_404(key: str) -> PathwayStep:
    step = db.session.scalar(sa.select(PathwayStep).where(PathwayStep.key == key))
    if step is None:
        abort(404)
    return step


def key_taken(key: str) -> bool:
    return db.session.scalar(sa.select(PathwayStep.id).where(PathwayStep.key == key)) is not None


def set_step_texts(step: PathwayStep, texts: dict[str, dict[str, str]]) -> None:
    """Write the step's texts, one per locale: {locale: {title, description, guidance}}."""
    by_locale = {text.locale: text for text in step.texts}
    before = {t.locale: (t.title, t.description, t.guidance) for t in by_locale.values()}
    for locale, values in texts.items():
        text = by_locale.get(locale)
        if text is None:
            text = PathwayStepText(locale=locale, title="")
            step.texts.append(text)
        text.title = values["title"].strip()
        text.description = (values.get("description") or "").strip()
        text.guidance = (values.get("guidance") or "").strip()
    db.session.flush()
    after = {t.locale: (t.title, t.description, t.guidance) for t in step.texts}
    if before and after != before:
        _audit_step(
            "pathway.step_edited",
            step,
            locales=sorted(code for code in after if after[code] != before.get(code)),
        )


def add_step(key: str, texts: dict[str, dict[str, str]]) -> PathwayStep:
    """A new step at the end of the path; every city gets a city step for it."""
    if key_taken(key):
        raise PathwayError("key_taken")
    last = db.session.scalar(
        sa.select(sa.func.max(PathwayStep.position)).where(PathwayStep.retired_at.is_(None))
    )
    step = PathwayStep(key=key, position=(last or 0) + 1)
    db.session.add(step)
    set_step_texts(step, texts)
    ensure_all_city_steps()
    _audit_step("pathway.step_added", step, position=step.position)
    return step


def _audit_step(action: str, step: PathwayStep, **details) -> None:
    audit.record(
        audit.acting_user(),
        action,
        target_type="pathway_step",
        target_id=step.id,
        details={"key": step.key, **details},
    )


def _renumber_active() -> list[PathwayStep]:
    """Positions of the active steps back to 1..n, in their current order."""
    active = list(
        db.session.scalars(
            sa.select(PathwayStep)
            .where(PathwayStep.retired_at.is_(None))
            .order_by(PathwayStep.position, PathwayStep.id)
        )
    )
    for number, step in enumerate(active, start=1):
        if step.position != number:
            step.position = number
    db.session.flush()
    return active


def move_step(step: PathwayStep, direction: str) -> bool:
    """Swap the step with its neighbour above or below; False when it is already at that end.

    One transaction (the request's): both positions change, or neither.
    """
    if direction not in ("up", "down"):
        raise PathwayError("direction")
    if step.retired_at is not None:
        raise PathwayError("retired")
    active = _renumber_active()
    index = active.index(step)
    other = index - 1 if direction == "up" else index + 1
    if other < 0 or other >= len(active):
        return False
    neighbour = active[other]
    step.position, neighbour.position = neighbour.position, step.position
    db.session.flush()
    _audit_step("pathway.step_moved", step, direction=direction, position=step.position)
    return True


def retire_step(step: PathwayStep, now: datetime) -> None:
    """Take the step off every city's path; cities keep its city steps and records."""
    if step.retired_at is not None:
        raise PathwayError("retired")
    step.retired_at = now
    db.session.flush()
    _renumber_active()
    _audit_step("pathway.step_retired", step)


def restore_step(step: PathwayStep) -> None:
    """Put a retired step back, at the end of the path; cities find their record as they left
    it, and cities that joined meanwhile get a city step for it."""
    if step.retired_at is None:
        raise PathwayError("active")
    last = db.session.scalar(
        sa.select(sa.func.max(PathwayStep.position)).where(PathwayStep.retired_at.is_(None))
    )
    step.retired_at = None
    step.position = (last or 0) + 1
    db.session.flush()
    ensure_all_city_steps()
    _audit_step("pathway.step_restored", step, position=step.position)


# Step records, as a page shows them.


@dataclass
class RecordRow:
    entry: StepRecordEntry
    number: int  # 1 for the first entry of this record
    corrected_by: StepRecordEntry | None = None
    corrected_by_number: int | None = None
    corrects_number: int | None = None
    # The step's title (reader's locale) when the entry was written, if it differs from today's.
    earlier_title: str | None = None


def title_in(titles: dict[str, str], locale: str) -> str | None:
    """A title from a {locale: title} snapshot, with the template's fallback."""
    for candidate in (locale, "en", "it"):
        if titles.get(candidate):
            return titles[candidate]
    return next((title for title in titles.values() if title), None)


def record_rows(city_step: CityStep, locale: str) -> list[RecordRow]:
    """The step's record, newest first, with numbers, correction links and earlier titles."""
    entries = record_of(city_step)
    chronological = sorted(entries, key=lambda e: (e.created_at, e.id))
    numbers = {entry.id: number for number, entry in enumerate(chronological, start=1)}
    by_id = {entry.id: entry for entry in entries}
    corrections = corrected_ids(entries)
    text = city_step.step.text(locale)
    today = text.title if text else None
    rows = []
    for entry in entries:
        then = title_in(entry.step_titles or {}, locale)
        correction_id = corrections.get(entry.id)
        rows.append(
            RecordRow(
                entry=entry,
                number=numbers[entry.id],
                corrected_by=by_id.get(correction_id) if correction_id else None,
                corrected_by_number=numbers.get(correction_id) if correction_id else None,
                corrects_number=numbers.get(entry.corrects_id) if entry.corrects_id else None,
                earlier_title=then if then and then != today else None,
            )
        )
    return rows


def get_entry_of_step_or_404(city_step: CityStep, entry_id: int) -> StepRecordEntry:
    """An entry to correct: unknown → 404; another step's → PathwayError."""
    entry = db.session.get(StepRecordEntry, entry_id)
    if entry is None:
        abort(404)
    if entry.city_step_id != city_step.id:
        raise PathwayError("other_step")
    return entry


def add_record_entry(
    city_step: CityStep,
    *,
    kind: str,
    title: str,
    body: str,
    language: str,
    author: User | None,
    link_url: str | None = None,
    file_reference: str | None = None,
    corrects: StepRecordEntry | None = None,
    at: datetime | None = None,
) -> StepRecordEntry:
    """A note, decision or evidence written by a person; evidence needs a link or a file.

    `at` (imports and the demo seed only, never a person's request) dates the entry at an
    earlier moment: see `append_entry`."""
    if kind not in MANUAL_KINDS:
        raise PathwayError("kind")
    if city_step.step.retired_at is not None:
        raise PathwayError("retired")
    if kind == "evidence" and not (link_url or file_reference):
        raise PathwayError("evidence")
    if corrects is not None and corrects.city_step_id != city_step.id:
        raise PathwayError("other_step")
    entry = append_entry(
        city_step,
        kind,
        language=language,
        author=author,
        title=title,
        body=body,
        link_url=(link_url or "").strip() or None,
        file_reference=(file_reference or "").strip() or None,
        corrects=corrects,
        at=at,
    )
    audit.record(
        author,
        "pathway.record_correction" if corrects is not None else "pathway.record_entry",
        city=city_step.city_id,
        target_type="record_entry",
        target_id=entry.id,
        details={
            "kind": kind,
            "step": city_step.step.key,
            "title": entry.title,
            **({"corrects": corrects.id} if corrects is not None else {}),
        },
    )
    return entry


# Tailored pathways: a city's own sub-steps.


def sub_steps_by_city_step(city: City) -> dict[int, list[PathwaySubStep]]:
    """The city's sub-steps grouped by city step, in order: one query whatever their number."""
    found = db.session.scalars(
        sa.select(PathwaySubStep)
        .join(CityStep, PathwaySubStep.city_step_id == CityStep.id)
        .where(CityStep.city_id == city.id)
        .order_by(PathwaySubStep.city_step_id, PathwaySubStep.position)
    )
    grouped: dict[int, list[PathwaySubStep]] = defaultdict(list)
    for sub_step in found:
        grouped[sub_step.city_step_id].append(sub_step)
    return dict(grouped)


def sub_steps_of(city_step: CityStep) -> list[PathwaySubStep]:
    return list(
        db.session.scalars(
            sa.select(PathwaySubStep)
            .where(PathwaySubStep.city_step_id == city_step.id)
            .order_by(PathwaySubStep.position)
        )
    )


def get_sub_step_or_404(city: City, sub_step_id: int) -> PathwaySubStep:
    """A sub-step of this city (another city's is as unknown as a missing one)."""
    sub_step = db.session.get(PathwaySubStep, sub_step_id)
    if sub_step is None or sub_step.city_step.city_id != city.id:
        abort(404)
    return sub_step


def _audit_sub_step(action: str, sub_step: PathwaySubStep, author: User | None, **details) -> None:
    audit.record(
        author,
        action,
        city=sub_step.city_step.city_id,
        target_type="sub_step",
        target_id=sub_step.id,
        details={"title": sub_step.title, "step": sub_step.city_step.step.key, **details},
    )


def _sub_step_entry(
    sub_step: PathwaySubStep, author: User | None, data: dict, body: str = ""
) -> StepRecordEntry:
    return append_entry(
        sub_step.city_step,
        "note",
        language=sub_step.language,
        author=author,
        title=sub_step.title,
        body=body,
        data={"sub_step": sub_step.id, **data},
    )


def add_sub_step(
    city_step: CityStep,
    *,
    title: str,
    description: str,
    language: str,
    experts: str,
    author: User | None,
) -> PathwaySubStep:
    """A sub-step at the end of the city step's sub-steps; the step's record notes it."""
    last = db.session.scalar(
        sa.select(sa.func.max(PathwaySubStep.position)).where(
            PathwaySubStep.city_step_id == city_step.id
        )
    )
    sub_step = PathwaySubStep(
        city_step=city_step,
        position=(last or 0) + 1,
        title=title.strip(),
        description=description.strip(),
        language=language,
        experts=experts.strip(),
        created_by=author,
    )
    db.session.add(sub_step)
    db.session.flush()
    _sub_step_entry(sub_step, author, {"action": "added"}, body=sub_step.description)
    _audit_sub_step("pathway.sub_step_added", sub_step, author)
    return sub_step


def update_sub_step(
    sub_step: PathwaySubStep,
    *,
    title: str,
    description: str,
    language: str,
    experts: str,
    author: User | None,
) -> bool:
    """Reword a sub-step; the record notes the new wording (and keeps the old one). False when
    nothing changed."""
    new = (title.strip(), description.strip(), language, experts.strip())
    old = (sub_step.title, sub_step.description, sub_step.language, sub_step.experts)
    if new == old:
        return False
    sub_step.title, sub_step.description, sub_step.language, sub_step.experts = new
    db.session.flush()
    _sub_step_entry(
        sub_step, author, {"action": "edited", "previous_title": old[0]}, body=sub_step.description
    )
    _audit_sub_step("pathway.sub_step_edited", sub_step, author, previous_title=old[0])
    return True


def move_sub_step(sub_step: PathwaySubStep, direction: str) -> bool:
    """Swap with the neighbouring sub-step of the same step; False at that end already."""
    if direction not in ("up", "down"):
        raise PathwayError("direction")
    siblings = sub_steps_of(sub_step.city_step)
    index = siblings.index(sub_step)
    other = index - 1 if direction == "up" else index + 1
    if other < 0 or other >= len(siblings):
        return False
    neighbour = siblings[other]
    mine, theirs = sub_step.position, neighbour.position
    # Positions are unique per step, checked row by row: park one out of the way first.
    sub_step.position = max(s.position for s in siblings) + 1
    db.session.flush()
    neighbour.position = mine
    db.session.flush()
    sub_step.position = theirs
    db.session.flush()
    _audit_sub_step("pathway.sub_step_moved", sub_step, audit.acting_user(), direction=direction)
    return True


def set_sub_step_status(
    sub_step: PathwaySubStep, status: str, *, author: User | None
) -> StepRecordEntry | None:
    """Change a sub-step's status; the parent step's record notes it (None if unchanged)."""
    if status not in SUB_STEP_STATUSES:
        raise PathwayError("status")
    previous = sub_step.status
    if previous == status:
        return None
    sub_step.status = status
    db.session.flush()
    _audit_sub_step("pathway.sub_step_status", sub_step, author, **{"from": previous, "to": status})
    return _sub_step_entry(sub_step, author, {"from": previous, "to": status})
