"""Proposals and their deliberation: posting, editing, withdrawing, listing, threaded comments.

Counters (a consultation's proposals, a proposal's comments by alignment) change with an
`UPDATE … SET n = n + 1` in the same transaction as the act they count, never read-then-write,
so two requests at once cannot lose a count.

The list stays fast with 100,000 proposals: every sort walks one of the indexes of
app/proposals/models.py, pages are keyset pages (a cursor, not an offset), and the unfiltered
total is the consultation's counter, not a COUNT(*).

"Supported across languages" (sort "bridging") orders by the bridging score (docs/domain.md), which
depends on every support of the consultation: it cannot be an index of its own. The scores are
cached in app/observatory/models.BridgingScore, one row per supported proposal, walked by its
(consultation, score, proposal) index like the other sorts. A page only reads that cache: it is
recomputed off the request path, by `flask observatory refresh` (cron, or its `--loop` worker:
app/observatory/services.refresh_bridging), so the order can be one refresh interval behind the
supports. Proposals without a score come after the scored ones, most supported first (new
supports not yet scored), walking the supports index; their cursor keys are negative
(supports - 2**40), the scored ones' positive.

Search (`q=`) is full-text search on each proposal's search document (app/proposals/search.py).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import sqlalchemy as sa
from flask import abort
from sqlalchemy import orm

from app.accounts.models import Organisation, User
from app.auth.permissions import can_act_for
from app.consultations import phases as phase_rules
from app.consultations.models import Consultation
from app.consultations.services import lock
from app.db_types import utcnow
from app.extensions import db
from app.notifications import services as notifications
from app.observatory.models import BridgingScore
from app.proposals import search
from app.proposals.models import ALIGNMENTS, MAX_COMMENT_DEPTH, Comment, Proposal
from app.results.models import MunicipalResponse

PAGE_SIZE = 20
COMMENTS_PAGE_SIZE = 50
EDIT_WINDOW = timedelta(minutes=15)
# random_key is drawn in [0, RANDOM_MODULUS); the "random" order is (random_key + seed) mod it.
RANDOM_MODULUS = 2**31 - 1
SORTS = ("supported", "newest", "random")
# The list's orders: the index walks above, "supported across languages" (cached scores) and,
# with a search, best match first (relevance).
LIST_SORTS = (*SORTS, "bridging", "relevance")
# Cursor keys of proposals without a bridging score: their supports minus this (negative).
UNSCORED = 2**40
COUNT_CAP = 1000
STATUSES = ("published", "withdrawn")


class Refused(Exception):
    """An act the rules forbid; `reason` is a key the views word in the reader's locale."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# Authors come with the proposals and comments (joined), but not their own collections
# (content languages, memberships, appointments): a page never needs them. Made per query, not
# at import: a loader option configures every mapper (a tenth of a second) that a command which
# queries nothing, or `flask --help`, need not pay.
def proposal_people() -> tuple[orm.interfaces.LoaderOption, ...]:
    return (orm.defaultload(Proposal.author).lazyload("*"),)


def comment_people() -> tuple[orm.interfaces.LoaderOption, ...]:
    return (orm.defaultload(Comment.author).lazyload("*"),)


def get_proposal_or_404(proposal_id: int) -> Proposal:
    proposal = db.session.get(Proposal, proposal_id, options=proposal_people())
    if proposal is None:
        abort(404)
    return proposal


def get_comment_or_404(comment_id: int) -> Comment:
    comment = db.session.get(Comment, comment_id)
    if comment is None or comment.status != "published":
        abort(404)
    return comment


def writing_language(user: User, fallback: str) -> str:
    """The default content language of what `user` writes: their first one."""
    codes = user.content_language_codes
    return codes[0] if codes else fallback


def organisations_of(user: User) -> list[Organisation]:
    """The organisations `user` may post for (their memberships are loaded with the user)."""
    return sorted((m.organisation for m in user.memberships), key=lambda o: o.name.casefold())


