"""Every moderator and admin action leaves its audit entry: who, city, action, target, reason."""

from __future__ import annotations

import json
from contextlib import contextmanager
from datetime import date, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa
from flask_login import login_user

from app.audit.models import AuditEntry
from app.audit.services import record, rows_of
from app.cities.services import set_step_status
from app.consultations import services as consultations
from app.db_types import utcnow
from app.expenditures import services as expenditures
from app.extensions import db
from app.manifesto import services as manifesto
from app.network import services as network
from app.operators import services as operators
from app.pathway import services as pathway
from app.practices import services as practices
from app.results import services as results
from app.voting import services as voting
from tests.consultations.factories import with_phases
from tests.expenditures.factories import expenditure
from tests.manifesto.factories import version
from tests.pathway.factories import city_step, sub_step, template_step, texts
from tests.practices.factories import practice
from tests.training.factories import complete, course
from tests.voting.factories import budget_consultation, proposal


def entries(action: str) -> list[AuditEntry]:
    return list(
        db.session.scalars(
            sa.select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
        )
    )


def the_entry(action: str) -> AuditEntry:
    found = entries(action)
    assert len(found) == 1, (action, found)
    return found[0]


def check(entry: AuditEntry, *, actor, city, target_type, target_id, reason=None) -> None:
    assert entry.actor_id == (actor.id if actor else None)
    assert entry.city_id == (city.id if city else None)
    assert (entry.target_type, entry.target_id) == (target_type, target_id)
    assert entry.reason == reason
    assert "@" not in json.dumps(entry.details)


@pytest.fixture
def acting(app):
    """Run a service as if `user` made the request (for services that read the signed-in user)."""

    @contextmanager
    def as_user(user):
        with app.test_request_context():
            login_user(user)
            yield

    return as_user


# Consultations, votes, results.


def test_creating_and_editing_a_consultation(world):
    moderator = world.users["moderator_here"]
    consultation = with_phases(world.here, author=moderator, title="Un parco")
    check(
        the_entry("consultations.created"),
        actor=moderator,
        city=world.here,
        target_type="consultation",
        target_id=consultation.id,
    )
    data = consultations.ConsultationData(
        city_step=consultation.city_step,
        title="Un parco per tutti",
        description=consultation.description,
        language=consultation.language,
        languages=consultation.languages,
        windows=consultation.windows,
        voting_method=consultation.voting_method,
        support_limit=consultation.support_limit,
        support_threshold=consultation.support_threshold,
        participation=consultation.participation,
    )
    consultations.save_consultation(data, author=moderator, consultation=consultation)
    edited = the_entry("consultations.edited")
    check(
        edited,
        actor=moderator,
        city=world.here,
        target_type="consultation",
        target_id=consultation.id,
    )
    assert edited.details == {"title": "Un parco per tutti", "changed": ["title"]}
    # Saving again unchanged writes nothing.
    consultations.save_consultation(data, author=moderator, consultation=consultation)
    assert len(entries("consultations.edited")) == 1


def test_closing_early_publishes_results_in_the_moderators_name(world):
    moderator = world.users["moderator_here"]
    consultation = with_phases(world.here, phase="voting")
    assert consultations.close(consultation, now=utcnow(), by=moderator)
    for action in ("consultations.closed_early", "results.published"):
        check(
            the_entry(action),
            actor=moderator,
            city=world.here,
            target_type="consultation",
            target_id=consultation.id,
        )
    assert (
        the_entry("results.published").details["digest"] == results.snapshot_of(consultation).digest
    )


def test_results_published_by_the_dates_have_no_actor(world):
    consultation = with_phases(world.here, phase="voting")
    assert consultations.close_if_due(consultation, utcnow() + timedelta(days=30))
    check(
        the_entry("results.published"),
        actor=None,
        city=world.here,
        target_type="consultation",
        target_id=consultation.id,
    )
    assert entries("consultations.closed_early") == []


