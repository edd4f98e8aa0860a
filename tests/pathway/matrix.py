"""Permission cases of this feature's routes (merged by tests/auth/test_permissions.py).

The step record's routes live in the cities blueprint (they are the city's pages); they are
listed here with the pathway's own administration and tailored pathways.
"""

from __future__ import annotations

import sqlalchemy as sa

from app.extensions import db
from app.pathway.models import PathwayStep, PathwaySubStep
from tests.matrix import Case, admin_only, city_managers, everyone
from tests.pathway import factories


def _step_id(key: str) -> int:
    return db.session.scalar(sa.select(PathwayStep.id).where(PathwayStep.key == key))


def _retired_step_url(w) -> str:
    step = factories.retired_step(w.here)
    return f"/cities/{w.here.slug}/steps/key/{step.key}"


def _retire_url(w) -> str:
    return f"/pathway/template/steps/{factories.template_step().key}/retire"


def _sub_step(w) -> PathwaySubStep:
    return factories.sub_step(factories.city_step(w.here, 6))


def _first_sub_step_id(w) -> int:
    return db.session.scalar(
        sa.select(PathwaySubStep.id)
        .join(PathwaySubStep.city_step)
        .where(PathwaySubStep.city_step.has(city_id=w.here.id))
        .order_by(PathwaySubStep.position)
    )


def _two_sub_steps_url(w) -> str:
    _sub_step(w)
    _sub_step(w)
    return f"/pathway/cities/{w.here.slug}/tailored/move"


CASES: dict[str, Case] = {
    "cities.add_entry": Case(
        "POST",
        lambda w: f"/cities/{w.here.slug}/steps/3/entries",
        city_managers(302),
        {"kind": "note", "title": "Incontro con il personale", "body": "", "language": "it"},
        login_redirect=True,
    ),
    "cities.step_by_key": Case("GET", _retired_step_url, everyone(200)),
    "pathway.template": Case("GET", lambda w: "/pathway/template", admin_only(200)),
    "pathway.new_step": Case("GET", lambda w: "/pathway/template/new", admin_only(200)),
    "pathway.edit_step": Case(
        "GET", lambda w: "/pathway/template/steps/train-staff", admin_only(200)
    ),
    "pathway.move_step": Case(
        "POST",
        lambda w: "/pathway/template/move",
        admin_only(302),
        lambda w: {"item": str(_step_id("train-staff")), "direction": "up"},
    ),
    "pathway.retire_step": Case("POST", _retire_url, admin_only(302)),
    "pathway.restore_step": Case(
        "POST",
        lambda w: f"/pathway/template/steps/{factories.retired_step().key}/restore",
        admin_only(302),
    ),
    "pathway.tailored": Case(
        "GET", lambda w: f"/pathway/cities/{w.here.slug}/tailored", admin_only(200)
    ),
    "pathway.new_sub_step": Case(
        "GET", lambda w: f"/pathway/cities/{w.here.slug}/tailored/new", admin_only(200)
    ),
    "pathway.edit_sub_step": Case(
        "GET",
        lambda w: f"/pathway/cities/{w.here.slug}/tailored/{_sub_step(w).id}",
        admin_only(200),
    ),
    "pathway.move_sub_step": Case(
        "POST",
        _two_sub_steps_url,
        admin_only(302),
        lambda w: {"item": str(_first_sub_step_id(w)), "direction": "down"},
    ),
    "pathway.sub_step_status": Case(
        "POST",
        lambda w: f"/pathway/cities/{w.here.slug}/sub-steps/{_sub_step(w).id}/status",
        city_managers(302),
        {"status": "in_progress"},
    ),
}
