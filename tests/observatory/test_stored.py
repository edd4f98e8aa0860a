"""Stored figures: a page counts once, every visit then reads one row until the figures age;
`flask observatory refresh` counts every page for cron."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.consultations.models import Consultation
from app.db_types import utcnow
from app.extensions import db
from app.observatory import services
from app.observatory.models import ObservatoryFigures
from app.proposals.models import Proposal
from tests.observatory.factories import dialogue, people, supports


def test_figures_are_counted_once_and_read_until_they_age(app, world):
    consultation, italian, _arabic, _group = dialogue(world.here, size=6, small=0)
    now = utcnow()
    first = services.consultation_figures(consultation, 5, now=now)
    assert dict(first["participation"].rows)["it"] == 6
    assert first["computed_at"] == now

    late = people({"it": 3})
    supports(consultation, italian, late["it"], "it")
    db.session.flush()
    # Within the maximum age, the stored figures (and their time) are shown.
    again = services.consultation_figures(consultation, 5, now=now + timedelta(minutes=14))
    assert dict(again["participation"].rows)["it"] == 6
    assert again["computed_at"] == now
    # Older than OBSERVATORY_MAX_AGE (15 minutes by default): counted again and stored.
    later = now + timedelta(minutes=16)
    aged = services.consultation_figures(consultation, 5, now=later)
    assert dict(aged["participation"].rows)["it"] == 9
    assert aged["computed_at"] == later
    row = db.session.get(ObservatoryFigures, f"consultation:{consultation.id}")
    assert row is not None
    assert row.data["languages"]["it"] == 9


def test_the_minimum_group_size_applies_when_shown_not_when_stored(app, world):
    consultation, *_ = dialogue(world.here, size=6, small=0)
    assert dict(services.consultation_figures(consultation, 5)["participation"].rows)["it"] == 6
    # The same stored counts, a stricter minimum: the groups of 6 are now hidden.
    stricter = services.consultation_figures(consultation, 7)["participation"]
    assert stricter.rows == []
    stored = db.session.get(ObservatoryFigures, f"consultation:{consultation.id}")
    assert stored is not None
    assert stored.data["languages"] == {"it": 6, "ar": 6}


def test_a_proposal_hidden_since_the_count_leaves_the_bridging_ranking(app, world):
    consultation, italian, arabic, _group = dialogue(world.here, size=6, small=0)
    ranked = [row.proposal.id for row in services.consultation_figures(consultation, 5)["bridging"]]
    assert set(ranked) == {italian.id, arabic.id}
    db.session.execute(
        sa.update(Proposal).where(Proposal.id == arabic.id).values(hidden_at=utcnow())
    )
    db.session.expire_all()
    consultation = db.session.get(Consultation, consultation.id)
    ranked = [row.proposal.id for row in services.consultation_figures(consultation, 5)["bridging"]]
    assert ranked == [italian.id]


def test_storing_twice_keeps_the_last_figures(app, world):
    now = utcnow()
    services.store("network", {"n": 1}, now=now)
    services.store("network", {"n": 2}, now=now + timedelta(seconds=1))
    row = db.session.execute(
        sa.select(ObservatoryFigures.data, ObservatoryFigures.computed_at).where(
            ObservatoryFigures.scope == "network"
        )
    ).one()
    assert row.data == {"n": 2}
    assert services.stored("network", lambda: {"n": 3}, now=now + timedelta(seconds=2)).data == {
        "n": 2
    }


def test_pages_say_when_their_figures_were_counted(client, world, login_as):
    consultation, *_ = dialogue(world.here, size=6, small=0)
    login_as("observer")
    for url in (
        "/observatory/",
        f"/observatory/cities/{world.here.slug}",
        f"/observatory/consultations/{consultation.id}",
    ):
        html = client.get(url).get_data(as_text=True)
        # The date as people write it (the year only when it is not this one), and the time.
        assert re.search(r"Figures as of [^<]*\d{1,2}:\d{2}", html), url
        assert "at most every 15 minutes" in html
    data = client.get(f"/observatory/cities/{world.here.slug}/figures.json").get_json()
    assert data["figures_as_of"].startswith(str(utcnow().year))
    assert "_as_of" not in data


def test_a_visit_within_the_maximum_age_shows_the_stored_figures(app, client, world, login_as):
    consultation, italian, *_ = dialogue(world.here, size=6, small=0)
    login_as("observer")
    url = f"/observatory/consultations/{consultation.id}/figures.json"

    def italians() -> int:
        rows = client.get(url).get_json()["figures"]["participation"]
        return {row["key"]: row["participants"] for row in rows}["it"]

    assert italians() == 6
    supports(consultation, italian, people({"it": 2})["it"], "it")
    db.session.flush()
    assert italians() == 6
    app.config["OBSERVATORY_MAX_AGE"] = 0
    try:
        assert italians() == 8
    finally:
        app.config["OBSERVATORY_MAX_AGE"] = 900


def test_refresh_command_stores_every_page(app, runner, world):
    first, *_ = dialogue(world.here, size=6, small=0)
    dialogue(world.elsewhere, size=5, small=0)
    consultations = db.session.scalar(sa.select(sa.func.count()).select_from(Consultation))
    cities = len({world.here.id, world.elsewhere.id})
    result = runner.invoke(args=["observatory", "refresh"])
    assert result.exit_code == 0, result.output
    pages = 1 + cities + consultations
    assert f"stored the figures of {pages} page(s)" in result.output
    scopes = set(db.session.scalars(sa.select(ObservatoryFigures.scope)))
    assert {"network", f"city:{world.here.id}", f"consultation:{first.id}"} <= scopes
    assert len(scopes) == pages


@pytest.mark.parametrize("max_age", [900, 0])
def test_query_count_is_constant_when_reading_and_when_counting(
    app, client, world, login_as, count_queries, max_age
):
    """Reading stored figures and counting them again both take a constant number of queries."""
    app.config["OBSERVATORY_MAX_AGE"] = max_age
    try:
        login_as("observer")
        few, *_ = dialogue(world.here, size=5, small=1)
        urls = ["/observatory/", f"/observatory/cities/{world.here.slug}"]
        for url in urls:
            client.get(url)
        with count_queries() as first:
            for url in urls:
                assert client.get(url).status_code == 200
        dialogue(world.here, size=40, small=7)
        dialogue(world.elsewhere, size=20, small=0)
        if max_age:
            db.session.execute(sa.delete(ObservatoryFigures))
            for url in urls:
                client.get(url)
        with count_queries() as second:
            for url in urls:
                assert client.get(url).status_code == 200
        assert len(second) == len(first)
        if max_age:
            # Fresh figures: one statement reads them, none counts supports or comments.
            assert not any("supports" in s.lower() for s in second)
    finally:
        app.config["OBSERVATORY_MAX_AGE"] = 900


def test_a_city_with_no_texts_shows_no_coverage_share_rather_than_hidden(client, world, login_as):
    login_as("observer")
    html = client.get("/observatory/").get_data(as_text=True)
    coverage = html[html.index('id="figure-translation_coverage"') :]
    desc = coverage[: coverage.index("</desc>")]
    assert f"{world.elsewhere.name}: Share available in 2 or more languages not applicable" in desc
    row = coverage[coverage.index(f'<th scope="row">{world.elsewhere.name}</th>') :]
    row = row[: row.index("</tr>")]
    assert "not applicable" in row
    assert "suppressed" not in row
    data = client.get("/observatory/figures.json").get_json()
    shares = {r["label"]: r["translated_share"] for r in data["figures"]["translation_coverage"]}
    assert shares[world.elsewhere.name] is None
    # The same in the network table: no texts, no comments, no supports there.
    cities = html[html.index('id="figure-cities"') : html.index('id="figure-translation_coverage"')]
    row = cities[cities.index(f">{world.elsewhere.name}</a></th>") :]
    row = row[: row.index("</tr>")]
    assert row.count("not applicable") == 3


def test_a_consultation_without_comments_shows_their_share_as_not_applicable(
    client, world, login_as
):
    from tests.voting.factories import proposal as voting_proposal
    from tests.voting.factories import supports_consultation

    consultation = supports_consultation(world.here, limit=None)
    italian = voting_proposal(consultation, title="Solo sostegni", language="it")
    supports(consultation, italian, people({"it": 6})["it"], "it")
    db.session.flush()
    login_as("observer")
    data = client.get(f"/observatory/cities/{world.here.slug}/figures.json").get_json()
    row = next(r for r in data["figures"]["interaction"] if r["key"] == str(consultation.id))
    assert (row["comments"], row["comments_across"], row["supports"]) == (0, None, 6)
    html = client.get(f"/observatory/cities/{world.here.slug}").get_data(as_text=True)
    table = html[html.index('id="figure-interaction"') :]
    line = table[table.index(f">{consultation.title}</a>") :]
    line = line[: line.index("</tr>")]
    assert "not applicable" in line
    assert "suppressed" not in line
