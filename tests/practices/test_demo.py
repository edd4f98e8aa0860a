"""The demo's good practices and operators: several networks and languages, idempotent."""

from __future__ import annotations

import sqlalchemy as sa

from app.cities.services import get_city_or_404, get_city_step_or_404
from app.demo.commands import seed
from app.extensions import db
from app.operators.models import OperatorEngagement, ParticipationOperator
from app.operators.panels import step_panel as operators_panel
from app.practices.models import GoodPractice
from app.practices.panels import step_panel as practices_panel


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_demo_practices_and_operators_are_varied_and_idempotent(app, demo):
    counts = (_count(GoodPractice), _count(ParticipationOperator), _count(OperatorEngagement))
    seed()
    assert (
        _count(GoodPractice),
        _count(ParticipationOperator),
        _count(OperatorEngagement),
    ) == counts

    practices = db.session.scalars(sa.select(GoodPractice)).all()
    approved = [p for p in practices if p.status == "approved"]
    assert len(approved) >= 8
    assert len({p.network for p in approved}) >= 5
    assert {"it", "fr", "de", "es", "en", "ar"} <= {p.language for p in approved}
    assert {4, 5, 6, 7, 8, 9, 10} <= {s.position for p in approved for s in p.steps}
    [waiting] = [p for p in practices if p.status == "submitted"]
    assert waiting.submitted_by.email == "moderator.bologna@learning-cities.demo"
    assert waiting.city.slug == "bologna"

    operators = db.session.scalars(sa.select(ParticipationOperator)).all()
    assert len(operators) >= 6
    assert {o.kind for o in operators} >= {
        "cultural_mediator",
        "interpreter",
        "facilitator",
        "trainer",
    }
    assert all(o.engagements for o in operators)


def test_demo_step_pages_have_suggestions(app, demo):
    bologna = get_city_or_404("bologna")
    step_7 = get_city_step_or_404(bologna, 7)
    suggested = operators_panel(bologna, step_7).context["operators"]
    assert {o.name for o in suggested} >= {"Nour El Amrani", "Nadia Bensaïd"}
    valencia = get_city_or_404("valencia")
    step_4 = get_city_step_or_404(valencia, 4)
    context = practices_panel(valencia, step_4).context
    assert context["practices"]
    assert {"bologna", "marseille"} <= {c.slug for c in context["helping_cities"]}
