"""The city page's upcoming meetings: the next five to come, never past nor cancelled ones, on the
city's clock, with the links to every meeting and to the city's calendar; in a constant number of
queries."""

from __future__ import annotations

from datetime import timedelta

from flask_babel import force_locale

from app.db_types import utcnow
from app.extensions import db
from app.i18n import local_datetime
from tests import factories


def test_the_city_panel_shows_what_is_to_come(client, world):
    coming = factories.meeting(
        world.here, starts=timedelta(days=2), title="Prossima", mode="online"
    )
    factories.meeting(world.here, starts=-timedelta(days=2), title="Passata")
    factories.meeting(world.here, starts=-timedelta(minutes=30), title="In corso")
    cancelled = factories.meeting(world.here, starts=timedelta(days=1), title="Annullata")
    cancelled.cancelled_at = utcnow()
    factories.meeting(world.elsewhere, step_position=7, title="Ailleurs")
    db.session.flush()
    page = client.get(f"/cities/{world.here.slug}").get_data(as_text=True)
    panel = page.split('aria-labelledby="meetings-city-heading"')[1].split("</section>")[0]
    assert "Prossima" in panel
    for absent in ("Passata", "In corso", "Annullata", "Ailleurs"):
        assert absent not in panel
    with force_locale("en"):
        assert local_datetime(coming.starts_at, "long", "Europe/Rome") in panel
    assert "Online" in panel
    assert f'href="/meetings/{coming.id}"' in panel
    assert f'href="/meetings/cities/{world.here.slug}"' in panel
    assert f'href="/meetings/cities/{world.here.slug}.ics"' in panel


def test_with_nothing_to_come_the_panel_still_offers_the_calendar(client, world):
    page = client.get(f"/cities/{world.elsewhere.slug}").get_data(as_text=True)
    assert "No meeting is planned in Ville Ailleurs for now." in page
    assert f'href="/meetings/cities/{world.elsewhere.slug}.ics"' in page


def test_the_city_page_runs_the_same_queries_for_2_or_12_meetings(client, world, count_queries):
    url = f"/cities/{world.here.slug}"

    def measure() -> int:
        with count_queries() as statements:
            assert client.get(url).status_code == 200
        return len(statements)

    for day in range(2):
        factories.meeting(world.here, starts=timedelta(days=day + 1))
    db.session.flush()
    client.get(f"/cities/{world.here.slug}")  # the first visit may settle the consultations
    few = measure()
    for day in range(10):
        factories.meeting(world.here, starts=timedelta(days=day + 3))
    db.session.flush()
    assert measure() == few
    page = client.get(f"/cities/{world.here.slug}").get_data(as_text=True)
    assert page.count('class="meeting-upcoming"') == 5
