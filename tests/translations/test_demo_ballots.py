"""The demo's voters read their ballots: every proposal they can vote on now, in one of their
languages (as written, or a person's published translation), but the ones left to request."""

from __future__ import annotations

import sqlalchemy as sa

from app.accounts.models import User
from app.cities.models import City
from app.consultations.models import Consultation
from app.consultations.services import may
from app.extensions import db
from app.proposals.models import Proposal
from app.translations.demo_ballots import LEFT_TO_REQUEST
from app.translations.models import TranslationRequest
from app.translations.reading import load
from tests.conftest import log_in

# The README's demo residents and their city.
READERS = {
    "citizen@learning-cities.demo": "bologna",  # Arabic, then Italian
    "citizen.ro@learning-cities.demo": "bologna",  # Romanian, then Italian
    "citizen.uk@learning-cities.demo": "leipzig",  # Ukrainian, German, Russian
    "citizen.es@learning-cities.demo": "valencia",  # Spanish, Catalan
}


def _ballots(reader: User, slug: str) -> list[tuple[Consultation, list[Proposal]]]:
    """The consultations of the reader's city they may vote in now, with their proposals."""
    found = []
    consultations = db.session.scalars(
        sa.select(Consultation).join(City).where(City.slug == slug).order_by(Consultation.id)
    )
    for consultation in consultations:
        act = "ballot" if consultation.voting_method == "budget" else "support"
        if not may(reader, consultation, act):
            continue
        proposals = db.session.scalars(
            sa.select(Proposal)
            .where(
                Proposal.consultation_id == consultation.id,
                Proposal.status == "published",
                Proposal.hidden_at.is_(None),
            )
            .order_by(Proposal.id)
        ).all()
        found.append((consultation, proposals))
    return found


def test_every_demo_voter_reads_every_proposal_on_their_ballots(demo):
    unreadable, left, checked = [], set(), 0
    for email, slug in READERS.items():
        reader = db.session.scalar(sa.select(User).where(User.email == email))
        languages = reader.content_language_codes
        for _consultation, proposals in _ballots(reader, slug):
            renderings = load(proposals, languages)
            for proposal in proposals:
                checked += 1
                shown = renderings[("proposal", proposal.id)]
                readable = proposal.language in languages or (
                    shown.language in languages and shown.origin == "human"
                )
                if readable:
                    continue
                if proposal.title in LEFT_TO_REQUEST:
                    left.add(proposal.title)
                else:
                    unreadable.append(f"{email}: {proposal.title} ({proposal.language})")
    # Bologna's budget ballot (7 proposals, for two voters) and Leipzig's supports (4).
    assert checked >= 18
    assert unreadable == []
    assert left == LEFT_TO_REQUEST  # the one left untranslated is on a ballot, deliberately


def test_the_proposals_left_to_request_are_requested(demo):
    for title in LEFT_TO_REQUEST:
        proposal = db.session.scalar(sa.select(Proposal).where(Proposal.title == title))
        asked = db.session.scalar(
            sa.select(sa.func.count())
            .select_from(TranslationRequest)
            .where(
                TranslationRequest.kind == "proposal",
                TranslationRequest.item_id == proposal.id,
                TranslationRequest.fulfilled_at.is_(None),
            )
        )
        assert asked >= 1, title


def test_the_ballot_page_shows_each_voter_the_proposals_in_their_language(demo, client):
    """On the budget ballot itself, citizen@ reads the Romanian lighting proposal in Arabic and
    citizen.ro@ the Arabic kitchen proposal in Italian (the original one click away)."""
    expected = {
        "citizen@learning-cities.demo": ("إنارة شارع تيبالدي", "Iluminat pe via Tibaldi"),
        "citizen.ro@learning-cities.demo": (
            "Una cucina comune nel centro di quartiere",
            "مطبخ جماعي في مركز الحي",
        ),
    }
    budget = db.session.scalar(
        sa.select(Consultation)
        .join(City)
        .where(City.slug == "bologna", Consultation.voting_method == "budget")
        .order_by(Consultation.id)  # Navile's, open for voting (the next one is closed)
        .limit(1)
    )
    for email, (translated, original) in expected.items():
        reader = db.session.scalar(sa.select(User).where(User.email == email))
        log_in(client, reader)
        page = client.get(f"/consultations/{budget.id}/ballot").get_data(as_text=True)
        label = page.split(translated, 1)
        assert len(label) == 2, email  # the translation is the label of the checkbox
        assert original in label[1].split("</li>", 1)[0]  # its original in the same item
