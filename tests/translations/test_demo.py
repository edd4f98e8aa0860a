"""The demo: an Italian and an Arabic reader each read the library consultation whole."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.consultations.models import Consultation
from app.demo.commands import seed
from app.extensions import db
from app.proposals.models import Comment, Proposal
from app.translations import demo
from app.translations.models import Translation, TranslationRequest
from app.translations.reading import load


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


@pytest.mark.usefixtures("demo")  # the seeded demo (`flask demo-seed`)
def test_the_library_consultation_reads_whole_in_italian_and_arabic(app):
    consultation = db.session.scalar(
        sa.select(Consultation).where(Consultation.title == demo.LIBRARY)
    )
    proposals = db.session.scalars(
        sa.select(Proposal).where(Proposal.consultation_id == consultation.id)
    ).all()
    comments = db.session.scalars(
        sa.select(Comment).where(
            Comment.proposal_id.in_([p.id for p in proposals]), Comment.hidden_at.is_(None)
        )
    ).all()
    demo_comments = [c for c in comments if c.body in demo.TRANSLATIONS]
    assert len(proposals) >= 4
    assert len(demo_comments) >= 6
    texts = [consultation, *proposals, *demo_comments]
    for language in ("it", "ar"):
        renderings = load(texts, [language])
        for rendering in renderings.values():
            assert rendering.language == language, (rendering.kind, rendering.item_id)
            if rendering.original_language != language:
                assert rendering.origin == "human"
                assert not rendering.outdated


@pytest.mark.usefixtures("demo")
def test_the_demo_has_pending_improved_and_requested_translations_and_is_idempotent(app):
    counts = (_count(Translation), _count(TranslationRequest))
    seed()
    assert (_count(Translation), _count(TranslationRequest)) == counts
    statuses = set(db.session.scalars(sa.select(Translation.status)))
    assert {"published", "pending", "superseded"} <= statuses
    assert db.session.scalar(sa.select(sa.func.max(Translation.version))) == 2
    pairs = set(
        db.session.execute(
            sa.select(TranslationRequest.source_language, TranslationRequest.language).where(
                TranslationRequest.fulfilled_at.is_(None)
            )
        )
    )
    assert len(pairs) >= 5
