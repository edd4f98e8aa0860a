"""The Manifesto's pages and forms: reading, publishing, signing, endorsing, bad input."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from app.cities.models import CityChange
from app.extensions import db
from app.manifesto import services
from app.manifesto.models import ManifestoEndorsement, ManifestoSignature, ManifestoVersion
from app.pathway.models import StepRecordEntry
from tests import factories
from tests.conftest import log_in
from tests.manifesto import factories as manifesto_factories
from tests.manifesto.matrix import GET_CASES
from tests.matrix import VISITORS


def _html(response) -> str:
    return response.get_data(as_text=True)


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


# The forms' pages (their POST side is in the permission matrix)


@pytest.mark.parametrize("visitor", VISITORS)
@pytest.mark.parametrize("endpoint", sorted(GET_CASES))
def test_form_pages_permissions(client, world, login_as, endpoint, visitor):
    case = GET_CASES[endpoint]
    login_as(visitor)
    response = client.get(case.url(world))
    assert response.status_code == case.expect[visitor], (endpoint, visitor)
    if visitor == "anonymous":
        assert "/account/login?next=" in response.headers["Location"]


# Reading the Manifesto


def test_manifesto_page_before_any_version(client, app):
    if services.current_version() is not None:
        pytest.skip("a version exists in this database")
    assert "has not been published yet" in _html(client.get("/manifesto/"))


def test_manifesto_is_shown_in_the_readers_locale_with_paragraphs(client, world):
    manifesto_factories.version(titles={"fr": "Manifeste des Learning Cities"})
    html = _html(client.get("/manifesto/", headers={"Accept-Language": "fr"}))
    assert "Manifeste des Learning Cities" in html
    assert "<p>Primo paragrafo (fr).</p>" in html
    assert "<p>Secondo paragrafo (fr).</p>" in html
    assert 'lang="fr" dir="ltr"' in html


def test_manifesto_text_is_escaped_never_html(client, world):
    services.publish_version(
        author=None,
        texts={"en": ("<b>M</b>", "<script>alert(1)</script>")},
        change_note="<i>x</i>",
        change_note_language="en",
    )
    html = _html(client.get("/manifesto/"))
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<i>x</i>" not in html


def test_missing_locale_falls_back_to_english_with_a_notice(client, world):
    services.publish_version(
        author=None,
        texts={"it": ("Manifesto IT", "Testo."), "en": ("Manifesto EN", "Text.")},
        change_note="",
        change_note_language="en",
    )
    html = _html(client.get("/manifesto/", headers={"Accept-Language": "de"}))
    assert "Manifesto EN" in html
    assert 'class="notice"' in html


def test_another_language_can_be_chosen_and_arabic_reads_right_to_left(client, world):
    manifesto_factories.version(titles={"ar": "بيان Learning Cities"})
    html = _html(client.get("/manifesto/?lang=ar"))
    assert 'lang="ar" dir="rtl">بيان Learning Cities' in html
    # An unknown choice is ignored, not an error.
    assert client.get("/manifesto/?lang=xx").status_code == 200


def test_version_page_lists_the_cities_that_signed_it(client, world):
    version = manifesto_factories.version()
    newer = manifesto_factories.version()
    services.record_signature(
        world.here,
        version,
        signed_on=date(2024, 3, 18),
        council_resolution="Delibera n. 45/2024",
        document_url=None,
        author=None,
        language="it",
    )
    html = _html(client.get(f"/manifesto/versions/{version.number}"))
    assert world.here.name in html
    assert "A newer version of the Manifesto exists" in html
    assert (
        world.here.name
        not in _html(client.get(f"/manifesto/versions/{newer.number}"))
        .split('id="signed-heading"')[1]
        .split("</section>")[0]
    )


def test_unknown_version_is_404(client, world):
    assert client.get("/manifesto/versions/987654").status_code == 404


# Publishing a version


def test_new_version_form_starts_from_the_current_texts(client, world, login_as):
    manifesto_factories.version(titles={"de": "Manifest der Learning Cities"})
    login_as("admin")
    html = _html(client.get("/manifesto/versions/new"))
    assert 'value="Manifest der Learning Cities"' in html
    assert 'name="body_ar"' in html
    assert 'dir="rtl"' in html


def test_admin_publishes_a_new_version_and_the_old_one_is_untouched(client, world, login_as):
    old = manifesto_factories.version()
    old_body = old.text("it").body
    login_as("admin")
    response = client.post(
        "/manifesto/versions/new",
        data=manifesto_factories.version_form(body_it="Nuovo testo.\n\nSecondo paragrafo."),
    )
    assert response.status_code == 302
    new = services.current_version()
    assert new.number == old.number + 1
    assert response.headers["Location"].endswith(f"/manifesto/versions/{new.number}")
    assert new.text("it").body == "Nuovo testo.\n\nSecondo paragrafo."
    assert new.author_id == world.users["admin"].id
    assert (new.change_note, new.change_note_language) == (
        "Riformulato il paragrafo sulle lingue",
        "it",
    )
    db.session.refresh(old)
    assert old.text("it").body == old_body


def test_every_locale_is_required_and_nothing_is_written(client, world, login_as):
    login_as("admin")
    before = _count(ManifestoVersion)
    response = client.post(
        "/manifesto/versions/new", data=manifesto_factories.version_form(body_ar="", title_de="")
    )
    assert response.status_code == 422
    html = _html(response)
    assert "Enter the text of the Manifesto." in html
    assert "Enter the title." in html
    assert _count(ManifestoVersion) == before


# Signing


def _signature_form(of_version, **overrides) -> dict[str, str]:
    data = {
        "version": str(of_version.number),
        "signed_on": "2024-03-18",
        "council_resolution": "Delibera di Consiglio comunale n. 45/2024",
        "document_url": "https://comune.example.org/delibere/45-2024.pdf",
    }
    data.update(overrides)
    return data


def test_moderator_records_the_signature(client, world, login_as):
    version = manifesto_factories.version()
    login_as("moderator_here")
    response = client.post(
        f"/manifesto/cities/{world.here.slug}/sign", data=_signature_form(version)
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/cities/{world.here.slug}/steps/1")
    assert world.here.manifesto_signed_on == date(2024, 3, 18)
    step = services.sign_manifesto_step(world.here)
    assert step.status == "completed"
    entries = db.session.scalars(
        sa.select(StepRecordEntry).where(StepRecordEntry.city_step_id == step.id)
    ).all()
    assert {entry.kind for entry in entries} == {"decision", "status_change"}
    # Written in the moderator's first content language.
    assert {entry.language for entry in entries} == {"it"}

    page = _html(client.get(f"/cities/{world.here.slug}/steps/1"))
    assert "Delibera di Consiglio comunale n. 45/2024" in page
    assert 'href="https://comune.example.org/delibere/45-2024.pdf"' in page
    assert f"/manifesto/cities/{world.here.slug}/sign" in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("signed_on", "tomorrow", "The date of signature cannot be in the future."),
        ("signed_on", "1999-12-31", "The date of signature cannot be before 2000."),
        ("signed_on", "2019-06-01", "it cannot have been signed earlier"),
        ("signed_on", "18/03/2024", "Not a valid date value."),
        ("signed_on", "", "Enter the date of the signature."),
        ("document_url", "javascript:alert(1)", "starting with https:// or http://"),
        ("document_url", "ftp://comune.example.org/delibera.pdf", "starting with https://"),
        ("document_url", "https://", "starting with https://"),
        ("version", "987654", "This version of the Manifesto does not exist."),
        ("version", "uno", "This version of the Manifesto does not exist."),
        ("council_resolution", "   ", "Enter the reference of the council resolution."),
    ],
)
def test_bad_signature_is_refused_with_a_message_and_nothing_is_written(
    client, world, login_as, field, value, message
):
    version = manifesto_factories.version(published_at=datetime(2020, 1, 1, tzinfo=UTC))
    if value == "tomorrow":
        value = (services.city_today(world.here) + timedelta(days=1)).isoformat()
    login_as("moderator_here")
    before = (_count(ManifestoSignature), _count(CityChange), _count(StepRecordEntry))
    response = client.post(
        f"/manifesto/cities/{world.here.slug}/sign",
        data=_signature_form(version, **{field: value}),
    )
    assert response.status_code == 422
    html = _html(response)
    assert message in html
    assert 'class="error-summary"' in html
    assert (_count(ManifestoSignature), _count(CityChange), _count(StepRecordEntry)) == before
    assert world.here.manifesto_signed_on is None


def test_a_signature_dated_today_in_the_city_is_accepted(client, world, login_as):
    version = manifesto_factories.version()
    login_as("admin")
    today = services.city_today(world.here).isoformat()
    response = client.post(
        f"/manifesto/cities/{world.here.slug}/sign",
        data=_signature_form(version, signed_on=today, document_url=""),
    )
    assert response.status_code == 302
    assert services.signatures_of(world.here)[0].document_url is None


def test_another_citys_moderator_cannot_sign_and_nothing_is_written(client, world, login_as):
    version = manifesto_factories.version()
    login_as("moderator_elsewhere")
    before = _count(ManifestoSignature)
    response = client.post(
        f"/manifesto/cities/{world.here.slug}/sign", data=_signature_form(version)
    )
    assert response.status_code == 403
    assert _count(ManifestoSignature) == before
    assert world.here.manifesto_signed_on is None


def test_sign_form_of_an_unknown_city_is_404(client, world, login_as):
    login_as("admin")
    assert client.get("/manifesto/cities/nowhere/sign").status_code == 404
    assert client.get("/manifesto/cities/nowhere/supporters").status_code == 404
    assert client.post("/manifesto/cities/nowhere/endorse").status_code == 404


# Local supporters


def _endorsements(city) -> list[ManifestoEndorsement]:
    return list(
        db.session.scalars(
            sa.select(ManifestoEndorsement).where(ManifestoEndorsement.city_id == city.id)
        )
    )


def test_a_resident_is_counted_but_not_named_by_default(client, world, login_as):
    login_as("citizen")
    world.users["citizen"].display_name = "Persona Riservata"
    response = client.post(f"/manifesto/cities/{world.here.slug}/endorse", data={})
    assert response.status_code == 302
    [endorsement] = _endorsements(world.here)
    assert endorsement.user_id == world.users["citizen"].id
    assert not endorsement.show_name
    log_in(client, None)
    html = _html(client.get(f"/manifesto/cities/{world.here.slug}/supporters"))
    assert "1 resident supports it" in html
    assert "Persona Riservata" not in html


def test_a_resident_who_chooses_is_named(client, world, login_as):
    login_as("citizen")
    world.users["citizen"].display_name = "Amina El Idrissi"
    client.post(f"/manifesto/cities/{world.here.slug}/endorse", data={"show_name": "y"})
    log_in(client, None)
    assert "Amina El Idrissi" in _html(
        client.get(f"/manifesto/cities/{world.here.slug}/supporters")
    )


def test_a_double_click_endorses_once_with_a_friendly_message(client, world, login_as):
    login_as("citizen")
    url = f"/manifesto/cities/{world.here.slug}/endorse"
    assert client.post(url, data={}).status_code == 302
    second = client.post(url, data={}, follow_redirects=True)
    assert second.status_code == 200
    assert "This support was already recorded." in _html(second)
    assert len(_endorsements(world.here)) == 1


def test_an_organisation_member_endorses_for_it_and_it_is_named(client, world, login_as):
    login_as("organisation")
    response = client.post(
        f"/manifesto/cities/{world.here.slug}/endorse",
        data={"organisation": str(world.organisation.id), "next": f"/cities/{world.here.slug}"},
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/cities/{world.here.slug}")
    [endorsement] = _endorsements(world.here)
    assert endorsement.organisation_id == world.organisation.id
    assert endorsement.user_id is None
    assert endorsement.endorsed_by_id == world.users["organisation"].id
    for url in (f"/cities/{world.here.slug}", f"/manifesto/cities/{world.here.slug}/supporters"):
        html = _html(client.get(url))
        assert world.organisation.name in html
        assert f'href="/organisations/{world.organisation.slug}"' in html
    # The member now sees how to withdraw the organisation's support.
    assert "Withdraw the support of" in html


def test_acting_for_an_organisation_one_is_not_a_member_of_is_refused(client, world, login_as):
    login_as("citizen")
    for organisation in (str(world.organisation.id), "987654"):
        response = client.post(
            f"/manifesto/cities/{world.here.slug}/endorse", data={"organisation": organisation}
        )
        assert response.status_code == 422
        assert "only on behalf of an organisation you are a member of" in _html(response)
    assert _endorsements(world.here) == []
    step = services.sign_manifesto_step(world.here)
    assert not db.session.scalars(
        sa.select(StepRecordEntry).where(StepRecordEntry.city_step_id == step.id)
    ).all()


def test_an_unconfirmed_account_cannot_endorse(client, world):
    log_in(client, factories.user(confirmed=False))
    response = client.post(f"/manifesto/cities/{world.here.slug}/endorse", data={})
    assert response.status_code == 403
    assert _endorsements(world.here) == []


@pytest.mark.parametrize("status", ["suspended", "left"])
def test_only_member_and_candidate_cities_gather_supporters(client, world, login_as, status):
    world.here.membership_status = status
    login_as("citizen")
    response = client.post(f"/manifesto/cities/{world.here.slug}/endorse", data={})
    assert response.status_code == 422
    assert "Only member and candidate cities" in _html(response)
    assert _endorsements(world.here) == []


def test_a_candidate_city_gathers_supporters(client, world, login_as):
    world.here.membership_status = "candidate"
    login_as("citizen")
    assert client.post(f"/manifesto/cities/{world.here.slug}/endorse").status_code == 302
    assert len(_endorsements(world.here)) == 1


def test_withdrawing_support(client, world, login_as):
    login_as("organisation")
    base = f"/manifesto/cities/{world.here.slug}"
    client.post(f"{base}/endorse", data={"show_name": "y"})
    client.post(f"{base}/endorse", data={"organisation": str(world.organisation.id)})
    assert len(_endorsements(world.here)) == 2

    assert client.post(f"{base}/withdraw", data={}).status_code == 302
    assert (
        client.post(
            f"{base}/withdraw", data={"organisation": str(world.organisation.id)}
        ).status_code
        == 302
    )
    assert _endorsements(world.here) == []
    again = client.post(f"{base}/withdraw", data={}, follow_redirects=True)
    assert "There was no support to withdraw." in _html(again)


def test_withdrawing_for_someone_elses_organisation_is_refused(client, world, login_as):
    services.endorse_for_organisation(
        world.here, world.organisation, world.users["organisation"], language="it"
    )
    login_as("citizen")
    response = client.post(
        f"/manifesto/cities/{world.here.slug}/withdraw",
        data={"organisation": str(world.organisation.id)},
    )
    assert response.status_code == 422
    assert len(_endorsements(world.here)) == 1


def test_the_button_returns_only_to_a_page_of_this_site(client, world, login_as):
    login_as("citizen")
    response = client.post(
        f"/manifesto/cities/{world.here.slug}/endorse", data={"next": "//evil.example/"}
    )
    assert response.headers["Location"].endswith(f"/manifesto/cities/{world.here.slug}/supporters")


def test_city_panel_shows_buttons_only_to_those_who_may_use_them(client, world, login_as):
    url = f"/cities/{world.here.slug}"
    login_as("anonymous")
    html = _html(client.get(url))
    assert "Log in to support the Manifesto" in html
    assert "/endorse" not in html
    login_as("citizen")
    html = _html(client.get(url))
    assert "Support the Manifesto as a resident" in html
    assert "on behalf of" not in html
    login_as("organisation")
    html = _html(client.get(url))
    assert f"Support the Manifesto on behalf of {world.organisation.name}" in html


def test_city_panel_shows_the_signature_with_its_version(client, world):
    version = manifesto_factories.version()
    services.record_signature(
        world.here,
        version,
        signed_on=date(2024, 3, 18),
        council_resolution="Delibera n. 45/2024",
        document_url=None,
        author=None,
        language="it",
    )
    html = _html(client.get(f"/cities/{world.here.slug}"))
    assert f"Signed version {version.number} on March 18, 2024" in html
    assert f'href="/manifesto/versions/{version.number}"' in html


def test_step_panel_only_on_step_one(client, world, login_as):
    login_as("moderator_here")
    assert "Signatures of the Manifesto" in _html(client.get(f"/cities/{world.here.slug}/steps/1"))
    assert "Signatures of the Manifesto" not in _html(
        client.get(f"/cities/{world.here.slug}/steps/2")
    )
    login_as("moderator_elsewhere")
    assert f"/manifesto/cities/{world.here.slug}/sign" not in _html(
        client.get(f"/cities/{world.here.slug}/steps/1")
    )


# Query counts


def _endorse_many(city, residents: int, organisations: int) -> None:
    for n in range(residents):
        services.endorse_as_resident(city, factories.user(), show_name=n % 2 == 0, language="it")
    for _ in range(organisations):
        services.endorse_for_organisation(
            city, factories.organisation(city=city), None, language="it"
        )


@pytest.mark.parametrize("visitor", ["anonymous", "organisation"])
def test_city_page_queries_do_not_grow_with_the_supporters(
    client, world, login_as, count_queries, visitor
):
    login_as(visitor)
    city = world.here
    services.record_signature(
        city,
        manifesto_factories.version(),
        signed_on=date(2024, 3, 18),
        council_resolution="n. 1",
        document_url=None,
        author=None,
        language="it",
    )
    counts = []
    # 1 endorsement, then 20 (residents, named and not, and organisations).
    for residents, organisations in ((1, 0), (11, 8)):
        _endorse_many(city, residents, organisations)
        client.get(f"/cities/{city.slug}")  # warm-up: the same caches each time
        with count_queries() as statements:
            response = client.get(f"/cities/{city.slug}")
        assert response.status_code == 200
        counts.append(len(statements))
    assert services.supporter_counts(city) == services.SupporterCounts(8, 12)
    assert counts[0] == counts[1], counts


def test_supporters_and_step_pages_queries_do_not_grow(client, world, count_queries):
    city = world.here
    version = manifesto_factories.version()
    for url in ("/manifesto/cities/{slug}/supporters", "/cities/{slug}/steps/1"):
        counts = []
        for year in (2021, 2022):
            services.record_signature(
                city,
                version,
                signed_on=date(year, 3, 18),
                council_resolution=f"n. {year}",
                document_url="https://example.org/d.pdf",
                author=None,
                language="it",
            )
            _endorse_many(city, residents=4, organisations=3)
            client.get(url.format(slug=city.slug))
            with count_queries() as statements:
                client.get(url.format(slug=city.slug))
            counts.append(len(statements))
        assert counts[0] == counts[1], (url, counts)
