"""The observatory's demo: one city whose communities reach each other, one whose do not,
every shown group of at least five, a small group suppressed; idempotent."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.cities.models import City
from app.db_types import utcnow
from app.extensions import db
from app.observatory import demo, services
from app.proposals.models import Comment
from app.voting.models import Support


def _city(slug: str) -> City:
    return db.session.scalar(sa.select(City).where(City.slug == slug))


def _counts() -> tuple[int, int]:
    return (
        db.session.scalar(sa.select(sa.func.count()).select_from(Support)),
        db.session.scalar(sa.select(sa.func.count()).select_from(Comment)),
    )


@pytest.mark.usefixtures("demo")  # the seeded demo (`flask demo-seed`)
def test_demo_tells_both_stories_and_is_idempotent(app):
    before = _counts()
    demo.seed(utcnow())
    assert _counts() == before

    leipzig = services.city_figures(_city("leipzig"), 5)
    marseille = services.city_figures(_city("marseille"), 5)
    shown = leipzig["participation"].as_dict()
    assert {"de", "uk", "ar"} <= set(shown)
    assert all(n >= 5 for n in shown.values())
    assert "ru" not in shown  # two Russian speakers: suppressed
    assert leipzig["community"].as_dict() == {"Ukrainische Gemeinde Leipzig": 5}

    def share(figures, kind):
        rows = [r for r in figures["interaction"] if r.kind == kind and r.acts]
        return sum(r.across for r in rows) / sum(r.acts for r in rows)

    assert share(leipzig, "supports") > 0.5
    assert share(leipzig, "comments") > 0.5
    assert share(marseille, "supports") == 0
    assert share(marseille, "comments") == 0
    assert set(marseille["participation"].as_dict()) >= {"fr", "ar", "es"}
