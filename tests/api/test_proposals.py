"""Consultations, proposals and comments in the API: languages and translation labels, what
hidden items show to whom, the city's answers, and a constant number of statements."""

from __future__ import annotations

import pytest

from app.db_types import utcnow
from app.extensions import db
from app.pathway.records import append_entry
from app.results.models import MunicipalResponse
from tests.conftest import log_in
from tests.consultations.factories import with_phases
from tests.proposals import factories as pf
from tests.translations.factories import translation


def _hide(item, moderator):
    item.hidden_at = utcnow()
    item.hidden_reason = "Off topic"
    item.hidden_reason_language = "en"
    item.hidden_by_id = moderator.id
    db.session.flush()


@pytest.fixture
def arranged(world):
    consultation = with_phases(world.here, phase="deliberation")
    citizen, organisation = world.users["citizen"], world.users["organisation"]
    shown = pf.proposal(consultation, citizen, title="Una biblioteca", body="Libri per tutti")
    translated = translation(
        shown, "en", translator=organisation, fields={"title": "A library", "body": "Books for all"}
    )
    translation(shown, "fr", origin="machine")
    hidden = pf.proposal(consultation, organisation, title="Nascosta")
    _hide(hidden, world.users["moderator_here"])
    comment = pf.comment(shown, organisation, body="Bella idea")
    hidden_comment = pf.comment(shown, organisation, body="Testo nascosto")
    _hide(hidden_comment, world.users["moderator_here"])
    db.session.add(
        MunicipalResponse(proposal=shown, status="accepted", body="La faremo", language="it")
    )
    db.session.flush()
    return consultation, shown, hidden, comment, hidden_comment, translated


def test_a_consultation_with_its_phases_and_method(client, world, arranged):
    consultation = arranged[0]
    answer = client.get(f"/api/v1/consultations/{consultation.id}?lang=it")
    assert answer.status_code == 200
    body = answer.json
    assert body["city"] == world.here.slug
    assert body["phase"] == "deliberation"
    assert [phase["kind"] for phase in body["phases"]][:3] == [
        "information",
        "proposals",
        "deliberation",
    ]
    assert body["voting_method"] == "supports"
    assert body["texts"]["original_language"] == "it"
    listed = client.get(f"/api/v1/consultations?city={world.here.slug}").json["items"]
    assert consultation.id in [item["id"] for item in listed]
    assert client.get("/api/v1/consultations?city=nowhere").json["items"] == []


def test_texts_in_the_asked_language_with_the_translation_label(client, world, arranged):
    _consultation, shown, *_rest, translated = arranged
    english = client.get(f"/api/v1/proposals/{shown.id}?lang=en").json
    assert english["title"] == "A library"
    assert english["texts"]["language"] == "en"
    assert english["texts"]["original_language"] == "it"
    label = english["texts"]["translation"]
    assert label["origin"] == "human"
    assert label["translator"] == world.users["organisation"].display_name
    assert "by a person" in label["label"]
    assert english["texts"]["available_languages"] == ["en", "fr", "it"]
    french = client.get(f"/api/v1/proposals/{shown.id}", headers={"Accept-Language": "fr"}).json
    assert french["texts"]["translation"]["origin"] == "machine"
    assert french["texts"]["translation"]["translator"] is None
    italian = client.get(f"/api/v1/proposals/{shown.id}?lang=it").json
    assert italian["title"] == "Una biblioteca"
    assert italian["texts"]["translation"] is None
    assert italian["response"]["status"] == "accepted"
    assert italian["comments"] == {"for": 2, "against": 0, "neutral": 0}


def test_hidden_items_only_for_their_authors_and_the_city_managers(client, world, arranged):
    consultation, shown, hidden, comment, hidden_comment, _t = arranged
    proposals_url = f"/api/v1/consultations/{consultation.id}/proposals"
    comments_url = f"/api/v1/proposals/{shown.id}/comments"
    for visitor, sees in {
        "anonymous": False,
        "citizen": False,
        "moderator_elsewhere": False,
        "observer": False,
        "organisation": True,  # the author of both hidden items
        "moderator_here": True,
        "admin": True,
    }.items():
        log_in(client, world.users[visitor])
        listed = [item["id"] for item in client.get(proposals_url).json["items"]]
        assert (hidden.id in listed) is sees, visitor
        assert shown.id in listed
        comments = [item["id"] for item in client.get(comments_url).json["items"]]
        assert (hidden_comment.id in comments) is sees, visitor
        assert comment.id in comments
        single = client.get(f"/api/v1/proposals/{hidden.id}")
        assert single.status_code == (200 if sees else 404), visitor
        if sees:
            assert single.json["hidden"] is True
            assert single.headers["Cache-Control"] == "private, no-cache"
    log_in(client, None)
    text = client.get(proposals_url).get_data(as_text=True) + client.get(comments_url).get_data(
        as_text=True
    )
    assert "Nascosta" not in text
    assert "Testo nascosto" not in text
    assert "@example.org" not in text


def test_deleted_comments_never_appear(client, world, arranged):
    _c, shown, _h, comment, *_rest = arranged
    comment.status = "deleted"
    db.session.flush()
    comments = client.get(f"/api/v1/proposals/{shown.id}/comments").json["items"]
    assert comment.id not in [item["id"] for item in comments]


def test_lists_run_the_same_statements_at_2_and_12_items(client, world, count_queries):
    consultation = with_phases(world.here, phase="deliberation")
    author = world.users["citizen"]
    first = pf.proposal(consultation, author)
    step = next(s for s in world.here.steps if s.step.position == 8)
    urls = {
        "proposals": f"/api/v1/consultations/{consultation.id}/proposals",
        "comments": f"/api/v1/proposals/{first.id}/comments",
        "consultations": "/api/v1/consultations",
        "records": f"/api/v1/cities/{world.here.slug}/steps/8/records",
        "cities": "/api/v1/cities",
        "steps": f"/api/v1/cities/{world.here.slug}/steps",
    }

    def statements() -> dict[str, int]:
        counts = {}
        for name, url in urls.items():
            with count_queries() as seen:
                assert client.get(url + "?lang=en").status_code == 200
            counts[name] = len(seen)
        return counts

    def grow(n: int) -> None:
        for index in range(n):
            proposal = pf.proposal(consultation, author, title=f"Proposta {index}")
            translation(proposal, "en", translator=world.users["organisation"])
            pf.comment(first, author, body=f"Commento {index}")
            with_phases(world.here, phase="proposals")
            entry = append_entry(step, "note", language="it", author=author, title=f"Nota {index}")
            translation(entry, "en", origin="machine")
        db.session.flush()

    grow(1)
    small = statements()
    grow(10)
    large = statements()
    assert small == large
    assert max(large.values()) <= 12, large


def test_proposals_and_comments_pages_by_time_then_id(client, world):
    consultation = with_phases(world.here, phase="deliberation")
    author = world.users["citizen"]
    made = [pf.proposal(consultation, author, title=f"P{n}") for n in range(5)]
    comments = [pf.comment(made[0], author, body=f"C{n}") for n in range(5)]
    # Two with the same moment: the id decides between them.
    made[2].created_at = made[1].created_at
    db.session.flush()
    for url, expected in (
        (f"/api/v1/consultations/{consultation.id}/proposals?limit=2", made),
        (f"/api/v1/proposals/{made[0].id}/comments?limit=2", comments),
    ):
        seen = []
        while url:
            answer = client.get(url)
            assert answer.status_code == 200
            seen += [item["id"] for item in answer.json["items"]]
            url = answer.json["next"]
        assert seen == [item.id for item in expected]