def act_window(consultation: Consultation, *acts: str) -> tuple[datetime, datetime | None] | None:
    """From when to when any of `acts` is possible by the phases (None: in no phase)."""
    windows = [
        window
        for window in consultation.windows
        if any(phase_rules.allows(window.kind, act, consultation.voting_method) for act in acts)
    ]
    if not windows:
        return None
    ends = [window.ends_at for window in windows]
    return (
        min(window.starts_at for window in windows),
        None if None in ends else max(e for e in ends if e is not None),
    )


# Posting, editing, withdrawing.


@dataclass
class ProposalData:
    title: str
    body: str
    language: str
    category: str | None = None
    cost: Decimal | None = None
    organisation: Organisation | None = None


def _check_organisation(author: User, organisation: Organisation | None) -> None:
    if organisation is not None and not can_act_for(author, organisation):
        raise Refused("organisation")


def _check_cost(consultation: Consultation, cost: Decimal | None) -> Decimal | None:
    if consultation.voting_method != "budget":
        return None
    if cost is None:
        raise Refused("cost_missing")
    if cost < 0 or cost > (consultation.budget_amount or 0):
        raise Refused("cost_out_of_range")
    return cost


def _clean_category(category: str | None) -> str | None:
    category = (category or "").strip()
    return category[:60] or None


def _still_open(consultation: Consultation, *, exclusive: bool = False) -> None:
    """Hold the consultation (as votes do) and refuse if a close got in first: its result
    snapshot names the proposals as they were, so none may appear, change or go after it.
    Acts that update the consultation's counter take the lock exclusively (two shared holders
    updating the same row would deadlock)."""
    lock(consultation, exclusive=exclusive)
    if consultation.closed_at is not None:
        raise Refused("closed")


def create_proposal(
    consultation: Consultation, author: User, data: ProposalData, *, now: datetime | None = None
) -> Proposal:
    """Post a proposal (the caller checked `may(author, consultation, "propose")`)."""
    _check_organisation(author, data.organisation)
    _still_open(consultation, exclusive=True)
    now = now or utcnow()
    cost = _check_cost(consultation, data.cost)
    proposal = Proposal(
        consultation_id=consultation.id,
        author_id=author.id,
        organisation_id=data.organisation.id if data.organisation else None,
        title=data.title.strip(),
        body=data.body.strip(),
        language=data.language,
        category=_clean_category(data.category),
        cost=cost,
        author_cost=cost,
        status="published",
        supports_count=0,
        comments_for=0,
        comments_against=0,
        comments_neutral=0,
        random_key=secrets.randbelow(RANDOM_MODULUS),
        created_at=now,
        updated_at=now,
    )
    db.session.add(proposal)
    db.session.flush()
    _count_proposals(consultation, +1)
    notifications.follow(author, proposal=proposal)
    notifications.notify_followers(
        "proposal_posted",
        actor_id=author.id,
        consultation_id=consultation.id,
        proposal_id=proposal.id,
        followers_of_consultation=True,
        now=now,
    )
    return proposal


def update_proposal(
    proposal: Proposal, data: ProposalData, *, now: datetime | None = None
) -> Proposal:
    """Edit (proposals phase) or amend (deliberation) a proposal; the author stays the same.
    Only this marks the proposal "changed" (edited_at): counters never do."""
    if proposal.status != "published":
        raise Refused("withdrawn")
    _still_open(proposal.consultation)
    proposal.edited_at = now or utcnow()
    proposal.title = data.title.strip()
    proposal.body = data.body.strip()
    proposal.language = data.language
    proposal.category = _clean_category(data.category)
    proposal.cost = proposal.author_cost = _check_cost(proposal.consultation, data.cost)
    db.session.flush()
    return proposal


