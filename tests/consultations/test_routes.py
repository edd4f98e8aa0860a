"""Creating, editing and closing consultations through the pages."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
import time_machine

from app.consultations.models import Consultation
from app.consultations.phases import PHASES
from app.db_types import utcnow
from app.extensions import db
from app.results.services import snapshot_of
from app.voting import services as voting_services
from tests.consultations.factories import with_phases
from tests.voting import factories as vf


def _form(world, **changes) -> dict:
    step = next(s for s in world.here.steps if s.step.position == 8)
    start = (utcnow() + timedelta(days=1)).strftime("%Y-%m-%d")
    data = {
        "city_step": str(step.id),
        "title": "Bilancio partecipativo 2027",
        "description": "Come spendere 200.000 euro nei quartieri?",
        "language": "it",
        "languages": ["it", "ar"],
        "information_include": "y",
        "information_starts": f"{start}T09:00",
        "information_ends": f"{start}T18:00",
        "proposals_include": "y",
        "proposals_starts": f"{start}T18:00",
        "proposals_ends": f"{start}T20:00",
        "deliberation_starts": "",
        "deliberation_ends": "",
        "voting_include": "y",
        "voting_starts": f"{start}T20:00",
        "voting_ends": f"{start}T22:00",
        "results_starts": f"{start}T22:00",
        "voting_method": "budget",
        "budget_amount": "200000",
        "currency": "EUR",
        "budget_rule": "equal-shares",
        "participation": "confirmed",
    }
    data.update(changes)
    return data


def _count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Consultation))


def test_moderator_creates_a_budget_consultation_with_phases(client, world, login_as):
    login_as("moderator_here")
    response = client.post(f"/consultations/cities/{world.here.slug}/new", data=_form(world))
    assert response.status_code == 302, response.get_data(as_text=True)
    consultation = db.session.scalar(
        sa.select(Consultation).where(Consultation.title == "Bilancio partecipativo 2027")
    )
    assert [p.kind for p in consultation.phases] == [
        "information",
        "proposals",
        "voting",
        "results",
    ]
    # 09:00 in Rome (the factory city's zone) is 08:00 UTC in winter, 07:00 in summer.
    assert consultation.phases[0].starts_at.hour in (7, 8)
    assert consultation.budget_amount == 200_000
    assert consultation.budget_rule == "equal-shares"
    assert consultation.languages == ["ar", "it"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Equal shares" in page or "equal share" in page


def test_bad_timelines_and_settings_are_refused_and_nothing_is_written(client, world, login_as):
    login_as("moderator_here")
    before = _count()
    cases = [
        ({"voting_ends": _form(world)["voting_starts"]}, "Each phase must end after it starts."),
        (
            {"proposals_ends": _form(world)["voting_ends"]},
            "A phase starts before the previous one ends.",
        ),
        ({"results_starts": ""}, "Enter when this phase starts."),
        ({"budget_amount": ""}, "A budget consultation needs its budget."),
        ({"budget_amount": "-5"}, "The amount cannot be negative"),
        ({"currency": "euro"}, "three-letter currency code"),
        ({"title": ""}, "Enter a title."),
        ({"city_step": "999999"}, "Not a valid choice"),
        ({"voting_include": "", "proposals_include": ""}, "Include at least the proposals phase"),
    ]
    for change, message in cases:
        response = client.post(
            f"/consultations/cities/{world.here.slug}/new", data=_form(world, **change)
        )
        assert response.status_code == 422, change
        assert message in response.get_data(as_text=True), change
    assert _count() == before


def test_bad_input_message_in_the_users_locale(client, world, login_as):
    login_as("moderator_here")
    response = client.post(
        f"/consultations/cities/{world.here.slug}/new",
        data=_form(world, title=""),
        headers={"Accept-Language": "fr"},
    )
    assert response.status_code == 422
    assert "Saisissez un titre." in response.get_data(as_text=True)


def test_another_citys_moderator_cannot_create_or_close(client, world, login_as):
    login_as("moderator_elsewhere")
    before = _count()
    assert (
        client.post(f"/consultations/cities/{world.here.slug}/new", data=_form(world)).status_code
        == 403
    )
    consultation = with_phases(world.here, phase="voting")
    assert client.post(f"/consultations/{consultation.id}/close").status_code == 403
    assert consultation.closed_at is None
    assert _count() == before + 1


def test_voting_settings_are_locked_once_voting_began(client, world, login_as):
    consultation = with_phases(world.here, phase="voting", voting_method="budget")
    login_as("moderator_here")
    page = client.get(f"/consultations/{consultation.id}/edit").get_data(as_text=True)
    assert "Voting has begun" in page


def test_moderator_closes_early_and_results_are_published(client, world, login_as):
    consultation = with_phases(world.here, phase="voting")
    login_as("moderator_here")
    response = client.post(
        f"/consultations/{consultation.id}/close", data={"confirm": "yes"}, follow_redirects=True
    )
    assert response.status_code == 200
    assert "Voting is over" in response.get_data(as_text=True)
    assert snapshot_of(consultation) is not None
    # Closing again changes nothing.
    client.post(f"/consultations/{consultation.id}/close", data={"confirm": "yes"})
    assert client.get(f"/consultations/{consultation.id}/edit").status_code == 302


def test_residents_are_confirmed_and_removed(client, world, login_as):
    login_as("moderator_here")
    citizen = world.users["citizen"]
    response = client.post(
        f"/consultations/cities/{world.here.slug}/residents", data={"email": citizen.email}
    )
    assert response.status_code == 302
    page = client.get(f"/consultations/cities/{world.here.slug}/residents").get_data(as_text=True)
    assert citizen.display_name in page
    unknown = client.post(
        f"/consultations/cities/{world.here.slug}/residents", data={"email": "nobody@example.org"}
    )
    assert unknown.status_code == 422
    client.post(f"/consultations/cities/{world.here.slug}/residents/{citizen.id}/remove")
    from app.consultations.services import is_resident

    assert not is_resident(citizen, world.here)


def test_the_page_says_what_one_can_do_now(client, world):
    consultation = with_phases(world.here, phase="proposals")
    page = client.get(f"/consultations/{consultation.id}").get_data(as_text=True)
    assert "Post proposals and comment on them until" in page
    assert "Log in to take part" in page


def test_the_new_form_suggests_what_most_consultations_need(client, world, login_as):
    with time_machine.travel(datetime(2027, 3, 10, 15, 30, tzinfo=UTC), tick=False):
        login_as("moderator_here")
        page = client.get(f"/consultations/cities/{world.here.slug}/new").get_data(as_text=True)

    def tag(name: str) -> str:
        return re.search(rf'<input[^>]*id="{name}"[^>]*>', page).group(0)

    def value(name: str) -> str | None:
        found = re.search(r'value="([^"]*)"', tag(name))
        return found.group(1) if found else None

    ticked = {kind: "checked" in tag(f"{kind}_include") for kind in PHASES if kind != "results"}
    assert ticked == {
        "information": False,
        "questionnaire": False,
        "proposals": True,
        "deliberation": True,
        "review": False,
        "voting": True,
    }
    # The day after, at 09:00 of the city, then three, two and two weeks.
    assert value("proposals_starts") == "2027-03-11T09:00"
    assert value("proposals_ends") == value("deliberation_starts") == "2027-04-01T09:00"
    assert value("deliberation_ends") == value("voting_starts") == "2027-04-15T09:00"
    assert value("voting_ends") == value("results_starts") == "2027-04-29T09:00"
    assert value("information_starts") in (None, "")


def test_timeline_errors_name_their_phase(client, world, login_as):
    login_as("moderator_here")
    response = client.post(
        f"/consultations/cities/{world.here.slug}/new",
        data=_form(world, voting_starts="", proposals_ends=""),
    )
    assert response.status_code == 422
    summary = response.get_data(as_text=True).split('class="error-summary"')[1].split("</ul>")[0]
    assert re.search(r">Voting starts</a>: Enter when this phase starts\.", summary)
    assert re.search(r">Proposals ends</a>: Enter when this phase ends\.", summary)
    assert ">Starts</a>" not in summary
    response = client.post(
        f"/consultations/cities/{world.here.slug}/new",
        data=_form(world, voting_ends=_form(world)["voting_starts"]),
    )
    summary = response.get_data(as_text=True).split('class="error-summary"')[1].split("</ul>")[0]
    assert re.search(r">Voting ends</a>: Each phase must end after it starts\.", summary)


def test_closing_asks_first_and_says_what_will_happen_with_the_figures(client, world, login_as):
    consultation = vf.supports_consultation(world.here, limit=None)
    first, second = vf.proposal(consultation), vf.proposal(consultation)
    for person in (world.users["citizen"], world.users["organisation"]):
        voting_services.support(first, person)
    voting_services.support(second, world.users["citizen"])
    login_as("moderator_here")
    show = client.get(f"/consultations/{consultation.id}").get_data(as_text=True)
    # The consultation page leads to the confirmation; it no longer closes in one click.
    assert f'href="/consultations/{consultation.id}/close"' in show
    assert f'action="/consultations/{consultation.id}/close"' not in show
    page = client.get(f"/consultations/{consultation.id}/close")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "3 supports have been given so far." in text
    assert "2 people took part." in text
    assert "Voting ends now for everybody" in text
    assert "cannot be undone" in text
    assert re.search(r'<form method="post"[^>]*action="/consultations/\d+/close"', text)
    assert 'name="confirm" type="hidden" value="yes"' in text
    assert consultation.closed_at is None  # reading it closed nothing
    # A POST without the confirmation (an old page, a script) only leads to the question.
    response = client.post(f"/consultations/{consultation.id}/close")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/consultations/{consultation.id}/close")
    db.session.refresh(consultation)
    assert consultation.closed_at is None
    assert snapshot_of(consultation) is None
    response = client.post(f"/consultations/{consultation.id}/close", data={"confirm": "yes"})
    assert response.status_code == 302
    db.session.refresh(consultation)
    assert consultation.closed_at is not None
    # Closed: the question is not asked again.
    again = client.get(f"/consultations/{consultation.id}/close")
    assert again.status_code == 302
    assert again.headers["Location"].endswith(f"/consultations/{consultation.id}")


def test_the_close_question_counts_ballots_for_a_budget(client, world, login_as):
    consultation = vf.budget_consultation(world.here)
    item = vf.proposal(consultation, cost=1_000)
    voting_services.save_draft(consultation, world.users["citizen"], [item.id])
    voting_services.cast_ballot(consultation, world.users["organisation"], [item.id])
    login_as("moderator_here")
    text = client.get(f"/consultations/{consultation.id}/close").get_data(as_text=True)
    assert "1 ballot cast so far." in text
    assert "1 ballot started but not cast will not count." in text
