"""The home page's sections hook (app/main/sections.py): features add sections without the home
page naming them; the meetings feature adds the next meetings across the network, with their
cities, in a constant number of queries."""

from __future__ import annotations

import ast
from datetime import timedelta
from pathlib import Path

from flask import Flask

from app.cities.panels import Panel
from app.db_types import utcnow
from app.extensions import db
from app.hooks import add_hook
from app.main.sections import HOME_SECTIONS, home_sections
from tests import factories

MAIN = Path(__file__).resolve().parents[2] / "app" / "main"


def test_a_section_comes_from_its_hook_and_none_is_left_out():
    app = Flask("sections")
    add_hook(app, HOME_SECTIONS, lambda user: Panel("one.html", {"n": 1}))
    add_hook(app, HOME_SECTIONS, lambda user: None)
    with app.app_context():
        assert [section.template for section in home_sections(None)] == ["one.html"]
    with Flask("other").app_context():
        assert home_sections(None) == []


def test_the_home_page_names_no_feature_that_fills_it():
    for path in MAIN.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = [
            node.module
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module
        ]
        assert not [module for module in imported if module.startswith("app.meetings")], path


def test_the_next_meetings_across_the_network(client, world):
    here = factories.meeting(world.here, starts=timedelta(days=3), title="Assemblea qui")
    there = factories.meeting(
        world.elsewhere, step_position=7, starts=timedelta(days=1), title="Réunion là-bas"
    )
    factories.meeting(world.here, starts=-timedelta(days=1), title="Passata")
    cancelled = factories.meeting(world.here, starts=timedelta(days=2), title="Annullata")
    cancelled.cancelled_at = utcnow()
    db.session.flush()
    page = client.get("/").get_data(as_text=True)
    section = page.split('aria-labelledby="meetings-home-heading"')[1].split("</section>")[0]
    assert section.index("Réunion là-bas") < section.index("Assemblea qui")  # soonest first
    assert "Passata" not in section
    assert "Annullata" not in section
    assert "Ville Ailleurs" in section
    assert "Città Qui" in section
    assert f'href="/meetings/{here.id}"' in section
    assert f'href="/meetings/{there.id}"' in section


def test_the_home_page_runs_the_same_queries_for_2_or_12_meetings(client, world, count_queries):
    def measure() -> int:
        with count_queries() as statements:
            assert client.get("/").status_code == 200
        return len(statements)

    for day in range(2):
        factories.meeting(world.here, starts=timedelta(days=day + 1))
    db.session.flush()
    client.get("/")
    few = measure()
    for day in range(10):
        place = world.here if day % 2 else world.elsewhere
        factories.meeting(place, starts=timedelta(days=day + 3))
    db.session.flush()
    assert measure() == few
    assert client.get("/").get_data(as_text=True).count('class="meeting-upcoming"') == 6
