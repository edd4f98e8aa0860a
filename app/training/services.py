"""Training for municipal staff: courses, their modules, completions, and step 3's record.

Functions flush, never commit. Counts are computed by the database in a fixed number of queries.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask import abort
from flask_babel import force_locale
from flask_babel import gettext as _

from app.accounts.models import User
from app.audit import services as audit
from app.cities.models import City, ModeratorAppointment
from app.config import LOCALES
from app.db_types import utcnow
from app.extensions import db
from app.pathway.models import CityStep, PathwayStep, StepRecordEntry
from app.pathway.records import append_entry
from app.training.models import Course, CourseText, Module, ModuleCompletion, ModuleText

TRAINING_STEP_KEY = "train-staff"


class TrainingError(ValueError):
    """A change that breaks a rule of the courses (the forms check the same rules first)."""


@dataclass(frozen=True)
class CourseSummary:
    course: Course
    modules: int
    minutes: int
    done: int = 0  # modules the reader completed

    @property
    def completed(self) -> bool:
        return self.modules > 0 and self.done >= self.modules

    @property
    def tenths(self) -> int:
        """Progress in tenths, for the progress bar's classes."""
        return round(10 * self.done / self.modules) if self.modules else 0


@dataclass(frozen=True)
class CourseCount:
    course: Course
    completed: int  # the city's moderators who completed every module
    in_progress: int  # ... who completed some


@dataclass(frozen=True)
class StaffTraining:
    moderators: int
    courses: list[CourseCount]


# Reading


def course_summaries(user: User | None = None, include_drafts: bool = False) -> list[CourseSummary]:
    """Courses with their number of modules and total time (and the user's progress), in
    three queries whatever their number: the courses with their sums, their texts, the user's
    completions."""
    totals = (
        sa.select(
            Module.course_id,
            sa.func.count(Module.id).label("modules"),
            sa.func.sum(Module.estimated_minutes).label("minutes"),
        )
        .group_by(Module.course_id)
        .subquery()
    )
    query = (
        sa.select(Course, totals.c.modules, totals.c.minutes)
        .outerjoin(totals, totals.c.course_id == Course.id)
        .order_by(Course.created_at, Course.id)
    )
    if not include_drafts:
        query = query.where(Course.published.is_(True))
    rows = db.session.execute(query).all()
    done = completions_per_course(user) if user is not None and rows else {}
    return [
        CourseSummary(course, modules or 0, int(minutes or 0), done.get(course.id, 0))
        for course, modules, minutes in rows
    ]


def completions_per_course(user: User) -> dict[int, int]:
    return dict(
        db.session.execute(
            sa.select(Module.course_id, sa.func.count(ModuleCompletion.id))
            .join(Module, Module.id == ModuleCompletion.module_id)
            .where(ModuleCompletion.user_id == user.id)
            .group_by(Module.course_id)
        ).all()
    )


def get_course_or_404(slug: str, include_drafts: bool = False) -> Course:
    course = db.session.scalar(sa.select(Course).where(Course.slug == slug))
    if course is None or not (course.published or include_drafts):
        abort(404)
    return course


def get_module_or_404(module_id: int, include_drafts: bool = False) -> Module:
    module = db.session.get(Module, module_id)
    if module is None or not (module.course.published or include_drafts):
        abort(404)
    return module


def modules_of(course: Course) -> list[Module]:
    """The course's modules in order, with their texts (two queries)."""
    return list(
        db.session.scalars(
            sa.select(Module)
            .where(Module.course_id == course.id)
            .order_by(Module.position, Module.id)
        )
    )


def completed_modules(user: User, course: Course) -> dict[int, datetime]:
    """Module id → when the user completed it, for this course."""
    return dict(
        db.session.execute(
            sa.select(ModuleCompletion.module_id, ModuleCompletion.completed_at)
            .join(Module, Module.id == ModuleCompletion.module_id)
            .where(ModuleCompletion.user_id == user.id, Module.course_id == course.id)
        ).all()
    )


