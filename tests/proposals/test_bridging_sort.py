"""The "supported across languages" sort: bridging order, keyset paging both ways, the cached
scores refreshed off the request path when supports change, and a constant number of
statements, none of which reads the supports."""

from __future__ import annotations

import sqlalchemy as sa

from app.extensions import db
from app.observatory.models import BridgingRefresh, BridgingScore
from app.observatory.services import refresh_bridging
from app.proposals import services
from app.voting.models import Support
from tests.observatory.factories import people, supports
from tests.proposals.factories import bulk_proposals
from tests.voting.factories import proposal, supports_consultation


def _ids(page) -> list[int]:
    return [p.id for p in page.proposals]


def _bridging(consultation, cursor=None, *, refresh=True):
    if refresh:  # as the observatory's refresher does between two pages
        refresh_bridging(consultation)
    return services.list_proposals(
        consultation, services.ListQuery(sort="bridging", cursor=cursor), seed=1
    )


def test_bridging_sort_puts_support_across_groups_first(world):
    consultation = supports_consultation(world.here, limit=None)
    group = people({"it": 10, "ar": 4})
    popular = proposal(consultation, title="Tanti voti italiani", language="it")
    bridging = proposal(consultation, title="Per tutti", language="it")
    nobody = proposal(consultation, title="Nessuno", language="it")
    supports(consultation, popular, group["it"], "it")
    supports(consultation, bridging, group["it"][:3] + group["ar"][:3], "it")
    # (the Arabic speakers' supports recorded with their language)
    db.session.execute(
        sa.update(Support).where(Support.user_id.in_(group["ar"][:3])).values(language="ar")
    )
    page = _bridging(consultation)
    assert _ids(page) == [bridging.id, popular.id, nobody.id]
    # "Most supported" keeps its order.
    supported = services.list_proposals(consultation, services.ListQuery(sort="supported"), seed=1)
    assert _ids(supported)[0] == popular.id


def test_scores_are_cached_and_refreshed_when_supports_change(world):
    consultation = supports_consultation(world.here, limit=None)
    group = people({"it": 5, "ar": 5})
    first = proposal(consultation, language="it")
    second = proposal(consultation, language="ar")
    supports(consultation, first, group["it"], "it")
    assert refresh_bridging(consultation)
    assert not refresh_bridging(consultation)  # nothing changed
    assert db.session.scalar(sa.select(sa.func.count()).select_from(BridgingScore)) == 1
    supports(consultation, second, group["it"] + group["ar"], "it")
    db.session.execute(
        sa.update(Support).where(Support.user_id.in_(group["ar"])).values(language="ar")
    )
    assert _ids(_bridging(consultation))[0] == second.id
    refresh = db.session.get(BridgingRefresh, consultation.id)
    assert refresh.supports_count == 15
    # A withdrawn support changes the count: recomputed.
    db.session.execute(sa.delete(Support).where(Support.user_id == group["ar"][0]))
    assert refresh_bridging(consultation)


def test_bridging_pages_walk_forward_and_back_over_scored_and_unscored(world, client):
    consultation = supports_consultation(world.here, limit=None)
    bulk_proposals(consultation, world.users["citizen"], 45, supports_count=0)
    consultation.proposals_count = 45
    ids = db.session.scalars(
        sa.select(sa.text("id"))
        .select_from(sa.text("proposals"))
        .where(sa.text(f"consultation_id = {consultation.id}"))
    ).all()
    group = people({"it": 6, "ar": 6})
    scored = sorted(ids)[:25]  # more than a page of scored proposals
    for n, proposal_id in enumerate(scored):
        item = db.session.get(services.Proposal, proposal_id)
        supports(consultation, item, group["it"][: 1 + n % 6], "it")
        if n % 2:
            supports(consultation, item, group["ar"][: 1 + n % 6], "ar")
    seen = []
    page = _bridging(consultation)
    pages = [page]
    while True:
        seen += _ids(page)
        if not page.next_cursor:
            break
        page = _bridging(consultation, page.next_cursor)
        pages.append(page)
    assert len(seen) == 45
    assert len(set(seen)) == 45
    assert set(seen[:25]) == set(scored)
    # Back from the last page gives the previous one again.
    back = _bridging(consultation, pages[-1].previous_cursor)
    assert _ids(back) == _ids(pages[-2])
    back = _bridging(consultation, pages[1].previous_cursor)
    assert _ids(back) == _ids(pages[0])
    # Through the page, with the option chosen.
    response = client.get(f"/consultations/{consultation.id}/proposals?sort=bridging")
    assert response.status_code == 200


