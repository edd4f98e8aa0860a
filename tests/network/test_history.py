"""A city's history in words: each kind of change, in the reader's locale."""

from __future__ import annotations

from flask_babel import force_locale

from app.cities.history import record_city_change
from app.network.history import describe
from tests import factories


def _words(app, entry, locale: str = "en"):
    with app.test_request_context(), force_locale(locale):
        return describe(entry)


def test_each_kind_of_change_in_words(app):
    city = factories.city()
    created = record_city_change(
        city, "created", author=None, details={"membership_status": "candidate"}
    )
    assert _words(app, created).summary == "City created, status “Candidate city”"
    details = record_city_change(
        city,
        "details",
        author=None,
        details={
            "country": {"from": "IT", "to": "SM"},
            "population": {"from": 1500, "to": None},
        },
    )
    assert _words(app, details).lines == [
        "Country changed from “Italy” to “San Marino”",
        "Population changed from “1,500” to “none”",
    ]
    languages = record_city_change(
        city,
        "languages",
        author=None,
        details={"from": {}, "to": {"it": "90.00", "ar": "4.50"}},
    )
    assert _words(app, languages).lines == ["Before: none", "After: Italian 90%, Arabic 4.5%"]
    removed = record_city_change(
        city, "moderator_removed", author=None, details={"user_id": 1, "name": "Marta"}
    )
    assert _words(app, removed).summary == "Marta is no longer a municipal moderator"


def test_changes_written_by_other_features(app):
    city = factories.city()
    signed = record_city_change(
        city,
        "manifesto_signed",
        author=None,
        details={
            "version": 2,
            "signed_on": "2025-01-22",
            "council_resolution": "DCC 2025/14",
            "document_url": "https://example.org/delibera.pdf",
        },
    )
    item = _words(app, signed)
    assert item.summary == "Manifesto signed: version 2"
    assert item.lines == ["Signed on January 22, 2025", "Council resolution: DCC 2025/14"]
    assert item.link == "https://example.org/delibera.pdf"
    unsafe = record_city_change(
        city, "manifesto_signed", author=None, details={"document_url": "javascript:alert(1)"}
    )
    assert _words(app, unsafe).link is None
    ballots = record_city_change(
        city,
        "paper_ballots",
        author=None,
        details={"consultation_title": "Piazza", "session": "Biblioteca", "ballots": 12},
    )
    assert _words(app, ballots).summary == "12 paper ballots entered for “Piazza”"
    unknown = record_city_change(city, "renamed_square", author=None, details={"square": "Unità"})
    item = _words(app, unknown)
    assert item.summary == "Other change (renamed_square)"
    assert item.lines == ["square: Unità"]


def test_membership_reason_keeps_its_language(app):
    city = factories.city()
    entry = record_city_change(
        city,
        "membership",
        author=None,
        details={"from": "member", "to": "suspended", "reason_language": "it"},
        reason="Quote non versate",
    )
    item = _words(app, entry, "de")
    assert item.reason == "Quote non versate"
    assert item.reason_language == "it"
    assert item.summary.startswith(("Membership changed", "Mitgliedschaft"))
