"""The observatory's queries on a built world."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.accounts.models import User
from app.db_types import utcnow
from app.extensions import db
from app.observatory import services
from app.observatory.figures import OTHER
from app.translations.models import Translation, TranslationRequest
from app.voting.models import Support
from tests.observatory.factories import dialogue, people, supports


def test_participation_by_first_language_suppresses_small_groups(world):
    consultation, *_ = dialogue(world.here, size=6, small=2)
    found = services.consultation_figures(consultation, minimum=5)
    participation = found["participation"]
    assert dict(participation.rows) == {"ar": 6, "it": 6}
    assert participation.other is None  # two Romanian speakers: hidden, their bucket too
    assert participation.total == 12
    assert found["population"] == {"it": pytest.approx(0.9), "ar": pytest.approx(0.05)}


def test_small_groups_together_show_as_other_groups(world):
    consultation, italian, _arabic, _group = dialogue(world.here, size=6, small=3)
    supports(consultation, italian, people({"sq": 3})["sq"], "sq")
    participation = services.consultation_figures(consultation, minimum=5)["participation"]
    assert participation.as_dict() == {"ar": 6, "it": 6, OTHER: 6}
    assert participation.total == 18


def test_community_counts_only_those_who_opted_in(world):
    consultation, italian, _arabic, _group = dialogue(world.here)
    declared = people({"uk": 5}, community="Comunità ucraina")
    supports(consultation, italian, declared["uk"], "uk")
    found = services.consultation_figures(consultation, minimum=5)
    assert found["community"].as_dict() == {"Comunità ucraina": 5}
    assert found["participation"].as_dict()["uk"] == 5


def test_deleted_accounts_count_in_no_group(world):
    consultation, italian, _arabic, group = dialogue(world.here, size=5, small=0)
    db.session.execute(sa.update(User).where(User.id == group["it"][0]).values(deleted_at=utcnow()))
    participation = services.consultation_figures(consultation, minimum=5)["participation"]
    assert participation.as_dict() == {"ar": 5}  # four Italian speakers left: hidden


def test_interaction_where_communities_reach_each_other_and_where_not(world):
    bridging, *_ = dialogue(world.here, size=6, small=0, bridging=True)
    apart, *_ = dialogue(world.elsewhere, size=6, small=0, bridging=False)
    across = {row.kind: row for row in services.consultation_figures(bridging, 5)["interaction"]}
    assert across["supports"].acts == 24
    assert across["supports"].share == pytest.approx(0.5)
    assert across["comments"].share == pytest.approx(0.5)
    alone = {row.kind: row for row in services.consultation_figures(apart, 5)["interaction"]}
    assert alone["supports"].share == 0
    assert alone["comments"].share == 0
    monthly = services.consultation_figures(bridging, 5)["monthly"]
    assert {row.kind for row in monthly} == {"comments", "supports"}
    assert all(len(row.owner) == 7 for row in monthly)  # "YYYY-MM"


def test_interaction_about_few_people_is_hidden(world):
    consultation, *_ = dialogue(world.here, size=2, small=0)
    rows = services.consultation_figures(consultation, 5)["interaction"]
    assert rows
    assert all(row.acts is None and row.share is None for row in rows)


def test_bridging_ranking_puts_the_proposal_of_both_groups_first(world):
    consultation, italian, arabic, group = dialogue(world.here, size=6, small=0, bridging=False)
    # A third proposal supported by three people of each group.
    from tests.voting.factories import proposal

    shared = proposal(consultation, title="Un mercato interculturale", language="it")
    supports(consultation, shared, group["it"][:3], "it")
    supports(consultation, shared, group["ar"][:3], "ar")
    ranking = services.consultation_figures(consultation, 5)["bridging"]
    assert ranking[0].proposal.id == shared.id
    assert ranking[0].groups == 2
    assert {row.proposal.id for row in ranking[1:]} == {italian.id, arabic.id}


def test_translation_coverage_and_open_requests(world):
    consultation, italian, arabic, group = dialogue(world.here, size=5, small=0)
    db.session.add(
        Translation(
            kind="proposal",
            item_id=arabic.id,
            language="it",
            source_language="ar",
            fields={"title": "Un giardino per tutti", "body": ""},
            origin="human",
            status="published",
        )
    )
    db.session.add(
        Translation(
            kind="proposal",
            item_id=italian.id,
            language="ar",
            source_language="it",
            fields={"title": "مكتبة", "body": ""},
            origin="human",
            status="published",
            hidden_at=utcnow(),  # hidden by moderation: does not count
        )
    )
    for user_id in group["ar"]:
        db.session.add(
            TranslationRequest(
                kind="proposal",
                item_id=italian.id,
                language="ar",
                source_language="it",
                user_id=user_id,
            )
        )
    db.session.add(
        TranslationRequest(
            kind="proposal",
            item_id=arabic.id,
            language="ro",
            source_language="ar",
            user_id=group["it"][0],
        )
    )
    db.session.flush()
    texts, translated = services.coverage([world.here.id])[world.here.id]
    # The consultation, two proposals, twenty comments (and the step record's entries).
    assert texts >= 23
    assert translated == 1
    found = services.city_figures(world.here, 5)
    assert found["requests"] == [("it", "ar", 5, 1)]  # the pair asked by one person is left out
    assert services.open_requests()[("ar", "ro")] == (1, 1)


def test_network_figures_cover_every_city(world):
    dialogue(world.here, size=6, small=0)
    found = services.network_figures(5)
    rows = {item["city"].slug: item for item in found["cities"]}
    assert rows["here-city"]["participants"] == 12
    assert rows["elsewhere-city"]["participants"] is None
    assert rows["here-city"]["supports"].share == pytest.approx(0.5)


def test_supports_of_deleted_accounts_still_count_for_bridging(world):
    consultation, italian, _arabic, group = dialogue(world.here, size=5, small=0)
    db.session.execute(
        sa.update(Support)
        .where(Support.user_id == group["it"][0])
        .values(user_id=None, voter_key="gone-1")
    )
    approvals, voters = services.approvals_of(consultation)
    assert voters == {"it": 5, "ar": 5}
    assert approvals[italian.id]["it"] == 5
