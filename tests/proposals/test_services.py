"""Proposals and deliberation: counters, depth, the edit window, the list's sorts and pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
import time_machine

from app.consultations.models import Consultation
from app.db_types import utcnow
from app.extensions import db
from app.notifications.models import Follow
from app.proposals import services
from app.proposals.models import Comment, Proposal
from tests import factories
from tests.consultations.factories import with_phases
from tests.proposals import factories as pf


@pytest.fixture
def consultation(world):
    return with_phases(world.here, phase="proposals")


def _recount(consultation) -> dict:
    published = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Proposal)
        .where(Proposal.consultation_id == consultation.id, Proposal.status == "published")
    )
    rows = db.session.execute(
        sa.select(Comment.proposal_id, Comment.alignment, sa.func.count())
        .join(Proposal, Proposal.id == Comment.proposal_id)
        .where(Proposal.consultation_id == consultation.id, Comment.status == "published")
        .group_by(Comment.proposal_id, Comment.alignment)
    ).all()
    return {"published": published, "comments": {(p, a): n for p, a, n in rows}}


def _stored_counters(consultation) -> dict:
    db.session.expire_all()
    stored = db.session.get(Consultation, consultation.id)
    comments = {}
    for proposal in db.session.scalars(
        sa.select(Proposal).where(Proposal.consultation_id == consultation.id)
    ):
        for alignment in ("for", "against", "neutral"):
            count = getattr(proposal, f"comments_{alignment}")
            if count:
                comments[(proposal.id, alignment)] = count
    return {"published": stored.proposals_count, "comments": comments}


def test_counters_equal_a_recount_after_creates_withdrawals_and_comments(world, consultation):
    citizen, member = world.users["citizen"], world.users["organisation"]
    proposals = [pf.proposal(consultation, citizen, title=f"P{n}") for n in range(5)]
    assert consultation.proposals_count == 5
    assert services.withdraw_proposal(proposals[0])
    assert not services.withdraw_proposal(proposals[0])  # twice counts once
    assert consultation.proposals_count == 4
    for alignment in ("for", "for", "against", "neutral"):
        pf.comment(proposals[1], member, alignment=alignment)
    first = pf.comment(proposals[2], member, alignment="against")
    pf.comment(proposals[2], citizen, alignment="for", parent=first)
    assert proposals[1].comments_for == 2
    assert proposals[1].comments_count == 4
    assert _stored_counters(consultation) == _recount(consultation)


def test_a_proposal_gets_a_random_key_and_its_author_follows_it(world, consultation):
    proposal = pf.proposal(consultation, world.users["citizen"])
    assert 0 <= proposal.random_key < services.RANDOM_MODULUS
    assert db.session.scalar(
        sa.select(Follow.id).where(
            Follow.user_id == world.users["citizen"].id, Follow.proposal_id == proposal.id
        )
    )


def test_posting_for_an_organisation_needs_membership(world, consultation):
    member, citizen = world.users["organisation"], world.users["citizen"]
    posted = pf.proposal(consultation, member, organisation=world.organisation)
    assert posted.organisation == world.organisation
    with pytest.raises(services.Refused) as refused:
        pf.proposal(consultation, citizen, organisation=world.organisation)
    assert refused.value.reason == "organisation"


def test_budget_consultations_need_a_cost_within_the_budget(world):
    budget = with_phases(world.here, phase="proposals", voting_method="budget")
    citizen = world.users["citizen"]
    assert pf.proposal(budget, citizen, cost=100_000).cost == 100_000
    for cost, reason in (
        (None, "cost_missing"),
        (-1, "cost_out_of_range"),
        (100_001, "cost_out_of_range"),
    ):
        with pytest.raises(services.Refused) as refused:
            pf.proposal(budget, citizen, cost=cost)
        assert refused.value.reason == reason
    # A supports consultation has no costs at all.
    supports = with_phases(world.here, phase="proposals")
    assert pf.proposal(supports, citizen, cost=500).cost is None


def test_comments_are_three_levels_deep_at_most(world, consultation):
    proposal = pf.proposal(consultation, world.users["citizen"])
    member = world.users["organisation"]
    top = pf.comment(proposal, member)
    reply = pf.comment(proposal, member, parent=top)
    last = pf.comment(proposal, member, parent=reply)
    assert (top.depth, reply.depth, last.depth) == (0, 1, 2)
    with pytest.raises(services.Refused) as refused:
        pf.comment(proposal, member, parent=last)
    assert refused.value.reason == "depth"
    other = pf.proposal(consultation, member, title="Altro")
    with pytest.raises(services.Refused):
        pf.comment(other, member, parent=top)  # a parent from another proposal


def test_a_comment_can_be_edited_by_its_author_within_fifteen_minutes(world, consultation):
    proposal = pf.proposal(consultation, world.users["citizen"])
    author = world.users["organisation"]
    comment = pf.comment(proposal, author)
    with time_machine.travel(comment.created_at + timedelta(minutes=14), tick=False):
        assert services.may_edit_comment(comment, author)
        assert not services.may_edit_comment(comment, world.users["citizen"])
        services.edit_comment(comment, author, body="Meglio così.", language="it")
        assert comment.edited_at == utcnow()
        with pytest.raises(services.Refused):
            services.edit_comment(comment, world.users["citizen"], body="x", language="it")
    with time_machine.travel(comment.created_at + timedelta(minutes=16), tick=False):
        assert not services.may_edit_comment(comment, author)
        with pytest.raises(services.Refused) as refused:
            services.edit_comment(comment, author, body="Troppo tardi", language="it")
        assert refused.value.reason == "edit_window"
    assert comment.body == "Meglio così."


def test_the_thread_is_a_tree_paged_by_top_level_comments(world, consultation):
    proposal = pf.proposal(consultation, world.users["citizen"])
    member = world.users["organisation"]
    pf.bulk_comments(proposal, member, services.COMMENTS_PAGE_SIZE + 3)
    first = services.comment_thread(proposal, 1)
    assert len(first.roots) == services.COMMENTS_PAGE_SIZE
    assert first.has_next
    assert all(len(node.children) == 1 for node in first.roots)
    assert all(node.children[0].comment.parent_id == node.comment.id for node in first.roots)
    second = services.comment_thread(proposal, 2)
    assert len(second.roots) == 3
    assert not second.has_next
    seen = {n.comment.id for n in first.roots} | {n.comment.id for n in second.roots}
    assert len(seen) == services.COMMENTS_PAGE_SIZE + 3


def test_the_thread_nests_replies_of_replies(world, consultation):
    proposal = pf.proposal(consultation, world.users["citizen"])
    member = world.users["organisation"]
    top = pf.comment(proposal, member)
    reply = pf.comment(proposal, member, parent=top)
    last = pf.comment(proposal, member, parent=reply)
    thread = services.comment_thread(proposal)
    assert [n.comment for n in thread.roots] == [top]
    assert thread.roots[0].children[0].comment == reply
    assert thread.roots[0].children[0].children[0].comment == last


# The list.


def _walk(consultation, query: services.ListQuery, seed: int = 12345) -> list[int]:
    """Every page from the first by following the next cursors."""
    seen: list[int] = []
    cursor = None
    for _ in range(100):
        query.cursor = cursor
        page = services.list_proposals(consultation, query, seed=seed)
        seen += [p.id for p in page.proposals]
        cursor = page.next_cursor
        if cursor is None:
            return seen
    raise AssertionError("the pages never end")


@pytest.mark.parametrize("sort", services.SORTS)
def test_pages_cover_every_proposal_once_in_order(world, consultation, sort):
    pf.bulk_proposals(consultation, world.users["citizen"], 47)
    ids = _walk(consultation, services.ListQuery(sort=sort))
    assert len(ids) == len(set(ids)) == 47
    proposals = {p.id: p for p in db.session.scalars(sa.select(Proposal))}
    keys = {
        "supported": lambda p: (-p.supports_count, -p.id),
        "newest": lambda p: (-p.created_at.timestamp(), -p.id),
        "random": lambda p: ((p.random_key + 12345) % services.RANDOM_MODULUS, p.id),
    }
    assert ids == sorted(ids, key=lambda i: keys[sort](proposals[i]))


@pytest.mark.parametrize("sort", services.SORTS)
def test_previous_page_goes_back_to_the_same_proposals(world, consultation, sort):
    pf.bulk_proposals(consultation, world.users["citizen"], 50)
    query = services.ListQuery(sort=sort)
    first = services.list_proposals(consultation, query, seed=99)
    assert first.previous_cursor is None
    query.cursor = first.next_cursor
    second = services.list_proposals(consultation, query, seed=99)
    query.cursor = second.next_cursor
    third = services.list_proposals(consultation, query, seed=99)
    assert len(third.proposals) == 10
    assert third.next_cursor is None
    query.cursor = third.previous_cursor
    back = services.list_proposals(consultation, query, seed=99)
    assert [p.id for p in back.proposals] == [p.id for p in second.proposals]
    query.cursor = back.previous_cursor
    assert [p.id for p in services.list_proposals(consultation, query, seed=99).proposals] == [
        p.id for p in first.proposals
    ]


def test_random_order_is_stable_for_a_seed_and_differs_between_seeds(world, consultation):
    pf.bulk_proposals(consultation, world.users["citizen"], 40)
    query = services.ListQuery(sort="random")
    assert _walk(consultation, query, seed=7) == _walk(consultation, query, seed=7)
    assert _walk(consultation, query, seed=7) != _walk(consultation, query, seed=1_000_000_007)


def test_filters_by_category_language_and_status(world, consultation):
    citizen = world.users["citizen"]
    green = pf.proposal(consultation, citizen, title="Alberi", category="verde", language="it")
    arabic = pf.proposal(consultation, citizen, title="مكتبة", category="cultura", language="ar")
    gone = pf.proposal(consultation, citizen, title="Ritirata", category="verde")
    services.withdraw_proposal(gone)

    def ids(**filters) -> set[int]:
        page = services.list_proposals(consultation, services.ListQuery(**filters), seed=1)
        assert page.total == len(page.proposals)
        return {p.id for p in page.proposals}

    assert ids() == {green.id, arabic.id}
    assert ids(category="verde") == {green.id}
    assert ids(language="ar") == {arabic.id}
    assert ids(status="withdrawn") == {gone.id}
    assert ids(status="withdrawn", category="cultura") == set()
    assert services.categories_of(consultation) == ["cultura", "verde"]
    assert services.languages_of(consultation) == ["ar", "it"]


def test_search_ignores_case_in_any_script(world, consultation):
    citizen = world.users["citizen"]
    school = pf.proposal(consultation, citizen, title="Un'ÉCOLE ouverte", language="fr")
    greek = pf.proposal(consultation, citizen, title="Πλατεία", body="ΒΙΒΛΙΟΘΗΚΗ για όλους")
    arabic = pf.proposal(consultation, citizen, title="حديقة", body="مكتبة للأطفال", language="ar")
    literal = pf.proposal(consultation, citizen, title="Sconto del 50% sul biglietto")

    def found(text: str) -> set[int]:
        query = services.ListQuery(search=text)
        return {p.id for p in services.list_proposals(consultation, query, seed=1).proposals}

    assert found("école") == {school.id}
    assert found("βιβλιοθηκη") == {greek.id}
    assert found("مكتبة") == {arabic.id}
    assert found("50%") == {literal.id}
    # Search is by words: punctuation alone finds nothing (and is never a wildcard).
    assert found("%") == set()
    assert found("_") == set()


def test_the_unfiltered_total_is_the_counter_not_a_count(world, consultation, count_queries):
    pf.proposal(consultation, world.users["citizen"])
    with count_queries() as statements:
        page = services.list_proposals(consultation, services.ListQuery(), seed=1)
    assert page.total == 1
    assert not any("count(" in s.lower() for s in statements)


def test_act_window_spans_the_phases_that_allow_it(world):
    consultation = with_phases(world.here, phase="information")
    proposals = next(p for p in consultation.phases if p.kind == "proposals")
    deliberation = next(p for p in consultation.phases if p.kind == "deliberation")
    assert services.act_window(consultation, "propose") == (proposals.starts_at, proposals.ends_at)
    assert services.act_window(consultation, "comment") == (
        proposals.starts_at,
        deliberation.ends_at,
    )
    assert services.act_window(factories.consultation(world.here), "propose") is None


def test_filtered_totals_stop_counting_at_the_cap(world, consultation):
    pf.bulk_proposals(
        consultation, world.users["citizen"], services.COUNT_CAP + 5, category="verde"
    )
    page = services.list_proposals(consultation, services.ListQuery(category="verde"), seed=1)
    assert (page.total, page.total_capped) == (services.COUNT_CAP, True)
    page = services.list_proposals(consultation, services.ListQuery(search="Proposta 7"), seed=1)
    assert page.total_capped is False
    # SQLite matches word beginnings (Proposta 7, 70-79, 700-799), PostgreSQL whole words.
    on_sqlite = db.session.connection().dialect.name == "sqlite"
    assert page.total == (1 + 10 + 100 if on_sqlite else 1)
