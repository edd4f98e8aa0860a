"""What a newcomer moderator needs: a way to start a consultation from the city and the step
pages, the right step chosen at first, and the consultation page ordered by what one can do now.
"""

from __future__ import annotations

import re

from flask import render_template_string
from flask_babel import force_locale
from flask_login import login_user

from app.consultations import panels
from tests import factories
from tests.consultations.factories import with_phases
from tests.voting.factories import budget_consultation


def _selected_step(html: str) -> str:
    select = html[html.index('id="city_step"') :]
    select = select[: select.index("</select>")]
    return re.search(r"<option[^>]*\bselected\b[^>]*>", select).group(0)


def test_the_new_consultation_form_starts_on_the_step_the_moderator_came_from(
    client, world, login_as
):
    login_as("moderator_here")
    html = client.get(f"/consultations/cities/{world.here.slug}/new?step=6").get_data(as_text=True)
    step = next(s for s in world.here.steps if s.step.position == 6)
    assert f'value="{step.id}"' in _selected_step(html)


def test_without_a_step_the_form_suggests_consulting_and_deliberating(client, world, login_as):
    login_as("moderator_here")
    html = client.get(f"/consultations/cities/{world.here.slug}/new?step=99").get_data(as_text=True)
    step = next(s for s in world.here.steps if s.step.key == panels.CONSULT_STEP_KEY)
    assert f'value="{step.id}"' in _selected_step(html)


def _render(app, user, panel_of):
    with app.test_request_context(), force_locale("en"):
        if user is not None:
            login_user(user)
        panel = panel_of()
        if panel is None:
            return None
        return render_template_string("{% include panel.template %}", panel=panel)


def test_moderators_find_how_to_start_a_consultation_on_the_step_page(app, world):
    step = next(s for s in world.here.steps if s.step.position == 8)
    html = _render(app, world.users["moderator_here"], lambda: panels.step_panel(world.here, step))
    assert f'href="/consultations/cities/{world.here.slug}/new?step=8"' in html
    assert "New consultation for this step" in html
    assert f'href="/consultations/cities/{world.here.slug}/residents"' in html
    city_html = _render(app, world.users["admin"], lambda: panels.city_panel(world.here))
    assert f'href="/consultations/cities/{world.here.slug}/new"' in city_html


def test_other_visitors_see_no_such_section(app, world):
    step = next(s for s in world.here.steps if s.step.position == 8)
    for visitor in ("anonymous", "citizen", "moderator_elsewhere", "observer"):
        user = world.users[visitor]
        assert _render(app, user, lambda: panels.step_panel(world.here, step)) is None
        assert _render(app, user, lambda: panels.city_panel(world.here)) is None


def _order(html: str, *classes: str) -> list[str]:
    return sorted(classes, key=lambda name: html.index(f'class="panel {name}"'))


def test_the_consultation_page_puts_what_one_can_do_now_first(client, world):
    taking_proposals = budget_consultation(world.here, phase="proposals")
    html = client.get(f"/consultations/{taking_proposals.id}").get_data(as_text=True)
    assert _order(html, "voting-panel", "proposals-panel") == ["proposals-panel", "voting-panel"]

    voting = budget_consultation(world.here, phase="voting")
    html = client.get(f"/consultations/{voting.id}").get_data(as_text=True)
    assert _order(html, "voting-panel", "proposals-panel") == ["voting-panel", "proposals-panel"]

    closed = with_phases(world.here, phase="results", author=factories.user())
    html = client.get(f"/consultations/{closed.id}").get_data(as_text=True)
    assert _order(html, "results-panel", "voting-panel", "proposals-panel") == [
        "results-panel",
        "voting-panel",
        "proposals-panel",
    ]