def staff_training(city: City) -> StaffTraining:
    """How many of the city's moderators completed (or started) each published course.

    Four queries whatever the number of courses, modules and staff.
    """
    moderators = sa.select(ModeratorAppointment.user_id).where(
        ModeratorAppointment.city_id == city.id
    )
    module_counts = (
        sa.select(Module.course_id, sa.func.count(Module.id).label("modules"))
        .group_by(Module.course_id)
        .subquery()
    )
    per_person = (
        sa.select(
            Module.course_id,
            ModuleCompletion.user_id,
            sa.func.count(ModuleCompletion.id).label("done"),
        )
        .join(Module, Module.id == ModuleCompletion.module_id)
        .where(ModuleCompletion.user_id.in_(moderators))
        .group_by(Module.course_id, ModuleCompletion.user_id)
        .subquery()
    )
    counts = {
        course_id: (int(completed or 0), int(started or 0))
        for course_id, completed, started in db.session.execute(
            sa.select(
                per_person.c.course_id,
                sa.func.sum(sa.case((per_person.c.done >= module_counts.c.modules, 1), else_=0)),
                sa.func.count(),
            )
            .join(module_counts, module_counts.c.course_id == per_person.c.course_id)
            .group_by(per_person.c.course_id)
        )
    }
    staff = db.session.scalar(sa.select(sa.func.count()).select_from(moderators.subquery()))
    courses = db.session.scalars(
        sa.select(Course).where(Course.published.is_(True)).order_by(Course.created_at, Course.id)
    ).all()
    result = []
    for course in courses:
        completed, started = counts.get(course.id, (0, 0))
        result.append(CourseCount(course, completed, started - completed))
    return StaffTraining(staff or 0, result)


# Completing modules


def complete_module(
    user: User, module: Module, now: datetime | None = None
) -> list[StepRecordEntry]:
    """Mark the module done; when it was the last one the user needed, the step-3 record of each
    city the user moderates says that a member of staff completed the course (once per city,
    course and person). Returns the entries written."""
    exists = db.session.scalar(
        sa.select(ModuleCompletion.id).where(
            ModuleCompletion.user_id == user.id, ModuleCompletion.module_id == module.id
        )
    )
    if exists is not None:
        return []
    db.session.add(ModuleCompletion(user=user, module=module, completed_at=now or utcnow()))
    db.session.flush()
    course = module.course
    if not has_completed(user, course):
        return []
    return [
        entry
        for city in user.moderated_cities
        if (entry := _record_completion(city, course, user)) is not None
    ]


def undo_module(user: User, module: Module) -> bool:
    """Mark the module not done. The record keeps what it said: records are append-only."""
    completion = db.session.scalar(
        sa.select(ModuleCompletion).where(
            ModuleCompletion.user_id == user.id, ModuleCompletion.module_id == module.id
        )
    )
    if completion is None:
        return False
    db.session.delete(completion)
    db.session.flush()
    return True


def has_completed(user: User, course: Course) -> bool:
    missing = db.session.scalar(
        sa.select(sa.func.count(Module.id)).where(
            Module.course_id == course.id,
            ~sa.exists().where(
                ModuleCompletion.module_id == Module.id, ModuleCompletion.user_id == user.id
            ),
        )
    )
    return missing == 0 and bool(course.modules)


def training_step(city: City) -> CityStep | None:
    """The city's step 3 ("train staff"), found by its template key, not its position."""
    return db.session.scalar(
        sa.select(CityStep)
        .join(CityStep.step)
        .where(CityStep.city_id == city.id, PathwayStep.key == TRAINING_STEP_KEY)
    )


def is_training_step(city_step: CityStep) -> bool:
    return city_step.step.key == TRAINING_STEP_KEY


def record_language(city: City, course: Course) -> str:
    """The city's first language when the course speaks it (an interface locale), else English."""
    first = city.languages[0].language if city.languages else "en"
    have = {text.locale for text in course.texts}
    return first if first in LOCALES and first in have else "en"