def withdraw_proposal(proposal: Proposal) -> bool:
    """Withdraw a proposal (kept, shown as withdrawn, no longer counted); False if it was
    already withdrawn. The conditional UPDATE decides, so two clicks count once. Raises
    Refused("closed") when the consultation closed first."""
    _still_open(proposal.consultation, exclusive=True)
    changed = db.session.execute(
        sa.update(Proposal)
        .where(Proposal.id == proposal.id, Proposal.status == "published")
        .values(status="withdrawn", updated_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.expire(proposal, ["status", "updated_at"])
    if changed != 1:
        return False
    _count_proposals(proposal.consultation, -1)
    return True


def _count_proposals(consultation: Consultation, step: int) -> None:
    db.session.execute(
        sa.update(Consultation)
        .where(Consultation.id == consultation.id)
        .values(
            proposals_count=Consultation.proposals_count + step,
            updated_at=Consultation.updated_at,  # a proposal does not edit the consultation
        )
        .execution_options(synchronize_session=False)
    )
    db.session.expire(consultation, ["proposals_count"])


# The list.


@dataclass
class ListQuery:
    """What the visitor asked the list for (already checked against the allowed values)."""

    sort: str = "supported"
    status: str = "published"
    category: str | None = None
    language: str | None = None
    search: str | None = None
    cursor: str | None = None
    # The reader's interface language: its stemming applies to the search words.
    language_of_query: str | None = None

    @property
    def filtered(self) -> bool:
        return bool(self.category or self.language or self.search or self.status != "published")


@dataclass
class ProposalPage:
    proposals: list[Proposal]
    total: int
    next_cursor: str | None
    previous_cursor: str | None
    total_capped: bool = False


def new_random_seed() -> int:
    return 1 + secrets.randbelow(RANDOM_MODULUS - 1)


# The distinct values of an indexed column, one index probe per value (a "loose index scan"):
# a consultation has a handful of categories and languages but may have 100,000 proposals.
_DISTINCT_CATEGORIES = sa.text(
    """
    WITH RECURSIVE found(value) AS (
        SELECT (SELECT min(category) FROM proposals WHERE consultation_id = :consultation)
        UNION ALL
        SELECT (
            SELECT min(category) FROM proposals
            WHERE consultation_id = :consultation AND category > found.value
        )
        FROM found WHERE found.value IS NOT NULL
    )
    SELECT value FROM found WHERE value IS NOT NULL
    """
)
_DISTINCT_LANGUAGES = sa.text(
    """
    WITH RECURSIVE found(value) AS (
        SELECT (SELECT min(language) FROM proposals WHERE consultation_id = :consultation)
        UNION ALL
        SELECT (
            SELECT min(language) FROM proposals
            WHERE consultation_id = :consultation AND language > found.value
        )
        FROM found WHERE found.value IS NOT NULL
    )
    SELECT value FROM found WHERE value IS NOT NULL
    """
)


def categories_of(consultation: Consultation) -> list[str]:
    """The categories used so far (suggestions in the form, choices in the filter)."""
    rows = db.session.scalars(_DISTINCT_CATEGORIES, {"consultation": consultation.id})
    return sorted(rows, key=str.casefold)


def languages_of(consultation: Consultation) -> list[str]:
    return sorted(db.session.scalars(_DISTINCT_LANGUAGES, {"consultation": consultation.id}))


def _conditions(consultation: Consultation, query: ListQuery) -> list:
    conditions = [Proposal.consultation_id == consultation.id, Proposal.status == query.status]
    if query.category:
        conditions.append(Proposal.category == query.category)
    if query.language:
        conditions.append(Proposal.language == query.language)
    if query.search:
        # A hidden text must not be found by its words (its place in the list stays).
        conditions.append(Proposal.hidden_at.is_(None))
    return conditions


# Cursors are "a:<key>:<id>" (the page after that proposal) or "b:<key>:<id>" (before it),
# where <key> is the proposal's sort value: supports, creation time in microseconds, or
# random_key.


def _cursor(direction: str, key: int, proposal_id: int) -> str:
    return f"{direction}:{key}:{proposal_id}"


def _parse_cursor(cursor: str | None) -> tuple[str, int, int] | None:
    if not cursor:
        return None
    parts = cursor.split(":")
    if len(parts) != 3 or parts[0] not in ("a", "b"):
        return None
    try:
        key, proposal_id = int(parts[1]), int(parts[2])
    except ValueError:
        return None
    if not (-(2**62) < key < 2**62 and 0 < proposal_id < 2**62):
        return None
    return parts[0], key, proposal_id


def _micros(value: datetime) -> int:
    return int((value - datetime(1970, 1, 1, tzinfo=UTC)) / timedelta(microseconds=1))


def _from_micros(value: int) -> datetime:
    return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=value)


def _sort_key(proposal: Proposal, sort: str, keys: dict[int, int] | None = None) -> int:
    if keys is not None:
        return keys[proposal.id]
    if sort == "supported":
        return proposal.supports_count
    if sort == "newest":
        return _micros(proposal.created_at)
    return proposal.random_key


def list_proposals(consultation: Consultation, query: ListQuery, *, seed: int) -> ProposalPage:
    """One page of the list: a constant number of statements, whatever the number of rows."""
    conditions = _conditions(consultation, query)
    cursor = _parse_cursor(query.cursor)
    keys = None
    sort = query.sort
    found = counted = None
    if query.search:
        found = search.candidates(
            db.session.connection().dialect.name, conditions, query.search, query.language_of_query
        )
        if found is None:  # nothing searchable in the words: nothing found
            return ProposalPage(proposals=[], total=0, next_cursor=None, previous_cursor=None)
        if sort != "relevance":
            # The other orders walk their index among the matches: at most 1,001 ids, read
            # once (this is also the count).
            ids = list(db.session.scalars(sa.select(found.c.id)))
            counted = len(ids)
            conditions.append(Proposal.id.in_(ids))
    elif sort == "relevance":
        sort = "supported"
    if sort == "random":
        rows = _random_page(conditions, cursor, seed)
    elif sort == "bridging":
        rows, keys = _bridging_page(consultation, conditions, cursor)
    elif sort == "relevance":
        rows, keys, counted = _relevance_page(found, cursor)
    else:
        rows = _ordered_page(conditions, cursor, sort)
    backwards = cursor is not None and cursor[0] == "b"
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    if backwards:
        rows.reverse()
    has_next = (more and not backwards) or (backwards and bool(rows))
    has_previous = (more and backwards) or (cursor is not None and not backwards and bool(rows))
    if counted is not None:
        total = counted
    elif query.filtered:
        # Counting stops at COUNT_CAP: "1,000 or more" is as useful as 33,417, and cheaper.
        # A search counts its candidates (found with the same conditions, at most 1,001).
        matching = (
            sa.select(found.c.id)
            if found is not None
            else sa.select(Proposal.id).where(*conditions)
        )
        matching = matching.limit(COUNT_CAP + 1).subquery()
        total = db.session.scalar(sa.select(sa.func.count()).select_from(matching)) or 0
    else:
        total = consultation.proposals_count or 0
    return ProposalPage(
        proposals=rows,
        total=min(total, COUNT_CAP) if query.filtered else total,
        total_capped=query.filtered and total > COUNT_CAP,
        next_cursor=_cursor("a", _sort_key(rows[-1], sort, keys), rows[-1].id)
        if has_next
        else None,
        previous_cursor=_cursor("b", _sort_key(rows[0], sort, keys), rows[0].id)
        if has_previous
        else None,
    )


def _relevance_page(found, cursor: tuple[str, int, int] | None):
    """Best match first: the search's candidates by (relevance key, id), keyset paged; the page
    is cut from the candidates before the proposals are read. Returns the rows, their cursor
    keys and how many candidates there are (at most COUNT_CAP + 1, counted in the same
    statement; None when the page is empty)."""
    columns = (found.c.key, found.c.id)
    descending = cursor is None or cursor[0] == "a"
    ids = sa.select(found.c.id, found.c.key)
    if cursor is not None:
        row, bound = sa.tuple_(*columns), sa.tuple_(cursor[1], cursor[2])
        ids = ids.where(row < bound if descending else row > bound)
    ids = (
        ids.order_by(*[c.desc() if descending else c.asc() for c in columns])
        .limit(PAGE_SIZE + 1)
        .subquery()
    )
    total = sa.select(sa.func.count()).select_from(found).scalar_subquery()
    order = (ids.c.key, Proposal.id)
    statement = (
        sa.select(Proposal, ids.c.key, total)
        .join(ids, ids.c.id == Proposal.id)
        .options(*proposal_people())
        .order_by(*[c.desc() if descending else c.asc() for c in order])
    )
    rows = list(db.session.execute(statement).unique())
    return (
        [proposal for proposal, _key, _total in rows],
        {proposal.id: key for proposal, key, _total in rows},
        rows[0][2] if rows else None,
    )


def _ordered_page(conditions: list, cursor: tuple[str, int, int] | None, sort: str):
    """Most supported or newest first: a backward walk of (consultation, key, id)."""
    column = Proposal.supports_count if sort == "supported" else Proposal.created_at
    statement = sa.select(Proposal).where(*conditions).options(*proposal_people())
    if cursor is None:
        statement = statement.order_by(column.desc(), Proposal.id.desc())
    else:
        direction, key, proposal_id = cursor
        value = key if sort == "supported" else _from_micros(key)
        row = sa.tuple_(column, Proposal.id)
        if direction == "a":
            statement = statement.where(
                row < sa.tuple_(sa.literal(value, column.type), proposal_id)
            )
            statement = statement.order_by(column.desc(), Proposal.id.desc())
        else:
            statement = statement.where(
                row > sa.tuple_(sa.literal(value, column.type), proposal_id)
            )
            statement = statement.order_by(column.asc(), Proposal.id.asc())
    return list(db.session.scalars(statement.limit(PAGE_SIZE + 1)).unique())


def _random_page(conditions: list, cursor: tuple[str, int, int] | None, seed: int):
    """Random order, stable for a visitor: by ((random_key + seed) mod M, id).

    Adding the seed rotates the keys, so that order is the index order of random_key cut in
    two: first the keys from M - seed up, then the keys below it. Each half is an index range
    scan; one statement takes at most a page and one from each, and Python puts them in order.
    """
    boundary = RANDOM_MODULUS - seed
    key, proposal_id = Proposal.random_key, Proposal.id

    def half(upper: bool):
        return key >= boundary if upper else key < boundary

    def part(extra: list, descending: bool):
        order = (key.desc(), proposal_id.desc()) if descending else (key.asc(), proposal_id.asc())
        return (
            sa.select(proposal_id)
            .where(*conditions, *extra)
            .order_by(*order)
            .limit(PAGE_SIZE + 1)
            .subquery()
        )

    if cursor is None:
        first, second, descending = part([half(True)], False), part([half(False)], False), False
    else:
        direction, at_key, at_id = cursor
        in_upper = at_key >= boundary
        row = sa.tuple_(key, proposal_id)
        if direction == "a":
            descending = False
            first = part([half(in_upper), row > sa.tuple_(at_key, at_id)], False)
            # After the upper half comes the whole lower half; after the lower one, nothing.
            second = part([half(False) if in_upper else sa.false()], False)
        else:
            descending = True
            first = part([half(in_upper), row < sa.tuple_(at_key, at_id)], True)
            second = part([sa.false() if in_upper else half(True)], True)
    ids = sa.union_all(sa.select(first.c.id), sa.select(second.c.id)).subquery()
    found = list(
        db.session.scalars(
            sa.select(Proposal)
            .where(Proposal.id.in_(sa.select(ids.c.id)))
            .options(*proposal_people())
        ).unique()
    )

    def position(proposal: Proposal) -> tuple[int, int]:
        return ((proposal.random_key + seed) % RANDOM_MODULUS, proposal.id)

    return sorted(found, key=position, reverse=descending)


def _bridging_page(consultation: Consultation, conditions: list, cursor):
    """Supported across languages first: the scored proposals by (score, id), then the others
    by (supports, id), both walked backwards on an index; at most two statements, reading only
    the cached scores. Returns the rows and their cursor keys."""

    limit = PAGE_SIZE + 1
    score = (BridgingScore.score_key, BridgingScore.proposal_id)
    scored = (
        sa.select(Proposal, BridgingScore.score_key)
        .join(BridgingScore, BridgingScore.proposal_id == Proposal.id)
        .where(*conditions, BridgingScore.consultation_id == consultation.id)
        .options(*proposal_people())
    )
    unscored = (
        sa.select(Proposal, Proposal.supports_count)
        .where(
            *conditions,
            ~sa.exists().where(BridgingScore.proposal_id == Proposal.id),
        )
        .options(*proposal_people())
    )
    supports = (Proposal.supports_count, Proposal.id)

    def run(statement, columns, descending: bool, bound=None, n: int = limit):
        if bound is not None:
            row = sa.tuple_(*columns)
            statement = statement.where(row < bound if descending else row > bound)
        order = [c.desc() if descending else c.asc() for c in columns]
        # Unscored proposals' keys are their supports shifted below every score (in Python:
        # the shifted value does not fit the column's integer type).
        shift = UNSCORED if columns is supports else 0
        found = db.session.execute(statement.order_by(*order).limit(n)).unique()
        return [(proposal, key - shift) for proposal, key in found]

    if cursor is None or cursor[0] == "a":
        if cursor is None or cursor[1] > 0:
            bound = None if cursor is None else sa.tuple_(cursor[1], cursor[2])
            rows = run(scored, score, True, bound)
            if len(rows) < limit:
                rows += run(unscored, supports, True, None, limit - len(rows))
        else:
            rows = run(unscored, supports, True, sa.tuple_(cursor[1] + UNSCORED, cursor[2]))
    elif cursor[1] > 0:
        rows = run(scored, score, False, sa.tuple_(cursor[1], cursor[2]))
    else:
        rows = run(unscored, supports, False, sa.tuple_(cursor[1] + UNSCORED, cursor[2]))
        if len(rows) < limit:
            rows += run(scored, score, False, None, limit - len(rows))
    return [proposal for proposal, _key in rows], {proposal.id: key for proposal, key in rows}


def top_supported(consultation: Consultation, limit: int = 5) -> list[Proposal]:
    return list(
        db.session.scalars(
            sa.select(Proposal)
            .where(Proposal.consultation_id == consultation.id, Proposal.status == "published")
            .order_by(Proposal.supports_count.desc(), Proposal.id.desc())
            .limit(limit)
            .options(*proposal_people())
        ).unique()
    )


# Deliberation: threaded comments.


def add_comment(
    proposal: Proposal,
    author: User,
    *,
    body: str,
    alignment: str,
    language: str,
    parent: Comment | None = None,
    organisation: Organisation | None = None,
    now: datetime | None = None,
) -> Comment:
    """Comment on a proposal or reply to a comment (the caller checked `may(…, "comment")`)."""
    if alignment not in ALIGNMENTS:
        raise Refused("alignment")
    if proposal.hidden_at is not None:
        raise Refused("hidden")
    if parent is not None:
        if (
            parent.proposal_id != proposal.id
            or parent.status != "published"
            or parent.hidden_at is not None
        ):
            raise Refused("parent")
        if parent.depth >= MAX_COMMENT_DEPTH:
            raise Refused("depth")
    _check_organisation(author, organisation)
    now = now or utcnow()
    comment = Comment(
        proposal_id=proposal.id,
        parent_id=parent.id if parent else None,
        depth=parent.depth + 1 if parent else 0,
        author_id=author.id,
        organisation_id=organisation.id if organisation else None,
        body=body.strip(),
        language=language,
        alignment=alignment,
        status="published",
        created_at=now,
    )
    db.session.add(comment)
    db.session.flush()
    counter = {
        "for": Proposal.comments_for,
        "against": Proposal.comments_against,
        "neutral": Proposal.comments_neutral,
    }[alignment]
    db.session.execute(
        sa.update(Proposal)
        .where(Proposal.id == proposal.id)
        # A comment does not change the proposal: keep its updated_at (the column's onupdate).
        .values({counter: counter + 1, Proposal.updated_at: Proposal.updated_at})
        .execution_options(synchronize_session=False)
    )
    db.session.expire(proposal, ["comments_for", "comments_against", "comments_neutral"])
    also = [proposal.author_id, parent.author_id if parent else None]
    notifications.notify_followers(
        "comment_posted",
        actor_id=author.id,
        consultation_id=proposal.consultation_id,
        proposal_id=proposal.id,
        comment_id=comment.id,
        followers_of_proposal=True,
        also_user_ids=[user_id for user_id in also if user_id is not None],
        now=now,
    )
    return comment


def may_edit_comment(comment: Comment, user: User | None, now: datetime | None = None) -> bool:
    return (
        user is not None
        and getattr(user, "is_authenticated", False)
        and getattr(user, "confirmed", False)
        and comment.author_id == user.id
        and (now or utcnow()) - comment.created_at <= EDIT_WINDOW
    )


def edit_comment(
    comment: Comment, user: User, *, body: str, language: str, now: datetime | None = None
) -> Comment:
    """Correct one's own comment within EDIT_WINDOW of posting it (the alignment stays)."""
    now = now or utcnow()
    if comment.author_id != user.id:
        raise Refused("not_author")
    if now - comment.created_at > EDIT_WINDOW:
        raise Refused("edit_window")
    comment.body = body.strip()
    comment.language = language
    comment.edited_at = now
    db.session.flush()
    return comment


@dataclass
class CommentNode:
    comment: Comment
    children: list[CommentNode] = field(default_factory=list)


@dataclass
class Thread:
    roots: list[CommentNode]
    page: int
    has_next: bool


def comment_thread(proposal: Proposal, page: int = 1) -> Thread:
    """One page of top-level comments with all their replies, in one statement.

    A thread is a root, its replies and their replies (depth ≤ 2); the page's roots are chosen in
    a subquery (one more than a page, to know whether another follows), and their threads are
    found from them through the parent index, so the cost is the page's, not the proposal's.
    """
    page = max(1, page)
    # Common table expressions, each used twice, so PostgreSQL computes each once whatever its
    # statistics say (as plain subqueries, a plan made on a table it believed empty re-ran the
    # roots' sort for every comment: minutes for 200 comments).
    roots = (
        sa.select(Comment.id)
        .where(
            Comment.proposal_id == proposal.id, Comment.depth == 0, Comment.status == "published"
        )
        .order_by(Comment.created_at, Comment.id)
        .limit(COMMENTS_PAGE_SIZE + 1)
        .offset((page - 1) * COMMENTS_PAGE_SIZE)
        .cte("thread_roots")
    )
    replies = (
        sa.select(Comment.id).where(Comment.parent_id.in_(sa.select(roots.c.id))).cte("replies")
    )
    threads = sa.union_all(
        sa.select(roots.c.id),
        sa.select(replies.c.id),
        sa.select(Comment.id).where(Comment.parent_id.in_(sa.select(replies.c.id))),
    )
    rows = db.session.scalars(
        sa.select(Comment)
        .where(
            Comment.id.in_(threads),
            Comment.proposal_id == proposal.id,
            Comment.status == "published",
        )
        .order_by(Comment.created_at, Comment.id)
        .options(*comment_people())
    ).unique()
    nodes = {comment.id: CommentNode(comment) for comment in rows}
    tops: list[CommentNode] = []
    for node in nodes.values():
        parent_id = node.comment.parent_id
        if parent_id is None:
            tops.append(node)
        elif parent_id in nodes:
            nodes[parent_id].children.append(node)
    return Thread(
        roots=tops[:COMMENTS_PAGE_SIZE], page=page, has_next=len(tops) > COMMENTS_PAGE_SIZE
    )


def response_to(proposal: Proposal) -> MunicipalResponse | None:
    """The municipality's public answer to the proposal, if given."""
    return db.session.scalar(
        sa.select(MunicipalResponse).where(MunicipalResponse.proposal_id == proposal.id)
    )