def test_bridging_list_statements_do_not_grow(world, count_queries):
    small = supports_consultation(world.here, limit=None)
    big = supports_consultation(world.here, limit=None)
    group = people({"it": 8, "ar": 8})
    bulk_proposals(small, world.users["citizen"], 3, supports_count=0)
    bulk_proposals(big, world.users["citizen"], 300, supports_count=0)
    for consultation in (small, big):
        for proposal_id in db.session.scalars(
            sa.select(services.Proposal.id)
            .where(services.Proposal.consultation_id == consultation.id)
            .limit(30)
        ):
            item = db.session.get(services.Proposal, proposal_id)
            supports(consultation, item, group["it"][:2], "it")
            supports(consultation, item, group["ar"][:1], "ar")
        _bridging(consultation)  # computes the cache
    db.session.expire_all()
    with count_queries() as few:
        _bridging(small, refresh=False)
    db.session.expire_all()
    with count_queries() as many:
        _bridging(big, refresh=False)
    # Fewer rows than a page needs the unscored tail too: at most one statement more.
    assert len(many) <= len(few) <= len(many) + 1
    assert len(many) <= 4  # reloads, the page
    # The page reads the cached scores only: no statement touches the supports.
    assert not [s for s in few + many if "supports " in s.lower() or "supports\n" in s.lower()]


def test_a_new_support_changes_the_order_after_the_refresher_ran(world, client, runner):
    consultation = supports_consultation(world.here, limit=None)
    group = people({"it": 6, "ar": 6})
    first = proposal(consultation, title="Prima", language="it")
    second = proposal(consultation, title="Seconda", language="ar")
    supports(consultation, first, group["it"][:3] + group["ar"][:3], "it")
    supports(consultation, second, group["it"][:1], "it")
    db.session.execute(
        sa.update(Support).where(Support.user_id.in_(group["ar"])).values(language="ar")
    )
    url = f"/consultations/{consultation.id}/proposals?sort=bridging"

    def order() -> list[int]:
        html = client.get(url).get_data(as_text=True)
        return sorted((first.id, second.id), key=lambda pid: html.index(f"/proposals/{pid}"))

    assert runner.invoke(args=["observatory", "refresh"]).exit_code == 0
    assert order() == [first.id, second.id]
    # New supports across both groups for the second proposal: the page still shows the
    # cached order (it counts nothing) until the refresher runs.
    supports(consultation, second, group["it"][1:] + group["ar"], "it")
    db.session.execute(
        sa.update(Support).where(Support.user_id.in_(group["ar"])).values(language="ar")
    )
    assert order() == [first.id, second.id]
    assert runner.invoke(args=["observatory", "refresh"]).exit_code == 0
    assert order() == [second.id, first.id]


def test_budget_scores_come_from_ballots_once_closed(world):
    from tests.results.factories import budget_consultation, cast, closed

    consultation, (a, b, c) = budget_consultation(world.here, budget=100)
    for language in ("it", "it", "ar"):
        cast(consultation, [a, b] if language == "ar" else [b], language=language)
    refresh_bridging(consultation)
    assert _ids(_bridging(consultation))[0] == c.id  # open: no scores, newest ids first
    closed(consultation)
    assert refresh_bridging(consultation)
    assert _ids(_bridging(consultation)) == [b.id, a.id, c.id]
