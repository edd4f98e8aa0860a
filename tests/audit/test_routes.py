"""The audit log's pages: filters, pages, CSV, who may read which city's log, query counts."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEntry
from app.audit.services import record
from app.extensions import db
from tests import factories


def _entry(actor, action, city, *, reason=None, target=("city", None), **details):
    target_type, target_id = target
    return record(
        actor,
        action,
        city=city,
        target_type=target_type,
        target_id=target_id if target_id is not None else getattr(city, "id", None),
        reason=reason,
        details=details,
    )


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def test_the_association_reads_every_entry_newest_first(client, world, login_as):
    moderator = world.users["moderator_here"]
    _entry(moderator, "consultations.resident_confirmed", world.here, name="Amina")
    _entry(world.users["admin"], "cities.membership_changed", world.elsewhere, reason="Delibera")
    login_as("observer")
    page = _page(client, "/audit/")
    assert page.index("Membership status changed") < page.index("Resident confirmed")
    assert "Delibera" in page
    assert world.here.name in page
    assert world.elsewhere.name in page
    assert moderator.display_name in page
    assert "mod.here@example.org" not in page


def test_filters_by_city_action_actor_and_dates(client, world, login_as):
    moderator = world.users["moderator_here"]
    admin = world.users["admin"]
    _entry(moderator, "pathway.record_entry", world.here, title="Verbale di Navile")
    _entry(admin, "cities.details_changed", world.elsewhere, title="Ailleurs changé")
    _entry(None, "results.published", world.here, title="Risultati automatici")
    login_as("admin")
    page = _page(client, "/audit/?city=elsewhere-city")
    assert "Ailleurs changé" in page
    assert "Verbale di Navile" not in page
    page = _page(client, "/audit/?action=pathway.record_entry")
    assert "Verbale di Navile" in page
    assert "Ailleurs changé" not in page
    page = _page(client, f"/audit/?actor={admin.id}")
    assert "Ailleurs changé" in page
    assert "Verbale di Navile" not in page
    page = _page(client, "/audit/?actor=system")
    assert "Risultati automatici" in page
    assert "Verbale di Navile" not in page
    today = datetime.now(UTC).date()
    page = _page(
        client, f"/audit/?since={today - timedelta(days=1)}&until={today + timedelta(days=1)}"
    )
    assert "Verbale di Navile" in page
    page = _page(client, f"/audit/?since={today + timedelta(days=2)}")
    assert "No entry matches these filters." in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("since=2025-05-02&until=2025-05-01", "The end date comes before the start date."),
        ("since=1200-01-01", "Give a date between 2000 and 2100."),
        ("since=yesterday", "Not a valid date value."),
        ("city=atlantis", "Not a valid choice."),
        ("action=moderation.nuke", "Not a valid choice."),
        ("actor=abc", "Not a valid choice."),
    ],
)
def test_bad_filters_are_refused_with_a_message(client, world, login_as, query, message):
    login_as("admin")
    for url in (f"/audit/?{query}", f"/audit/export.csv?{query}"):
        response = client.get(url)
        assert response.status_code == 422
        assert message in response.get_data(as_text=True)


def test_bad_filters_are_explained_in_the_readers_locale(client, world, login_as):
    login_as("admin")
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "it"
    response = client.get("/audit/?since=2025-05-02&until=2025-05-01")
    assert response.status_code == 422
    assert 'lang="it"' in response.get_data(as_text=True)


def test_pages_follow_each_other_without_gaps_or_repeats(client, world, login_as, monkeypatch):
    monkeypatch.setattr("app.audit.services.PER_PAGE", 3)
    made = [
        _entry(world.users["admin"], "cities.details_changed", world.here, title=f"Voce {n:02d}")
        for n in range(8)
    ]
    login_as("admin")
    seen: list[str] = []
    url = "/audit/?city=here-city"
    for _ in range(5):
        page = _page(client, url)
        here = [f"Voce {n:02d}" for n in range(8) if f"Voce {n:02d}" in page]
        assert len(here) <= 3
        seen += sorted(here, key=page.index)
        if "Older entries" not in page:
            break
        start = page.index('rel="next"')
        href = page.rfind('href="', 0, start)
        url = page[href + 6 : page.index('"', href + 6)].replace("&amp;", "&")
    assert seen == [f"Voce {n:02d}" for n in reversed(range(8))]
    assert len(made) == 8


def test_a_citys_moderators_read_their_citys_log_only(client, world, login_as):
    _entry(world.users["moderator_here"], "pathway.record_entry", world.here, title="Qui")
    _entry(world.users["admin"], "pathway.record_entry", world.elsewhere, title="Là-bas")
    login_as("moderator_here")
    page = _page(client, "/audit/cities/here-city")
    assert "Qui" in page
    assert "Là-bas" not in page
    assert client.get("/audit/cities/elsewhere-city").status_code == 403
    assert client.get("/audit/cities/elsewhere-city/export.csv").status_code == 403
    assert client.get("/audit/").status_code == 403
    assert client.get("/audit/cities/atlantis").status_code == 404
    login_as("moderator_elsewhere")
    assert "Qui" not in _page(client, "/audit/cities/elsewhere-city")


def test_csv_export_of_a_filtered_view(client, world, login_as):
    moderator = world.users["moderator_here"]
    _entry(moderator, "voting.paper_batch", world.here, title="Bilancio", ballots=12)
    _entry(moderator, "pathway.record_entry", world.here, title="=HYPERLINK(1)")
    _entry(world.users["admin"], "cities.details_changed", world.elsewhere, title="Ailleurs")
    login_as("moderator_here")
    response = client.get("/audit/cities/here-city/export.csv?action=voting.paper_batch")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "audit-log-here-city.csv" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert len(rows) == 1
    assert rows[0]["action"] == "voting.paper_batch"
    assert rows[0]["action_label"] == "Paper ballots entered"
    assert rows[0]["actor"] == moderator.display_name
    assert '"ballots": 12' in rows[0]["details"]
    assert rows[0]["city"] == "here-city"
    assert "@" not in response.get_data(as_text=True)
    response = client.get("/audit/cities/here-city/export.csv?action=pathway.record_entry")
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0]["details"].startswith("{")  # JSON, and the formula inside stays text
    login_as("observer")
    everything = client.get("/audit/export.csv").get_data(as_text=True)
    assert "Ailleurs" in everything
    assert "Bilancio" in everything


def test_entries_link_to_their_target_while_it_exists(client, world, login_as):
    consultation = world.consultation
    _entry(
        world.users["moderator_here"],
        "consultations.edited",
        world.here,
        target=("consultation", consultation.id),
        title=consultation.title,
    )
    _entry(
        world.users["moderator_here"],
        "consultations.edited",
        world.here,
        target=("consultation", 987654),
        title="Sparita",
    )
    login_as("moderator_here")
    page = _page(client, "/audit/cities/here-city")
    assert f'href="/consultations/{consultation.id}"' in page
    assert "/consultations/987654" not in page
    assert "(no longer exists)" in page


def test_times_are_shown_in_the_citys_time_zone(client, world, login_as):
    world.elsewhere.timezone = "America/New_York"
    entry = _entry(world.users["admin"], "cities.details_changed", world.elsewhere)
    login_as("admin")
    page = _page(client, "/audit/cities/elsewhere-city")
    local = entry.created_at.astimezone(ZoneInfo("America/New_York"))
    assert f"{local.hour % 12 or 12}:{local.minute:02d}" in page


def test_labels_are_translated(client, world, login_as):
    _entry(world.users["moderator_here"], "voting.paper_batch", world.here, ballots=3)
    login_as("moderator_here")
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "it"
    page = _page(client, "/audit/cities/here-city")
    assert 'lang="it"' in page


def test_the_list_runs_the_same_queries_with_few_and_many_entries(
    client, world, login_as, count_queries
):
    moderator = world.users["moderator_here"]
    consultation = world.consultation

    def add(n: int) -> None:
        for i in range(n):
            _entry(
                moderator,
                "consultations.edited",
                world.here,
                target=("consultation", consultation.id),
            )
            _entry(
                moderator, "pathway.record_entry", world.here, target=("record_entry", 10_000 + i)
            )
            _entry(
                None, "results.published", world.elsewhere, target=("consultation", consultation.id)
            )

    add(1)
    login_as("admin")
    client.get("/audit/")
    with count_queries() as few:
        _page(client, "/audit/")
    with count_queries() as few_city:
        _page(client, "/audit/cities/here-city")
    add(20)
    with count_queries() as many:
        _page(client, "/audit/")
    with count_queries() as many_city:
        _page(client, "/audit/cities/here-city")
    assert len(few) == len(many)
    assert len(few_city) == len(many_city)


def test_the_city_page_panel_is_for_the_citys_managers_only(client, world, login_as, count_queries):
    _entry(world.users["moderator_here"], "pathway.record_entry", world.here, title="Nel pannello")
    for visitor, shown in (
        ("anonymous", False),
        ("citizen", False),
        ("moderator_elsewhere", False),
        ("moderator_here", True),
        ("observer", True),
        ("admin", True),
    ):
        login_as(visitor)
        page = _page(client, "/cities/here-city")
        assert ("Nel pannello" in page) is shown, visitor
        assert ('href="/audit/cities/here-city"' in page) is shown, visitor
    login_as("moderator_here")
    with count_queries() as few:
        _page(client, "/cities/here-city")
    for n in range(10):
        _entry(world.users["admin"], "cities.details_changed", world.here, title=f"n{n}")
    with count_queries() as many:
        _page(client, "/cities/here-city")
    assert len(few) == len(many)


def test_a_deleted_account_leaves_its_entries_without_an_actor(client, world, login_as):
    person = factories.user("leaving@example.org", name="Chi se ne va", moderates=[world.here])
    entry = _entry(person, "pathway.record_entry", world.here, title="Prima di partire")
    db.session.execute(sa.delete(type(person)).where(type(person).id == person.id))
    db.session.expire_all()
    assert db.session.get(AuditEntry, entry.id).actor_id is None
    login_as("admin")
    page = _page(client, "/audit/cities/here-city")
    assert "Prima di partire" in page
