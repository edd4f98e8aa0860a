"""The demo's courses: six locales, realistic modules, staff progress; idempotent."""

from __future__ import annotations

import sqlalchemy as sa

from app.accounts.models import User
from app.cities.models import City
from app.config import LOCALES
from app.demo.commands import seed
from app.extensions import db
from app.pathway.models import StepRecordEntry
from app.training import services
from app.training.models import Course, Module, ModuleCompletion


def _counts() -> tuple[int, ...]:
    return tuple(
        db.session.scalar(sa.select(sa.func.count()).select_from(model))
        for model in (Course, Module, ModuleCompletion, StepRecordEntry)
    )


def _user(email: str) -> User:
    return db.session.scalar(sa.select(User).where(User.email == email))


def test_demo_courses_and_progress_are_seeded_once(app, demo):
    first = _counts()
    seed()
    assert _counts() == first

    courses = db.session.scalars(sa.select(Course).order_by(Course.id)).all()
    assert [c.slug for c in courses] == [
        "running-multilingual-consultations",
        "intercultural-facilitation",
    ]
    for course in courses:
        assert course.published
        assert {t.locale for t in course.texts} == set(LOCALES)
        assert 3 <= len(course.modules) <= 4
        for module in course.modules:
            assert {t.locale for t in module.texts} == set(LOCALES)
            assert all(t.body.count(".") >= 2 for t in module.texts)
    assert courses[0].text("en").title == "Running multilingual consultations"
    assert courses[1].text("en").title == "Intercultural facilitation in practice"

    bologna_moderator = _user("moderator.bologna@learning-cities.demo")
    network_moderator = _user("moderator.network@learning-cities.demo")
    assert services.has_completed(bologna_moderator, courses[0])
    done = services.completions_per_course(network_moderator)
    assert 0 < done[courses[1].id] < len(courses[1].modules)

    bologna = db.session.scalar(sa.select(City).where(City.slug == "bologna"))
    (entry,) = db.session.scalars(
        sa.select(StepRecordEntry).where(
            StepRecordEntry.city_step_id == services.training_step(bologna).id,
            StepRecordEntry.kind == "training",
        )
    ).all()
    assert entry.data == {"course": courses[0].slug, "user_id": bologna_moderator.id}
    assert entry.language == "it"
    assert "Condurre consultazioni multilingui" in entry.title
    assert bologna_moderator.display_name not in entry.title + entry.body
    counts = {c.course.slug: c.completed for c in services.staff_training(bologna).courses}
    assert counts == {courses[0].slug: 1, courses[1].slug: 0}
