"""`flask demo-seed`: realistic, idempotent, every role has a log-in."""

from __future__ import annotations

import sqlalchemy as sa

from app.accounts.models import User
from app.accounts.services import authenticate
from app.auth import permissions
from app.cities.models import City
from app.consultations.models import Consultation
from app.demo.commands import seed
from app.demo.data import DEMO_PASSWORD
from app.extensions import db
from app.pathway.models import CityStep
from tests.conftest import log_in


def _counts() -> dict[str, int]:
    return {
        model.__name__: db.session.scalar(sa.select(sa.func.count()).select_from(model))
        for model in (User, City, Consultation, CityStep)
    }


def test_demo_seed_is_idempotent_and_complete(app, demo):
    first = _counts()
    seed()
    assert _counts() == first
    members = db.session.scalars(sa.select(City).where(City.membership_status == "member")).all()
    assert len(members) >= 4
    assert len({city.country for city in members}) >= 4
    assert first["CityStep"] == first["City"] * 10
    states = {c.state() for c in db.session.scalars(sa.select(Consultation))}
    assert states == {"open", "upcoming", "closed"}
    languages = {c.language for c in db.session.scalars(sa.select(Consultation))}
    assert {"it", "fr", "de", "es", "ar"} <= languages


def test_demo_has_a_log_in_for_every_role(app, demo):
    with app.test_request_context():
        by_email = {
            email: authenticate(email, DEMO_PASSWORD)
            for email in (
                "admin@learning-cities.demo",
                "observer@learning-cities.demo",
                "moderator.bologna@learning-cities.demo",
                "citizen@learning-cities.demo",
                "member.alnour@learning-cities.demo",
            )
        }
    assert all(by_email.values())
    bologna = db.session.scalar(sa.select(City).where(City.slug == "bologna"))
    marseille = db.session.scalar(sa.select(City).where(City.slug == "marseille"))
    assert permissions.is_association_admin(by_email["admin@learning-cities.demo"])
    observer = by_email["observer@learning-cities.demo"]
    assert permissions.is_association_staff(observer)
    assert not permissions.is_association_admin(observer)
    moderator = by_email["moderator.bologna@learning-cities.demo"]
    assert permissions.moderates(moderator, bologna)
    assert not permissions.moderates(moderator, marseille)
    assert by_email["member.alnour@learning-cities.demo"].memberships
    assert by_email["citizen@learning-cities.demo"].content_language_codes[0] == "ar"


def test_demo_seed_command_prints_the_log_ins(runner, demo):
    result = runner.invoke(args=["demo-seed"])
    assert result.exit_code == 0, result.output
    assert "admin@learning-cities.demo" in result.output
    assert DEMO_PASSWORD in result.output


def test_demo_citizens_say_which_city_they_live_in(app, demo):
    homes = dict(
        db.session.execute(
            sa.select(User.email, City.slug).join(City, City.id == User.home_city_id)
        ).all()
    )
    assert homes["citizen@learning-cities.demo"] == "bologna"
    assert homes["citizen.uk@learning-cities.demo"] == "leipzig"
    assert homes["citizen.es@learning-cities.demo"] == "valencia"
    assert "admin@learning-cities.demo" not in homes  # staff of the network, no home city
    # The home page of a Bologna resident starts with Bologna's open consultations.
    client = app.test_client()
    log_in(
        client,
        db.session.scalar(sa.select(User).where(User.email == "citizen.ro@learning-cities.demo")),
    )
    page = client.get("/").get_data(as_text=True)
    assert "Bologna" in page.split('id="open-home-heading"')[1].split("</h3>")[0]
