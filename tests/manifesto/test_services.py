"""The Manifesto's services: versions, signatures and their consequences, local supporters."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from app.cities.models import CityChange
from app.extensions import db
from app.manifesto import services
from app.manifesto.models import (
    ManifestoEndorsement,
    ManifestoSignature,
    ManifestoText,
    ManifestoVersion,
)
from app.pathway.records import record_of
from tests import factories
from tests.manifesto import factories as manifesto_factories


def _sign(city, version, signed_on=date(2024, 3, 18), author=None, **extra):
    return services.record_signature(
        city,
        version,
        signed_on=signed_on,
        council_resolution=extra.get("resolution", "Delibera di Consiglio comunale n. 45/2024"),
        document_url=extra.get("url", "https://example.org/delibera-45.pdf"),
        author=author,
        language="it",
    )


def _insert(row) -> None:
    """Insert in a savepoint, so a refused row leaves the test's transaction usable."""
    with db.session.begin_nested():
        db.session.add(row)
        db.session.flush()


def _entries(city, kind):
    step = services.sign_manifesto_step(city)
    return [entry for entry in reversed(record_of(step)) if entry.kind == kind]


# Versions


def test_versions_are_numbered_in_order_and_the_latest_is_current(app):
    first = manifesto_factories.version()
    second = manifesto_factories.version()
    assert second.number == first.number + 1
    assert services.current_version().id == second.id
    assert [v.number for v in services.versions()][:2] == [second.number, first.number]
    assert len(second.texts) == 6


def test_version_numbers_are_unique_in_the_database(app):
    existing = manifesto_factories.version()
    with pytest.raises(IntegrityError):
        _insert(ManifestoVersion(number=existing.number, change_note=""))


def test_a_text_per_version_and_locale(app):
    version = manifesto_factories.version()
    with pytest.raises(IntegrityError):
        _insert(ManifestoText(version_id=version.id, locale="it", title="Doppio", body="x"))


def test_text_falls_back_to_english_then_italian_then_any(app):
    version = services.publish_version(
        author=None,
        texts={"it": ("Manifesto", "Uno"), "en": ("Manifesto", "One")},
        change_note="",
        change_note_language="en",
    )
    assert version.text("de").locale == "en"
    assert version.text("it").locale == "it"
    only_italian = services.publish_version(
        author=None,
        texts={"it": ("M", "Uno"), "fr": ("M", "Un")},
        change_note="",
        change_note_language="en",
    )
    assert only_italian.text("ar").locale == "it"
    only_french = services.publish_version(
        author=None, texts={"fr": ("M", "Un")}, change_note="", change_note_language="en"
    )
    assert only_french.text("de").locale == "fr"


def test_body_paragraphs_are_split_on_blank_lines(app):
    version = services.publish_version(
        author=None,
        texts={"en": ("M", "First line\nsame paragraph.\r\n\r\n\n\nSecond.\n\n  \n")},
        change_note="",
        change_note_language="en",
    )
    assert version.text("en").paragraphs == ["First line\nsame paragraph.", "Second."]


# Signatures


def test_a_signature_sets_the_date_history_record_and_completes_step_one(app):
    city = factories.city()
    moderator = factories.user(moderates=[city])
    version = manifesto_factories.version()
    step = services.sign_manifesto_step(city)
    assert step.step.position == 1
    assert step.status == "not_started"

    signature = _sign(city, version, author=moderator)

    assert city.manifesto_signed_on == date(2024, 3, 18)
    change = db.session.scalar(
        sa.select(CityChange).where(
            CityChange.city_id == city.id, CityChange.change == "manifesto_signed"
        )
    )
    assert change.author_id == moderator.id
    assert change.details == {
        "version": version.number,
        "signed_on": "2024-03-18",
        "council_resolution": "Delibera di Consiglio comunale n. 45/2024",
        "document_url": "https://example.org/delibera-45.pdf",
    }
    [decision] = _entries(city, "decision")
    assert decision.file_reference == "Delibera di Consiglio comunale n. 45/2024"
    assert decision.link_url == "https://example.org/delibera-45.pdf"
    assert decision.data == {"manifesto_version": version.number, "signed_on": "2024-03-18"}
    assert decision.language == "it"
    assert decision.author_id == moderator.id
    assert decision.title
    assert (step.status, step.started_on, step.completed_on) == (
        "completed",
        date(2024, 3, 18),
        date(2024, 3, 18),
    )
    [status_change] = _entries(city, "status_change")
    assert status_change.data == {"from": "not_started", "to": "completed"}
    assert signature.recorded_by_id == moderator.id


def test_a_renewal_keeps_every_signature_and_the_latest_is_current(app):
    city = factories.city()
    first, second = manifesto_factories.version(), manifesto_factories.version()
    _sign(city, first, date(2021, 6, 1))
    _sign(city, second, date(2025, 2, 10), resolution="Delibera n. 12/2025", url=None)
    assert city.manifesto_signed_on == date(2025, 2, 10)
    signatures = services.signatures_of(city)
    assert [s.version.number for s in signatures] == [second.number, first.number]
    assert signatures[0].document_url is None
    # A signature recorded late, with an older date, is kept but is not the current one.
    _sign(city, first, date(2019, 1, 15))
    assert city.manifesto_signed_on == date(2025, 2, 10)
    assert len(services.signatures_of(city)) == 3
    # Step 1 was completed once: the renewals add decisions, not status changes.
    assert len(_entries(city, "decision")) == 3
    assert len(_entries(city, "status_change")) == 1


def test_step_one_opened_after_the_signature_date_keeps_its_dates_ordered(app):
    city = factories.city()
    step = services.sign_manifesto_step(city)
    step.status, step.started_on = "in_progress", date(2024, 5, 1)
    db.session.flush()
    _sign(city, manifesto_factories.version(), date(2024, 3, 18))
    assert step.status == "completed"
    assert step.completed_on >= step.started_on


