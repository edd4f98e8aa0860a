"""The Manifesto on the city page (signature and local supporters) and on step 1's page.

Each panel runs a constant number of queries, however many supporters a city has.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask.blueprints import BlueprintSetupState
from flask_login import current_user

from app.cities.panels import Panel, register_panel
from app.extensions import db
from app.manifesto import services
from app.manifesto.models import ManifestoSignature


def endorse_context(city) -> dict[str, Any]:
    """The supporters and what the reader may do about them (two queries)."""
    user = current_user if current_user.is_authenticated else None
    supporters = services.supporters_of(city, user)
    # Memberships come with the signed-in user: no query here.
    my_organisations = sorted(
        (
            membership.organisation
            for membership in (user.memberships if user is not None else [])
            if services.organisation_may_endorse_in(membership.organisation, city)
        ),
        key=lambda organisation: organisation.name.casefold(),
    )
    return {
        "supporters": supporters,
        "my_organisations": my_organisations,
        "endorsing_city": services.may_endorse_in(city),
    }


def _current_signature(city) -> ManifestoSignature | None:
    return db.session.scalar(
        sa.select(ManifestoSignature)
        .where(ManifestoSignature.city_id == city.id)
        .order_by(ManifestoSignature.signed_on.desc(), ManifestoSignature.id.desc())
        .limit(1)
    )


def city_panel(city) -> Panel | None:
    return Panel(
        template="manifesto/_city_panel.html",
        context={"signature": _current_signature(city), **endorse_context(city)},
    )


def step_panel(city, city_step, consultations=None) -> Panel | None:
    if city_step.step.key != services.SIGN_MANIFESTO_STEP:
        return None
    return Panel(
        template="manifesto/_step_panel.html",
        context={
            "signatures": services.signatures_of(city),
            "counts": services.supporter_counts(city),
        },
    )


def register(state: BlueprintSetupState) -> None:
    """This feature's panels, when its blueprint is registered (see app/cities/panels.py)."""
    register_panel(state.app, "city", "manifesto", city_panel, position=10)
    register_panel(state.app, "step", "manifesto", step_panel, position=30)
