"""The Manifesto's demo data: two versions in six locales, four signatures, local supporters."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from app.cities.models import City
from app.config import LOCALES
from app.demo.commands import seed
from app.extensions import db
from app.manifesto import services
from app.manifesto.models import ManifestoEndorsement, ManifestoSignature, ManifestoVersion
from app.pathway.models import StepRecordEntry


def _counts() -> tuple[int, ...]:
    return tuple(
        db.session.scalar(sa.select(sa.func.count()).select_from(model))
        for model in (ManifestoVersion, ManifestoSignature, ManifestoEndorsement, StepRecordEntry)
    )


def _city(slug: str) -> City:
    return db.session.scalar(sa.select(City).where(City.slug == slug))


def test_demo_is_idempotent_and_tells_the_manifesto_story(app, demo):
    first = _counts()
    seed()
    assert _counts() == first

    one, two = services.get_version_or_404(1), services.get_version_or_404(2)
    assert (one.published_at.date(), two.published_at.date()) == (
        date(2023, 5, 10),
        date(2025, 2, 1),
    )
    for locale in LOCALES:
        assert one.text(locale).locale == locale
        # Version 2 adds a paragraph on the languages of the territory.
        assert len(two.text(locale).paragraphs) == len(one.text(locale).paragraphs) + 1 == 6
    assert "White Paper on Intercultural Dialogue" in one.text("en").body

    signed = {
        slug: services.signatures_of(_city(slug))[0]
        for slug in ("bologna", "marseille", "leipzig", "valencia")
    }
    assert {slug: s.version.number for slug, s in signed.items()} == {
        "bologna": 1,
        "marseille": 1,
        "leipzig": 1,
        "valencia": 2,
    }
    for slug, signature in signed.items():
        assert signature.signed_on == _city(slug).manifesto_signed_on
        assert signature.council_resolution
    assert services.signatures_of(_city("limerick")) == []

    bologna = services.supporters_of(_city("bologna"))
    assert {o.name for o in bologna.organisations} == {"Associazione Al-Nour", "Liceo Laura Bassi"}
    assert bologna.counts.residents == 2
    assert bologna.named_residents == ["Amina El Idrissi"]
    marseille = services.supporters_of(_city("marseille"))
    assert [o.name for o in marseille.organisations] == ["Centre social Belsunce"]
    leipzig = services.supporters_of(_city("leipzig"))
    assert [o.name for o in leipzig.organisations] == ["Deutsch-Ukrainischer Verein Leipzig e.V."]


def test_demo_pages_render(app, client, demo):
    for url in (
        "/manifesto/",
        "/manifesto/versions/1",
        "/manifesto/cities/bologna/supporters",
        "/cities/bologna",
        "/cities/bologna/steps/1",
    ):
        for locale in LOCALES:
            response = client.get(url, headers={"Accept-Language": locale})
            assert response.status_code == 200, (url, locale)
