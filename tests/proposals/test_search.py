"""Proposal search on both databases: words in any language of a proposal's published
translations, hidden texts never found, best match first, typos (PostgreSQL), "more than
1,000", and statements that do not grow with the number of proposals."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from app.db_types import utcnow
from app.extensions import db
from app.proposals import services
from app.translations.models import Translation
from tests.consultations.factories import with_phases
from tests.proposals import factories as pf


@pytest.fixture
def consultation(world):
    return with_phases(world.here, phase="proposals")


def _on_postgresql() -> bool:
    return db.session.connection().dialect.name == "postgresql"


def _translate(proposal, language: str, title: str, body: str, status: str = "published"):
    translation = Translation(
        kind="proposal",
        item_id=proposal.id,
        language=language,
        source_language=proposal.language,
        fields={"title": title, "body": body},
        origin="machine",
        engine="test",
        status=status,
        version=1,
    )
    db.session.add(translation)
    db.session.flush()
    return translation


def _found(client, consultation, text: str, locale: str = "it", **args) -> list[int]:
    response = client.get(
        f"/consultations/{consultation.id}/proposals",
        query_string={"q": text, **args},
        headers={"Accept-Language": locale},
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    return [int(n) for n in re.findall(r'href="/proposals/(\d+)"', html)]


def test_a_query_finds_a_proposal_through_its_published_translation(client, world, consultation):
    citizen = world.users["citizen"]
    arabic = pf.proposal(
        consultation, citizen, title="مكتبة للحي", body="كتب بكل اللغات", language="ar"
    )
    pending = pf.proposal(
        consultation, citizen, title="حديقة عامة", body="أشجار وظل", language="ar"
    )
    pf.proposal(consultation, citizen, title="Pista ciclabile", body="Sicura per tutti")
    _translate(arabic, "it", "Una biblioteca per il quartiere", "Libri in tutte le lingue")
    waiting = _translate(pending, "it", "Un giardino pubblico", "Alberi e ombra", "pending")

    # Italian words through the Italian translation (PostgreSQL stems them: "biblioteche"
    # finds "biblioteca"; SQLite matches words and their beginnings).
    word = "biblioteche" if _on_postgresql() else "bibliotec"
    assert _found(client, consultation, word) == [arabic.id]
    assert _found(client, consultation, "libri") == [arabic.id]
    # The original's own words too, whatever the reader's language.
    assert _found(client, consultation, "مكتبة", locale="fr") == [arabic.id]
    # An unpublished translation is never searched; once published, it is.
    assert _found(client, consultation, "giardino") == []
    waiting.status = "published"
    db.session.flush()
    assert _found(client, consultation, "giardino") == [pending.id]
    # A translation hidden by a moderator no longer finds its proposal.
    waiting.hidden_at = utcnow()
    db.session.flush()
    assert _found(client, consultation, "giardino") == []


def test_edited_and_hidden_proposals(client, world, consultation):
    citizen = world.users["citizen"]
    item = pf.proposal(consultation, citizen, title="Un orto condiviso", body="Verdure")
    assert _found(client, consultation, "orto") == [item.id]
    services.update_proposal(
        item, services.ProposalData(title="Una fontana", body="Acqua fresca", language="it")
    )
    assert _found(client, consultation, "orto") == []
    assert _found(client, consultation, "fontana") == [item.id]
    item.hidden_at = utcnow()
    db.session.flush()
    assert _found(client, consultation, "fontana") == []
    assert _found(client, consultation, "fontana", status="published", sort="newest") == []


def test_best_match_first_and_the_other_orders_still_apply(client, world, consultation):
    citizen = world.users["citizen"]
    in_body = pf.proposal(consultation, citizen, title="Piazza", body="Con un orto per tutti")
    in_title = pf.proposal(consultation, citizen, title="Orto di quartiere", body="Verdure")
    pf.proposal(consultation, citizen, title="Fontana", body="Acqua")
    assert _found(client, consultation, "orto") == [in_title.id, in_body.id]
    # The newest first when asked (in_title is newer by id and time).
    assert _found(client, consultation, "orto", sort="newest") == [in_title.id, in_body.id]
    db.session.execute(
        sa.update(services.Proposal)
        .where(services.Proposal.id == in_body.id)
        .values(supports_count=3)
    )
    assert _found(client, consultation, "orto", sort="supported") == [in_body.id, in_title.id]
    html = client.get(f"/consultations/{consultation.id}/proposals?q=orto").get_data(as_text=True)
    assert '<option value="relevance" selected>' in html


def test_query_syntax_is_only_words(client, world, consultation):
    citizen = world.users["citizen"]
    item = pf.proposal(consultation, citizen, title="Orto OR giardino", body="NEAR la scuola")
    for text in ['"', "*", "a OR", "NEAR(", 'orto"', "-orto", "title:orto", "^orto", "(orto"]:
        _found(client, consultation, text)  # 200, whatever it finds
    assert _found(client, consultation, 'orto" OR') == [item.id]
    assert _found(client, consultation, "***") == []


def test_typos_and_word_beginnings(client, world, consultation):
    citizen = world.users["citizen"]
    item = pf.proposal(consultation, citizen, title="Biblioteca interculturale", body="Libri")
    if _on_postgresql():
        # Nothing by full text: titles within a trigram distance are found.
        assert _found(client, consultation, "bibloteca") == [item.id]
    else:
        # FTS5: a word finds the words it begins (no typo tolerance).
        assert _found(client, consultation, "bibliot") == [item.id]
        assert _found(client, consultation, "bibloteca") == []


def test_large_results_say_more_than_a_thousand(client, world, consultation):
    pf.bulk_proposals(consultation, world.users["citizen"], services.COUNT_CAP + 1)
    html = client.get(f"/consultations/{consultation.id}/proposals?q=proposta").get_data(
        as_text=True
    )
    assert "More than 1,000 proposals match" in html
    assert html.count('class="proposal-item"') == services.PAGE_SIZE
    html = client.get(f"/consultations/{consultation.id}/proposals?q=proposta+1000").get_data(
        as_text=True
    )
    assert "1 proposal matches" in html


def test_relevance_pages_walk_forward_and_back(world, consultation):
    pf.bulk_proposals(consultation, world.users["citizen"], 45)

    def page(cursor=None):
        query = services.ListQuery(search="proposta", sort="relevance", cursor=cursor)
        return services.list_proposals(consultation, query, seed=1)

    pages = [page()]
    while pages[-1].next_cursor:
        pages.append(page(pages[-1].next_cursor))
    seen = [p.id for each in pages for p in each.proposals]
    assert len(pages) == 3
    assert len(set(seen)) == len(seen) == 45
    back = page(pages[-1].previous_cursor)
    assert [p.id for p in back.proposals] == [p.id for p in pages[-2].proposals]


def test_search_statements_do_not_grow_with_the_proposals(world, count_queries):
    small = with_phases(world.here, phase="proposals")
    big = with_phases(world.here, phase="proposals")
    pf.bulk_proposals(small, world.users["citizen"], 2)
    pf.bulk_proposals(big, world.users["citizen"], 12)
    counts = []
    for consultation in (small, big):
        for sort in ("relevance", "supported"):
            db.session.expire_all()
            query = services.ListQuery(search="proposta", sort=sort)
            with count_queries() as statements:
                found = services.list_proposals(consultation, query, seed=1)
            assert found.total == (2 if consultation is small else 12)
            counts.append(len(statements))
    assert counts[0] == counts[2]
    assert counts[1] == counts[3]
    assert max(counts) <= 5  # the consultation and its reloads, the page, the count