def test_municipal_responses_given_and_changed(world):
    moderator = world.users["moderator_here"]
    consultation = with_phases(world.here, phase="voting")
    item = proposal(consultation, title="Più alberi")
    consultations.close(consultation, now=utcnow(), by=moderator)
    results.respond(
        item,
        status="evaluating",
        body="Lo valutiamo.",
        language="it",
        author=moderator,
        now=utcnow(),
    )
    check(
        the_entry("results.response_given"),
        actor=moderator,
        city=world.here,
        target_type="proposal",
        target_id=item.id,
    )
    admin = world.users["admin"]
    results.respond(
        item, status="accepted", body="Approvato.", language="it", author=admin, now=utcnow()
    )
    changed = the_entry("results.response_changed")
    check(changed, actor=admin, city=world.here, target_type="proposal", target_id=item.id)
    assert changed.details["from"] == "evaluating"
    assert changed.details["status"] == "accepted"


def test_residents_confirmed_and_removed(app, world, acting):
    moderator = world.users["moderator_here"]
    citizen = world.users["citizen"]
    assert consultations.confirm_resident(world.here, citizen, by=moderator)
    confirmed = the_entry("consultations.resident_confirmed")
    check(confirmed, actor=moderator, city=world.here, target_type="user", target_id=citizen.id)
    # Only the person's id: the log outlives accounts, so it keeps no resident's name; the
    # page reads the name as it is today.
    assert not confirmed.details
    with app.test_request_context():
        (row,) = rows_of([confirmed])
    assert row.target_title == citizen.display_name
    with acting(moderator):
        assert consultations.remove_resident(world.here, citizen.id)
    check(
        the_entry("consultations.resident_removed"),
        actor=moderator,
        city=world.here,
        target_type="user",
        target_id=citizen.id,
    )


def test_paper_ballots_entered(world):
    moderator = world.users["moderator_here"]
    consultation = budget_consultation(world.here)
    park = proposal(consultation, title="Parco", cost=50_000)
    library = proposal(consultation, title="Biblioteca", cost=30_000)
    batch = voting.enter_paper_batch(
        consultation,
        author=moderator,
        session_label="Quartiere Navile",
        text=f"{park.id}\n{park.id},{library.id}\n{library.id}",
    )
    entry = the_entry("voting.paper_batch")
    check(entry, actor=moderator, city=world.here, target_type="paper_batch", target_id=batch.id)
    assert entry.details["ballots"] == 3
    assert entry.details["consultation"] == consultation.id


# The city's data, through its history.


def test_city_changes_of_the_association(world):
    admin = world.users["admin"]
    city = network.create_city(name="Graz", slug="graz", country="AT", author=admin)
    check(
        the_entry("cities.created"), actor=admin, city=city, target_type="city", target_id=city.id
    )
    network.update_city_details(city, author=admin, population=290_000)
    details = the_entry("cities.details_changed")
    check(details, actor=admin, city=city, target_type="city", target_id=city.id)
    assert details.details["population"] == {"from": None, "to": 290_000}
    network.change_membership(city, "member", reason="Delibera del consiglio", author=admin)
    check(
        the_entry("cities.membership_changed"),
        actor=admin,
        city=city,
        target_type="city",
        target_id=city.id,
        reason="Delibera del consiglio",
    )
    network.set_languages(city, {"de": Decimal("85"), "bs": Decimal("3")}, author=admin)
    check(
        the_entry("cities.languages_changed"),
        actor=admin,
        city=city,
        target_type="city",
        target_id=city.id,
    )


def test_moderators_appointed_and_removed(world):
    admin = world.users["admin"]
    citizen = world.users["citizen"]
    appointment = network.appoint_moderator(world.here, citizen, author=admin)
    appointed = the_entry("cities.moderator_appointed")
    check(appointed, actor=admin, city=world.here, target_type="user", target_id=citizen.id)
    assert appointed.details["name"] == citizen.display_name
    network.remove_moderator(world.here, appointment, author=admin)
    check(
        the_entry("cities.moderator_removed"),
        actor=admin,
        city=world.here,
        target_type="user",
        target_id=citizen.id,
    )


