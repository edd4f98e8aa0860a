"""Training services: summaries, completions, step 3's record and the staff counts."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.pathway.models import StepRecordEntry
from app.training import services
from app.training.models import Course, CourseText, Module, ModuleCompletion
from tests import factories
from tests.training.factories import complete, course, texts


def _training_entries(city) -> list[StepRecordEntry]:
    step = services.training_step(city)
    return list(
        db.session.scalars(
            sa.select(StepRecordEntry)
            .where(StepRecordEntry.city_step_id == step.id, StepRecordEntry.kind == "training")
            .order_by(StepRecordEntry.id)
        )
    )


def test_summaries_count_modules_and_minutes_and_the_readers_progress(app):
    first = course(modules=3, minutes=20)
    second = course(modules=2, minutes=45)
    draft = course(modules=1, published=False)
    empty = course(modules=0, published=False)
    user = factories.user()
    complete(user, first, 2)

    published = services.course_summaries(user)
    assert [(s.course, s.modules, s.minutes, s.done) for s in published] == [
        (first, 3, 60, 2),
        (second, 2, 90, 0),
    ]
    assert published[0].tenths == 7
    assert not published[0].completed
    everything = services.course_summaries(include_drafts=True)
    assert [s.course for s in everything] == [first, second, draft, empty]
    assert everything[3].modules == 0
    assert everything[3].tenths == 0


def test_completing_the_last_module_writes_to_step_3_of_each_moderated_city_once(app):
    bologna = factories.city(languages={"it": "85", "ar": "5"})
    leipzig = factories.city(languages={"de": "86", "ru": "3"})
    elsewhere = factories.city()
    moderator = factories.user(name="Giulia Bianchi", moderates=[bologna, leipzig])
    item = course(modules=3)

    assert complete(moderator, item, 2) == []  # not finished: nothing recorded
    assert _training_entries(bologna) == []

    (last,) = [m for m in item.modules if m.position == 3]
    entries = services.complete_module(moderator, last)
    assert {e.city_step.city for e in entries} == {bologna, leipzig}
    (entry,) = _training_entries(bologna)
    assert entry.data == {"course": item.slug, "user_id": moderator.id}
    assert entry.language == "it"
    assert entry.title.endswith("Course [it]")
    assert entry.author is None
    assert "Giulia" not in entry.title + entry.body  # staff are counted, not named
    (german,) = _training_entries(leipzig)
    assert german.language == "de"
    assert german.title.endswith("Course [de]")
    assert _training_entries(elsewhere) == []

    # Undone and done again: the record keeps the first completion, and adds nothing.
    assert services.undo_module(moderator, last)
    assert not services.has_completed(moderator, item)
    assert services.complete_module(moderator, last) == []
    assert services.complete_module(moderator, last) == []  # already done
    assert len(_training_entries(bologna)) == 1


def test_the_record_falls_back_to_english_when_the_city_language_is_not_a_course_locale(app):
    valencia = factories.city(languages={"ca": "60", "es": "30"})
    moderator = factories.user(moderates=[valencia])
    item = course(modules=1, locales=("en", "it", "es"))
    (entry,) = complete(moderator, item)
    assert entry.language == "en"
    assert entry.title == "Course completed: Course [en]"
    assert entry.body == "A member of the municipal staff completed the course “Course [en]”."
    only_italian = course(modules=1, locales=("it",))
    (fallback,) = complete(moderator, only_italian)
    assert fallback.language == "en"
    assert fallback.title.endswith("Course [it]")  # the one title there is


def test_a_person_who_moderates_no_city_completes_without_a_record(app):
    person = factories.user()
    item = course(modules=1)
    assert complete(person, item) == []
    assert services.has_completed(person, item)


def test_staff_counts_per_course_for_a_city(app):
    city, other = factories.city(), factories.city()
    first, second, third = course(modules=2), course(modules=3), course(modules=1)
    course(modules=1, published=False)  # drafts are not listed
    done_1, done_2, halfway = (factories.user(moderates=[city]) for _ in range(3))
    factories.user(moderates=[city])  # a moderator who has not started
    outsider = factories.user(moderates=[other])
    citizen = factories.user()
    complete(done_1, first)
    complete(done_2, first)
    complete(done_2, second)
    complete(halfway, first, 1)
    complete(halfway, second, 2)
    complete(outsider, first)
    complete(citizen, third)

    training = services.staff_training(city)
    assert training.moderators == 4
    assert [(c.course, c.completed, c.in_progress) for c in training.courses] == [
        (first, 2, 1),
        (second, 1, 1),
        (third, 0, 0),
    ]
    assert services.staff_training(factories.city()).moderators == 0


def test_staff_counts_run_a_constant_number_of_queries(app, count_queries):
    small, large = factories.city(), factories.city()
    course(modules=1)
    complete(factories.user(moderates=[small]), course(modules=2))
    for _ in range(6):
        item = course(modules=4)
        for _ in range(3):
            complete(factories.user(moderates=[large]), item, 3)
    db.session.expire_all()
    with count_queries() as few:
        services.staff_training(small)
    db.session.expire_all()
    with count_queries() as many:
        services.staff_training(large)
    assert len(few) == len(many) <= 5


def test_modules_can_be_moved_and_are_numbered_again(app):
    item = course(modules=3)
    first, second, third = services.modules_of(item)
    services.move_module(third, 1)
    assert services.modules_of(item) == [third, first, second]
    assert [m.position for m in services.modules_of(item)] == [1, 2, 3]
    services.move_module(third, 99)
    assert services.modules_of(item) == [first, second, third]
    added = services.create_module(item, texts("Nuovo", "body"), estimated_minutes=10, position=2)
    assert services.modules_of(item) == [first, added, second, third]


def test_a_course_is_published_only_with_modules(app):
    item = services.create_course("no-modules", texts("Corso", "summary"))
    with pytest.raises(services.TrainingError):
        services.publish(item, True)
    assert not item.published


def test_texts_fall_back_from_the_locale_to_english_then_italian(app):
    item = course(modules=1, locales=("it", "en", "fr"))
    assert item.text("fr").title == "Course [fr]"
    assert item.text("de").title == "Course [en]"
    italian_only = course(modules=1, locales=("it", "ar"))
    assert italian_only.text("de").title == "Course [it]"
    assert course(modules=1, locales=("ar",)).text("de").title == "Course [ar]"


def test_the_database_enforces_the_rules(app):
    item = course(modules=1)
    user = factories.user()
    module = item.modules[0]
    bad = [
        sa.insert(Module).values(course_id=item.id, position=2, estimated_minutes=0),
        sa.insert(Module).values(course_id=item.id, position=0, estimated_minutes=5),
        sa.insert(Module).values(
            course_id=item.id, position=3, estimated_minutes=5, link_url="javascript:alert(1)"
        ),
        sa.insert(CourseText).values(course_id=item.id, locale="it", title="Doppio"),
        sa.insert(Course).values(slug=item.slug),
    ]
    db.session.add(ModuleCompletion(user=user, module=module))
    db.session.flush()
    bad.append(sa.insert(ModuleCompletion).values(user_id=user.id, module_id=module.id))
    for statement in bad:
        savepoint = db.session.begin_nested()
        with pytest.raises(sa.exc.IntegrityError):
            db.session.execute(statement)
        savepoint.rollback()