def test_the_database_refuses_an_absurd_signature_date(app):
    city = factories.city()
    version = manifesto_factories.version()
    signature = ManifestoSignature(
        city=city, version=version, signed_on=date(1999, 12, 31), council_resolution="x"
    )
    with pytest.raises(IntegrityError):
        _insert(signature)


# Local supporters


def test_a_resident_endorses_once_even_on_a_double_click(app):
    city = factories.city()
    resident = factories.user()
    services.endorse_as_resident(city, resident, show_name=False, language="it")
    with pytest.raises(services.AlreadyEndorsed):
        services.endorse_as_resident(city, resident, show_name=True, language="it")
    # The session is still usable after the refused insert.
    assert services.supporter_counts(city).residents == 1


def test_an_organisation_endorses_once(app):
    city = factories.city()
    organisation = factories.organisation(city=city)
    member = factories.user(organisation=organisation)
    services.endorse_for_organisation(city, organisation, member, language="it")
    with pytest.raises(services.AlreadyEndorsed):
        services.endorse_for_organisation(city, organisation, member, language="it")
    assert services.supporter_counts(city).organisations == 1
    assert len(_entries(city, "supporters")) == 1


def test_an_endorsement_is_a_resident_or_an_organisation_never_both_or_neither(app):
    city = factories.city()
    organisation = factories.organisation(city=city)
    person = factories.user()
    for user, org in ((person, organisation), (None, None)):
        with pytest.raises(IntegrityError):
            _insert(ManifestoEndorsement(city=city, user=user, organisation=org))


def test_an_organisation_of_another_city_is_not_a_local_supporter(app):
    city, elsewhere = factories.city(), factories.city()
    organisation = factories.organisation(city=elsewhere)
    member = factories.user(organisation=organisation)
    with pytest.raises(services.ManifestoError):
        services.endorse_for_organisation(city, organisation, member, language="it")
    assert services.supporter_counts(city).organisations == 0
    # An organisation tied to no city may support anywhere.
    network = factories.organisation(city=None)
    services.endorse_for_organisation(city, network, member, language="it")
    assert services.supporter_counts(city).organisations == 1


def test_counts_and_names_only_of_residents_who_chose_to_be_named(app):
    city, other_city = factories.city(), factories.city()
    named = factories.user(name="Amina El Idrissi")
    discreet = factories.user(name="Persona Riservata")
    services.endorse_as_resident(city, named, show_name=True, language="it")
    services.endorse_as_resident(city, discreet, show_name=False, language="it")
    services.endorse_as_resident(other_city, factories.user(), show_name=True, language="it")
    organisation = factories.organisation(city=city)
    services.endorse_for_organisation(city, organisation, named, language="it")

    supporters = services.supporters_of(city)
    assert (supporters.counts.organisations, supporters.counts.residents) == (1, 2)
    assert supporters.named_residents == ["Amina El Idrissi"]
    assert [o.name for o in supporters.organisations] == [organisation.name]
    assert supporters.my_resident is None
    # The discreet resident sees their own support, and still not their name in the list.
    mine = services.supporters_of(city, discreet)
    assert mine.my_resident is not None
    assert not mine.my_resident.show_name
    assert mine.named_residents == ["Amina El Idrissi"]


def test_step_one_record_notes_each_organisation_and_one_resident_summary_a_day(app):
    city = factories.city()
    first, second = factories.organisation(city=city), factories.organisation(city=city)
    member = factories.user(organisation=first)
    services.endorse_for_organisation(city, first, member, language="it")
    for _ in range(3):
        services.endorse_as_resident(city, factories.user(), show_name=False, language="it")
    services.endorse_for_organisation(city, second, member, language="fr")

    entries = _entries(city, "supporters")
    assert [entry.data for entry in entries] == [
        {"organisations": 1, "residents": 0, "organisation": first.name},
        {"organisations": 1, "residents": 1},
        {"organisations": 2, "residents": 3, "organisation": second.name},
    ]
    # Residents' summaries carry no author: a resident who is not named stays anonymous.
    assert all(entry.author_id is None for entry in entries)
    assert first.name in entries[0].title
    assert entries[2].language == "fr"


def test_a_new_day_brings_a_new_resident_summary(app):
    city = factories.city()
    services.endorse_as_resident(city, factories.user(), show_name=False, language="it")
    services.endorse_as_resident(city, factories.user(), show_name=False, language="it")
    assert len(_entries(city, "supporters")) == 1
    tomorrow = datetime.now(UTC) + timedelta(days=1)
    services.endorse_as_resident(
        city, factories.user(), show_name=False, language="it", now=tomorrow
    )
    entries = _entries(city, "supporters")
    assert [entry.data["residents"] for entry in entries] == [1, 3]


def test_withdrawing_removes_the_support(app):
    city = factories.city()
    resident = factories.user()
    organisation = factories.organisation(city=city)
    services.endorse_as_resident(city, resident, show_name=True, language="it")
    services.endorse_for_organisation(city, organisation, resident, language="it")

    assert services.withdraw_resident(city, resident)
    assert not services.withdraw_resident(city, resident)
    assert services.withdraw_organisation(city, organisation, language="it")
    assert not services.withdraw_organisation(city, organisation, language="it")
    assert services.supporter_counts(city) == services.SupporterCounts(0, 0)
    assert _entries(city, "supporters")[-1].data == {
        "organisations": 0,
        "residents": 0,
        "withdrawn": organisation.name,
    }
    # Supporting again after a withdrawal is possible.
    services.endorse_as_resident(city, resident, show_name=False, language="it")
    assert services.supporter_counts(city).residents == 1