def _record_completion(city: City, course: Course, user: User) -> StepRecordEntry | None:
    city_step = training_step(city)
    if city_step is None:
        return None
    already = db.session.scalar(
        sa.select(StepRecordEntry.id).where(
            StepRecordEntry.city_step_id == city_step.id,
            StepRecordEntry.kind == "training",
            StepRecordEntry.data["course"].as_string() == course.slug,
            StepRecordEntry.data["user_id"].as_integer() == user.id,
        )
    )
    if already is not None:
        return None
    language = record_language(city, course)
    text = course.text(language)
    title = text.title if text else course.slug
    # The public text counts staff, it doesn't name them: user_id stays in the data only.
    with force_locale(language):
        entry_title = _("Course completed: %(title)s", title=title)
        body = _("A member of the municipal staff completed the course “%(title)s”.", title=title)
    entry = append_entry(
        city_step,
        "training",
        language=language,
        author=None,
        title=entry_title[:200],
        body=body,
        data={"course": course.slug, "user_id": user.id},
    )
    audit.record(
        user,
        "training.course_completed",
        city=city,
        target_type="course",
        target_id=course.id,
        details={"course": course.slug, "record_entry": entry.id},
    )
    return entry


# Writing courses and modules (association admin)


def create_course(
    slug: str, texts: Mapping[str, Mapping[str, str]], *, published: bool = False
) -> Course:
    course = Course(slug=slug)
    db.session.add(course)
    _set_texts(course.texts, texts, CourseText, ("title", "summary"))
    db.session.flush()
    if published:
        publish(course, True)
    _audit("training.course_created", course, published=published)
    return course


def _audit(action: str, course: Course, **details) -> None:
    """Courses are the association admin's: who acts is the signed-in admin."""
    audit.record(
        audit.acting_user(),
        action,
        target_type="course",
        target_id=course.id,
        details={"course": course.slug, **details},
    )


def update_course(
    course: Course, texts: Mapping[str, Mapping[str, str]], *, published: bool
) -> None:
    _set_texts(course.texts, texts, CourseText, ("title", "summary"))
    publish(course, published)
    db.session.flush()
    _audit("training.course_edited", course, published=published)


def publish(course: Course, published: bool) -> None:
    if published and not course.modules:
        raise TrainingError("a course needs at least one module to be published")
    course.published = published
    db.session.flush()


def create_module(
    course: Course,
    texts: Mapping[str, Mapping[str, str]],
    *,
    estimated_minutes: int,
    link_url: str | None = None,
    position: int | None = None,
) -> Module:
    module = Module(
        course=course,
        position=len(course.modules) + 1,
        estimated_minutes=estimated_minutes,
        link_url=link_url or None,
    )
    db.session.add(module)
    _set_texts(module.texts, texts, ModuleText, ("title", "body"))
    db.session.flush()
    if position is not None:
        move_module(module, position)
    _audit("training.module_added", course, module=module.id, position=module.position)
    return module


def update_module(
    module: Module,
    texts: Mapping[str, Mapping[str, str]],
    *,
    estimated_minutes: int,
    link_url: str | None,
    position: int | None,
) -> None:
    module.estimated_minutes = estimated_minutes
    module.link_url = link_url or None
    _set_texts(module.texts, texts, ModuleText, ("title", "body"))
    db.session.flush()
    if position is not None:
        move_module(module, position)
    _audit("training.module_edited", module.course, module=module.id, position=module.position)


def move_module(module: Module, position: int) -> None:
    """Put the module at `position` (1 = first) and number the course's modules 1..n again."""
    others = [m for m in module.course.modules if m.id != module.id]
    index = min(max(position, 1), len(others) + 1) - 1
    ordered = [*others[:index], module, *others[index:]]
    for number, item in enumerate(ordered, start=1):
        item.position = number
    db.session.flush()
    db.session.expire(module.course, ["modules"])


def _set_texts(existing: list, texts: Mapping[str, Mapping[str, str]], model, fields) -> None:
    by_locale = {text.locale: text for text in existing}
    for locale, values in texts.items():
        cleaned = {name: (values.get(name) or "").strip() for name in fields}
        if locale in by_locale:
            for name, value in cleaned.items():
                setattr(by_locale[locale], name, value)
        else:
            existing.append(model(locale=locale, **cleaned))