# The Manifesto.


def test_manifesto_versions_and_signatures(world):
    admin = world.users["admin"]
    published = version(author=admin)
    entry = the_entry("manifesto.version_published")
    check(
        entry,
        actor=admin,
        city=None,
        target_type="manifesto_version",
        target_id=published.id,
        reason="Test version",
    )
    moderator = world.users["moderator_here"]
    manifesto.record_signature(
        world.here,
        published,
        signed_on=date(2024, 3, 1),
        council_resolution="Delibera n. 12/2024",
        document_url=None,
        author=moderator,
        language="it",
    )
    signed = the_entry("manifesto.signed")
    check(signed, actor=moderator, city=world.here, target_type="city", target_id=world.here.id)
    assert signed.details["version"] == published.number


# The pathway template, tailored pathways, step records.


def test_pathway_template_changes(world, acting):
    admin = world.users["admin"]
    with acting(admin):
        step = template_step("valutazione-esterna")
        pathway.set_step_texts(step, texts("Valutazione esterna"))
        pathway.move_step(step, "up")
        pathway.retire_step(step, utcnow())
        pathway.restore_step(step)
    for action in (
        "pathway.step_added",
        "pathway.step_edited",
        "pathway.step_moved",
        "pathway.step_retired",
        "pathway.step_restored",
    ):
        check(
            the_entry(action), actor=admin, city=None, target_type="pathway_step", target_id=step.id
        )
    assert the_entry("pathway.step_moved").details["direction"] == "up"


def test_rewording_a_step_with_the_same_texts_is_not_an_edit(world, acting):
    step = template_step("stessa-cosa")
    with acting(world.users["admin"]):
        pathway.set_step_texts(step, texts("stessa-cosa"))
    assert entries("pathway.step_edited") == []


def test_sub_steps(world, acting):
    moderator = world.users["moderator_here"]
    admin = world.users["admin"]
    step = city_step(world.here, 4)
    first = sub_step(step)
    added = pathway.add_sub_step(
        step, title="Mappa delle lingue", description="", language="it", experts="", author=admin
    )
    check(
        the_entry("pathway.sub_step_added"),
        actor=admin,
        city=world.here,
        target_type="sub_step",
        target_id=added.id,
    )
    pathway.update_sub_step(
        added,
        title="Mappa delle lingue parlate",
        description="",
        language="it",
        experts="",
        author=admin,
    )
    check(
        the_entry("pathway.sub_step_edited"),
        actor=admin,
        city=world.here,
        target_type="sub_step",
        target_id=added.id,
    )
    with acting(admin):
        assert pathway.move_sub_step(added, "up")
    check(
        the_entry("pathway.sub_step_moved"),
        actor=admin,
        city=world.here,
        target_type="sub_step",
        target_id=added.id,
    )
    pathway.set_sub_step_status(first, "in_progress", author=moderator)
    status = the_entry("pathway.sub_step_status")
    check(status, actor=moderator, city=world.here, target_type="sub_step", target_id=first.id)
    assert (status.details["from"], status.details["to"]) == ("not_started", "in_progress")


def test_record_entries_and_corrections_by_moderators(world):
    moderator = world.users["moderator_here"]
    step = city_step(world.here, 5)
    wrong = pathway.add_record_entry(
        step,
        kind="note",
        title="Gruppo",
        body="Prima riunione il 3",
        language="it",
        author=moderator,
    )
    check(
        the_entry("pathway.record_entry"),
        actor=moderator,
        city=world.here,
        target_type="record_entry",
        target_id=wrong.id,
    )
    right = pathway.add_record_entry(
        step,
        kind="note",
        title="Gruppo",
        body="Prima riunione il 13",
        language="it",
        author=moderator,
        corrects=wrong,
    )
    correction = the_entry("pathway.record_correction")
    check(
        correction, actor=moderator, city=world.here, target_type="record_entry", target_id=right.id
    )
    assert correction.details["corrects"] == wrong.id


def test_step_status_changed_by_a_moderator(world):
    moderator = world.users["moderator_here"]
    step = city_step(world.here, 5)
    set_step_status(step, "in_progress", date(2025, 1, 10), author=moderator)
    entry = the_entry("pathway.step_status")
    check(entry, actor=moderator, city=world.here, target_type="city_step", target_id=step.id)
    assert (entry.details["from"], entry.details["to"]) == ("not_started", "in_progress")


# Expenditures and training.


def test_expenditures(world):
    moderator = world.users["moderator_here"]
    item = expenditure(world.here, author=moderator)
    check(
        the_entry("expenditures.created"),
        actor=moderator,
        city=world.here,
        target_type="expenditure",
        target_id=item.id,
    )
    expenditures.change_status(item, "committed", author=moderator)
    status = the_entry("expenditures.status_changed")
    check(status, actor=moderator, city=world.here, target_type="expenditure", target_id=item.id)
    assert (status.details["from"], status.details["to"]) == ("planned", "committed")
    expenditures.update_expenditure(
        item,
        author=moderator,
        city_step=item.city_step,
        title=item.title,
        description=item.description,
        language=item.language,
        currency=item.currency,
        planned_amount=Decimal("1500"),
        spent_amount=item.spent_amount,
        status=item.status,
    )
    check(
        the_entry("expenditures.updated"),
        actor=moderator,
        city=world.here,
        target_type="expenditure",
        target_id=item.id,
    )


def test_training_completed_by_a_moderator_and_courses_by_the_admin(world, acting):
    admin = world.users["admin"]
    with acting(admin):
        item = course(modules=2)
    check(
        the_entry("training.course_created"),
        actor=admin,
        city=None,
        target_type="course",
        target_id=item.id,
    )
    assert len(entries("training.module_added")) == 2
    moderator = world.users["moderator_here"]
    written = complete(moderator, item)
    assert written
    entry = the_entry("training.course_completed")
    check(entry, actor=moderator, city=world.here, target_type="course", target_id=item.id)
    assert entry.details["record_entry"] == written[0].id


# The association's network features.


def test_good_practices_submitted_approved_rejected(world):
    moderator = world.users["moderator_here"]
    admin = world.users["admin"]
    submitted = practice(city=world.here, status="submitted", submitted_by=moderator)
    practices.approve_practice(submitted, reviewer=admin)
    check(
        the_entry("practices.approved"),
        actor=admin,
        city=world.here,
        target_type="practice",
        target_id=submitted.id,
    )
    other = practice(city=world.here, status="submitted", submitted_by=moderator)
    practices.reject_practice(other, reviewer=admin, reason="Manca la valutazione", language="it")
    check(
        the_entry("practices.rejected"),
        actor=admin,
        city=world.here,
        target_type="practice",
        target_id=other.id,
        reason="Manca la valutazione",
    )


def test_participation_operators(world, acting):
    admin = world.users["admin"]
    values = operators.OperatorValues(
        name="Samia Benali",
        kind="cultural_mediator",
        organisation_name="",
        bio="Mediatrice.",
        bio_language="fr",
        email="samia@example.org",
        phone=None,
        languages=["fr", "ar"],
    )
    with acting(admin):
        operator = operators.create_operator(values)
        operators.update_operator(operator, values)
        engagement = operators.add_engagement(
            operator,
            operators.EngagementValues(
                city_id=world.here.id, step_key="", year=2024, description="", language="fr"
            ),
        )
    for action in ("operators.added", "operators.edited"):
        check(
            the_entry(action), actor=admin, city=None, target_type="operator", target_id=operator.id
        )
    added = the_entry("operators.engagement_added")
    check(added, actor=admin, city=world.here, target_type="operator", target_id=operator.id)
    assert added.details["engagement"] == engagement.id


# What the log never keeps.


def test_details_never_keep_passwords_tokens_or_addresses(world):
    for key in ("password", "reset_token", "email", "E-mail"):
        with pytest.raises(ValueError, match="never keep"):
            record(None, "cities.changed", details={key: "x"})
