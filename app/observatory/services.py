"""The observatory's queries: grouped SQL, a constant number of statements per page.

Who took part: the people who proposed, commented, supported or cast a ballot online (paper
ballots have nobody behind them). Their language group is their first content language (the
row of position 0); their community only if they opted in, and only ever counted in groups.
Deleted accounts are tombstones and count in no group. Every figure about people goes through
`figures.suppress` with the configured minimum group size (OBSERVATORY_MIN_GROUP_SIZE).

Bridging: a group's approvals are its supports (supports consultations) or its members' cast
ballots' choices (budget consultations, once closed: no intermediate results); the group is the
language recorded with the support or ballot (the voter's first content language when voting),
and the group's participants are its voters. Recorded values make the figure reproducible, which
the result snapshot needs (`flask results verify`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from app.accounts.models import User, UserContentLanguage
from app.cities.models import City, CityLanguage
from app.consultations.models import Consultation
from app.db_types import utcnow
from app.extensions import db
from app.observatory import figures
from app.observatory.models import BridgingRefresh, BridgingScore, ObservatoryFigures
from app.proposals.models import Comment, Proposal
from app.translations.kinds import KINDS
from app.translations.models import Translation, TranslationRequest
from app.voting.models import Ballot, BallotItem, Support

UNKNOWN = "und"


def minimum_group_size() -> int:
    return int(current_app.config.get("OBSERVATORY_MIN_GROUP_SIZE", figures.MINIMUM_GROUP_SIZE))


# Participation.


def _first_language():
    """The first content language of a user, as a correlated scalar subquery."""
    return (
        sa.select(UserContentLanguage.language)
        .where(UserContentLanguage.user_id == User.id, UserContentLanguage.position == 0)
        .limit(1)
        .scalar_subquery()
    )


def _participants(where_consultation) -> sa.Subquery:
    """(city, consultation, user) for each act of taking part; one row per act kind."""
    consultation = Consultation
    parts = [
        sa.select(consultation.city_id, Proposal.consultation_id, Proposal.author_id.label("uid"))
        .select_from(Proposal)
        .join(consultation, consultation.id == Proposal.consultation_id)
        .where(Proposal.author_id.is_not(None), where_consultation),
        sa.select(consultation.city_id, Proposal.consultation_id, Comment.author_id.label("uid"))
        .select_from(Comment)
        .join(Proposal, Proposal.id == Comment.proposal_id)
        .join(consultation, consultation.id == Proposal.consultation_id)
        .where(Comment.author_id.is_not(None), where_consultation),
        sa.select(consultation.city_id, Support.consultation_id, Support.user_id.label("uid"))
        .select_from(Support)
        .join(consultation, consultation.id == Support.consultation_id)
        .where(Support.user_id.is_not(None), where_consultation),
        sa.select(consultation.city_id, Ballot.consultation_id, Ballot.user_id.label("uid"))
        .select_from(Ballot)
        .join(consultation, consultation.id == Ballot.consultation_id)
        .where(Ballot.user_id.is_not(None), Ballot.status == "cast", where_consultation),
    ]
    return sa.union(*parts).subquery("participants")


def _group_counts(key_column: str, where_consultation, group: str) -> dict[Any, dict[str, int]]:
    """{key: {group: people}}, key being the city or the consultation; group "language" (first
    content language) or "community" (opt-in only)."""
    people = _participants(where_consultation)
    key = people.c[key_column]
    if group == "language":
        value = sa.func.coalesce(_first_language(), UNKNOWN)
        extra = []
    else:
        value = User.community
        extra = [User.community.is_not(None), User.community != ""]
    label = value.label("grp")
    rows = db.session.execute(
        sa.select(key, label, sa.func.count(sa.distinct(people.c.uid)))
        .join(User, User.id == people.c.uid)
        .where(User.deleted_at.is_(None), *extra)
        .group_by(key, label)
    ).all()
    counts: dict[Any, dict[str, int]] = defaultdict(dict)
    for owner, grp, n in rows:
        counts[owner][grp] = n
    return counts


def _totals(key_column: str, where_consultation) -> dict[Any, int]:
    people = _participants(where_consultation)
    key = people.c[key_column]
    rows = db.session.execute(
        sa.select(key, sa.func.count(sa.distinct(people.c.uid)))
        .join(User, User.id == people.c.uid)
        .where(User.deleted_at.is_(None))
        .group_by(key)
    ).all()
    return dict(rows)


def population_shares(city_ids: list[int]) -> dict[int, dict[str, float]]:
    rows = db.session.execute(
        sa.select(CityLanguage.city_id, CityLanguage.language, CityLanguage.population_share).where(
            CityLanguage.city_id.in_(city_ids)
        )
    ).all()
    shares: dict[int, dict[str, float]] = defaultdict(dict)
    for city_id, language, share in rows:
        shares[city_id][language] = float(share) / 100
    return shares


# Cross-language interaction.


def _month(column):
    if db.session.get_bind().dialect.name == "sqlite":
        return sa.func.strftime("%Y-%m", column)
    return sa.func.to_char(column, "YYYY-MM")


def _interaction_rows(key: str, where_consultation):
    """{(owner, kind): {(actor's language, proposal's language): acts}} and {(owner, kind):
    actors}, owner being the consultation, the month or the city."""
    comment_owner = {
        "consultation": Proposal.consultation_id,
        "month": _month(Comment.created_at),
        "city": Consultation.city_id,
    }[key]
    support_owner = {
        "consultation": Support.consultation_id,
        "month": _month(Support.created_at),
        "city": Consultation.city_id,
    }[key]
    comment_actor = sa.func.coalesce(
        sa.select(UserContentLanguage.language)
        .where(UserContentLanguage.user_id == Comment.author_id, UserContentLanguage.position == 0)
        .limit(1)
        .scalar_subquery(),
        "",
    )
    comments = (
        sa.select(
            sa.literal("comments").label("kind"),
            comment_owner.label("owner"),
            comment_actor.label("mine"),
            Proposal.language.label("theirs"),
            sa.func.count().label("acts"),
        )
        .select_from(Comment)
        .join(Proposal, Proposal.id == Comment.proposal_id)
        .join(Consultation, Consultation.id == Proposal.consultation_id)
        .where(Comment.status == "published", Comment.author_id.is_not(None), where_consultation)
        .group_by(comment_owner, comment_actor, Proposal.language)
    )
    supports = (
        sa.select(
            sa.literal("supports").label("kind"),
            support_owner.label("owner"),
            Support.language.label("mine"),
            Proposal.language.label("theirs"),
            sa.func.count().label("acts"),
        )
        .select_from(Support)
        .join(Proposal, Proposal.id == Support.proposal_id)
        .join(Consultation, Consultation.id == Support.consultation_id)
        .where(where_consultation)
        .group_by(support_owner, Support.language, Proposal.language)
    )
    pairs: dict[tuple, dict[tuple[str, str], int]] = defaultdict(dict)
    for kind, owner, mine, theirs, acts in db.session.execute(sa.union_all(comments, supports)):
        pairs[(owner, kind)][(mine or "", theirs or "")] = acts
    comment_actors = (
        sa.select(
            sa.literal("comments").label("kind"),
            comment_owner.label("owner"),
            sa.func.count(sa.distinct(Comment.author_id)).label("actors"),
        )
        .select_from(Comment)
        .join(Proposal, Proposal.id == Comment.proposal_id)
        .join(Consultation, Consultation.id == Proposal.consultation_id)
        .where(Comment.status == "published", Comment.author_id.is_not(None), where_consultation)
        .group_by(comment_owner)
    )
    support_actors = (
        sa.select(
            sa.literal("supports").label("kind"),
            support_owner.label("owner"),
            (
                sa.func.count(sa.distinct(Support.user_id))
                + sa.func.count(sa.distinct(Support.voter_key))
            ).label("actors"),
        )
        .select_from(Support)
        .join(Consultation, Consultation.id == Support.consultation_id)
        .where(where_consultation)
        .group_by(support_owner)
    )
    actors = {
        (owner, kind): n
        for kind, owner, n in db.session.execute(sa.union_all(comment_actors, support_actors))
    }
    return pairs, actors


@dataclass
class InteractionRow:
    owner: Any
    kind: str  # "comments", "supports" or "all"
    acts: int | None  # None: suppressed (fewer people than the minimum)
    across: int | None
    actors: int | None

    @property
    def share(self) -> float | None:
        return self.across / self.acts if self.acts else None


def _interaction_raw(key: str, where_consultation) -> list[list]:
    """[owner, kind, acts, acts across languages, actors] per owner and kind, before any
    suppression (what the stored figures keep)."""
    pairs, actors = _interaction_rows(key, where_consultation)
    return [
        [owner, kind, found.acts, found.across, actors.get((owner, kind), 0)]
        for (owner, kind), found in figures.interaction_shares(pairs).items()
    ]


def interaction_of(raw: list[list], minimum: int) -> list[InteractionRow]:
    """Per owner and kind, the acts that cross languages; a row about fewer people than the
    minimum shows nothing but its existence."""
    rows = []
    for owner, kind, acts, across, people in sorted(raw, key=lambda row: (str(row[0]), row[1])):
        if people < minimum:
            rows.append(InteractionRow(owner, kind, None, None, None))
        else:
            rows.append(InteractionRow(owner, kind, acts, across, people))
    return rows


# Translation coverage.


def _texts() -> sa.Subquery:
    """(kind, item id, city id) of every translatable text that has a city (kinds.py)."""
    parts = []
    for kind in KINDS.values():
        model = kind.model
        if kind.city_ids is None:
            continue
        # The registry's select of (id, city) for given ids, here for all of them.
        select = kind.city_ids(sa.select(model.id))  # type: ignore[arg-type]
        if hasattr(model, "hidden_at"):
            select = select.where(model.hidden_at.is_(None))
        columns = list(select.selected_columns)
        parts.append(
            select.with_only_columns(
                sa.literal(kind.name).label("kind"),
                columns[0].label("item_id"),
                columns[1].label("city_id"),
            )
        )
    return sa.union_all(*parts).subquery("texts")


def coverage(city_ids: list[int] | None = None) -> dict[int, tuple[int, int]]:
    """{city: (texts, texts with a published, not hidden translation)}, in one query."""
    texts = _texts()
    translated = (
        sa.select(Translation.id)
        .where(
            Translation.kind == texts.c.kind,
            Translation.item_id == texts.c.item_id,
            Translation.status == "published",
            Translation.hidden_at.is_(None),
        )
        .exists()
    )
    statement = (
        sa.select(
            texts.c.city_id,
            sa.func.count(),
            sa.func.sum(sa.case((translated, 1), else_=0)),
        )
        .where(texts.c.city_id.is_not(None))
        .group_by(texts.c.city_id)
    )
    if city_ids is not None:
        statement = statement.where(texts.c.city_id.in_(city_ids))
    return {city: (n, int(done or 0)) for city, n, done in db.session.execute(statement)}


def open_requests(city_ids: list[int] | None = None) -> dict[tuple[str, str], tuple[int, int]]:
    """{(source language, requested language): (people asking, texts)} of open requests."""
    statement = sa.select(
        TranslationRequest.source_language,
        TranslationRequest.language,
        sa.func.count(sa.distinct(TranslationRequest.user_id)),
        sa.func.count(
            sa.distinct(
                TranslationRequest.kind + ":" + sa.cast(TranslationRequest.item_id, sa.String)
            )
        ),
    ).where(TranslationRequest.fulfilled_at.is_(None))
    if city_ids is not None:
        texts = _texts()
        statement = statement.join(
            texts,
            sa.and_(
                texts.c.kind == TranslationRequest.kind,
                texts.c.item_id == TranslationRequest.item_id,
            ),
        ).where(texts.c.city_id.in_(city_ids))
    statement = statement.group_by(TranslationRequest.source_language, TranslationRequest.language)
    return {
        (source, target): (people, n) for source, target, people, n in db.session.execute(statement)
    }


# Bridging.


def approvals_of(consultation: Consultation) -> tuple[dict[int, dict[str, int]], dict[str, int]]:
    """({proposal: {group: approvals}}, {group: voters}) of a consultation, in two queries.

    Only published proposals count; a supporter who deleted their account still counts once
    (by the voter key their supports keep), in the group recorded with the support."""
    if consultation.voting_method == "budget":
        if consultation.closed_at is None:
            return {}, {}
        counted = (Ballot.consultation_id == consultation.id, Ballot.status == "cast")
        approvals_rows = db.session.execute(
            sa.select(BallotItem.proposal_id, Ballot.language, sa.func.count())
            .join(Ballot, Ballot.id == BallotItem.ballot_id)
            .join(Proposal, Proposal.id == BallotItem.proposal_id)
            .where(*counted, Proposal.status == "published")
            .group_by(BallotItem.proposal_id, Ballot.language)
        ).all()
        voter_rows = db.session.execute(
            sa.select(Ballot.language, sa.func.count()).where(*counted).group_by(Ballot.language)
        ).all()
    else:
        approvals_rows = db.session.execute(
            sa.select(Support.proposal_id, Support.language, sa.func.count())
            .join(Proposal, Proposal.id == Support.proposal_id)
            .where(Support.consultation_id == consultation.id, Proposal.status == "published")
            .group_by(Support.proposal_id, Support.language)
        ).all()
        voter_rows = db.session.execute(
            sa.select(
                Support.language,
                sa.func.count(sa.distinct(Support.user_id))
                + sa.func.count(sa.distinct(Support.voter_key)),
            )
            .where(Support.consultation_id == consultation.id)
            .group_by(Support.language)
        ).all()
    approvals: dict[int, dict[str, int]] = defaultdict(dict)
    for proposal_id, language, n in approvals_rows:
        approvals[proposal_id][language or UNKNOWN] = n
    voters: dict[str, int] = defaultdict(int)
    for language, n in voter_rows:
        voters[language or UNKNOWN] += n
    return dict(approvals), dict(voters)


@dataclass
class BridgingRow:
    proposal: Proposal
    score: float
    groups: int
    approvals: int


def snapshot_figures(consultation: Consultation, minimum: int) -> dict:
    """The figures the result snapshot records: participation by language group (suppressed)
    and the bridging ranking, from recorded values only, so that they can be recomputed."""
    approvals, voters = approvals_of(consultation)
    shown = figures.suppress(voters, minimum)
    ranking = figures.bridging_ranking(approvals, voters)
    return {
        "participation_by_language": {
            "minimum_group_size": minimum,
            "groups": shown.as_dict(),
            "total": shown.total,
        },
        "bridging": [
            {"proposal": pid, "score": round(score, 9), "groups": groups}
            for pid, score, groups in ranking
        ],
    }


# Stored figures: what a page shows, counted once and read by every visit until they age.


@dataclass(frozen=True)
class Stored:
    data: dict
    computed_at: datetime


def max_age() -> timedelta:
    return timedelta(seconds=int(current_app.config.get("OBSERVATORY_MAX_AGE", 900)))


def stored(scope: str, compute: Callable[[], dict], *, now: datetime | None = None) -> Stored:
    """The stored figures of `scope`, counted again (and stored) when missing or older than
    OBSERVATORY_MAX_AGE. One statement when they are fresh."""
    now = now or utcnow()
    row = db.session.execute(
        sa.select(ObservatoryFigures.data, ObservatoryFigures.computed_at).where(
            ObservatoryFigures.scope == scope
        )
    ).first()
    if row is not None and now - row.computed_at <= max_age():
        return Stored(row.data, row.computed_at)
    return store(scope, compute(), now=now)


def store(scope: str, data: dict, *, now: datetime | None = None) -> Stored:
    """Write the figures of `scope` (an upsert: two servers counting at once both succeed, the
    last one's figures stay)."""
    now = now or utcnow()
    insert = (
        postgresql.insert if db.session.get_bind().dialect.name == "postgresql" else sqlite.insert
    )(ObservatoryFigures).values(scope=scope, data=data, computed_at=now)
    db.session.execute(
        insert.on_conflict_do_update(
            index_elements=[ObservatoryFigures.scope],
            set_={"data": insert.excluded.data, "computed_at": insert.excluded.computed_at},
        )
    )
    return Stored(data, now)


def _keyed(counts: dict) -> dict[str, Any]:
    return {str(key): value for key, value in counts.items()}


def _request_rows(city_ids: list[int] | None = None) -> list[list]:
    """`open_requests` as stored: [source, target, people asking, texts] per language pair."""
    return [[s, t, people, n] for (s, t), (people, n) in open_requests(city_ids).items()]


def city_scope(city_id: int) -> str:
    return f"city:{city_id}"


def consultation_scope(consultation_id: int) -> str:
    return f"consultation:{consultation_id}"


def raw_network() -> dict:
    everywhere = sa.true()
    return {
        "participants": _keyed(_totals("city_id", everywhere)),
        "languages": _keyed(_group_counts("city_id", everywhere, "language")),
        "interaction": _interaction_raw("city", everywhere),
        "coverage": {str(city): list(found) for city, found in coverage().items()},
        "requests": _request_rows(),
    }


def raw_city(city_id: int) -> dict:
    in_city = Consultation.city_id == city_id
    return {
        "languages": _group_counts("city_id", in_city, "language").get(city_id, {}),
        "communities": _group_counts("city_id", in_city, "community").get(city_id, {}),
        "participants": _keyed(_totals("consultation_id", in_city)),
        "interaction": _interaction_raw("consultation", in_city),
        "monthly": _interaction_raw("month", in_city),
        "coverage": list(coverage([city_id]).get(city_id, (0, 0))),
        "requests": _request_rows([city_id]),
    }


def raw_consultation(consultation: Consultation, limit: int = 20) -> dict:
    here = Consultation.id == consultation.id
    approvals, voters = approvals_of(consultation)
    ranking = figures.bridging_ranking(approvals, voters)[:limit]
    return {
        "languages": _group_counts("consultation_id", here, "language").get(consultation.id, {}),
        "communities": _group_counts("consultation_id", here, "community").get(consultation.id, {}),
        "interaction": _interaction_raw("consultation", here),
        "monthly": _interaction_raw("month", here),
        "bridging": [
            [pid, score, groups, sum(approvals[pid].values())] for pid, score, groups in ranking
        ],
    }


def refresh_all(now: datetime | None = None) -> int:
    """Count and store the figures of the network, every city and every consultation (for
    `flask observatory refresh`); returns how many pages' figures were stored."""
    store("network", raw_network(), now=now)
    stored_pages = 1
    for city_id in db.session.scalars(sa.select(City.id).order_by(City.id)):
        store(city_scope(city_id), raw_city(city_id), now=now)
        stored_pages += 1
    for consultation in db.session.scalars(sa.select(Consultation).order_by(Consultation.id)):
        store(consultation_scope(consultation.id), raw_consultation(consultation), now=now)
        refresh_bridging(consultation, now=now)
        stored_pages += 1
    return stored_pages


def refresh_bridging(consultation: Consultation, *, now: datetime | None = None) -> bool:
    """Recompute the consultation's cached bridging scores (the proposal list's "supported
    across languages" order) if its supports changed since the last computation; True if it
    recomputed. Run by `flask observatory refresh`, never by a page: it reads every support."""

    now = now or utcnow()
    # What the scores are computed from: the supports, or a closed budget consultation's cast
    # ballots (an open one's ballots are secret until it closes, and score nothing).
    if consultation.voting_method == "budget":
        counted = sa.select(
            sa.func.count(Ballot.id), sa.func.coalesce(sa.func.max(Ballot.id), 0)
        ).where(
            Ballot.consultation_id == consultation.id,
            Ballot.status == "cast",
            sa.literal(consultation.closed_at is not None),
        )
    else:
        counted = sa.select(
            sa.func.count(Support.id), sa.func.coalesce(sa.func.max(Support.id), 0)
        ).where(Support.consultation_id == consultation.id)
    count, last = db.session.execute(counted).one()
    refresh = db.session.get(BridgingRefresh, consultation.id)
    if refresh is not None and (refresh.supports_count, refresh.last_support_id) == (count, last):
        return False
    approvals, voters = approvals_of(consultation)
    scores = figures.bridging_scores(approvals, voters)
    try:
        # Two pages recomputing at once: the second one's rows collide, and it keeps the first's.
        with db.session.begin_nested():
            db.session.execute(
                sa.delete(BridgingScore).where(BridgingScore.consultation_id == consultation.id)
            )
            rows = [
                {
                    "proposal_id": proposal_id,
                    "consultation_id": consultation.id,
                    "score_key": max(1, round(score * 10**12)),
                }
                for proposal_id, score in scores.items()
            ]
            if rows:
                db.session.execute(sa.insert(BridgingScore), rows)
            if refresh is None:
                refresh = BridgingRefresh(consultation_id=consultation.id)
                db.session.add(refresh)
            refresh.supports_count, refresh.last_support_id, refresh.computed_at = count, last, now
    except IntegrityError:
        return False
    return True


def _requests_of(raw: list[list], minimum: int) -> list[tuple[str, str, int, int]]:
    """Language pairs asked for by at least `minimum` people (smaller pairs are left out)."""
    return sorted(
        (
            (source, target, people, texts)
            for source, target, people, texts in raw
            if people >= minimum
        ),
        key=lambda row: (-row[2], row[0], row[1]),
    )


def _bridging_of(raw: list[list]) -> list[BridgingRow]:
    """The stored ranking's proposals that are still published and not hidden by moderation, in
    one query."""
    ids = [row[0] for row in raw]
    proposals = (
        {
            p.id: p
            for p in db.session.scalars(
                sa.select(Proposal).where(
                    Proposal.id.in_(ids),
                    Proposal.status == "published",
                    Proposal.hidden_at.is_(None),
                )
            )
        }
        if ids
        else {}
    )
    return [
        BridgingRow(proposals[pid], score, groups, approvals)
        for pid, score, groups, approvals in raw
        if pid in proposals
    ]


# Pages.


def city_figures(city: City, minimum: int, *, now: datetime | None = None) -> dict:
    """Everything on a city's observatory page (a constant number of queries)."""
    found = stored(city_scope(city.id), lambda: raw_city(city.id), now=now)
    raw = found.data
    consultations = list(
        db.session.scalars(
            sa.select(Consultation)
            .where(Consultation.city_id == city.id)
            .order_by(Consultation.starts_at.desc())
        )
    )
    return {
        "computed_at": found.computed_at,
        "participation": figures.suppress(raw["languages"], minimum),
        "community": figures.suppress(raw["communities"], minimum),
        "population": population_shares([city.id]).get(city.id, {}),
        "consultations": consultations,
        "participants": {
            int(cid): (n if n >= minimum else None) for cid, n in raw["participants"].items()
        },
        "interaction": interaction_of(raw["interaction"], minimum),
        "monthly": interaction_of(raw["monthly"], minimum),
        "coverage": tuple(raw["coverage"]),
        "requests": _requests_of(raw["requests"], minimum),
    }


def consultation_figures(
    consultation: Consultation, minimum: int, *, now: datetime | None = None
) -> dict:
    found = stored(
        consultation_scope(consultation.id), lambda: raw_consultation(consultation), now=now
    )
    raw = found.data
    return {
        "computed_at": found.computed_at,
        "participation": figures.suppress(raw["languages"], minimum),
        "community": figures.suppress(raw["communities"], minimum),
        "population": population_shares([consultation.city_id]).get(consultation.city_id, {}),
        "interaction": interaction_of(raw["interaction"], minimum),
        "monthly": interaction_of(raw["monthly"], minimum),
        "bridging": _bridging_of(raw["bridging"]),
    }


def network_figures(minimum: int, *, now: datetime | None = None) -> dict:
    """The association's overview: one row per city (a constant number of queries)."""
    found = stored("network", raw_network, now=now)
    raw = found.data
    cities = list(db.session.scalars(sa.select(City).order_by(City.name)))
    interactions = {
        (row.owner, row.kind): row for row in interaction_of(raw["interaction"], minimum)
    }
    result = []
    for city in cities:
        key = str(city.id)
        participants = raw["participants"].get(key, 0)
        result.append(
            {
                "city": city,
                "participants": participants if participants >= minimum else None,
                "participation": figures.suppress(raw["languages"].get(key, {}), minimum),
                "comments": interactions.get((city.id, "comments")),
                "supports": interactions.get((city.id, "supports")),
                "coverage": tuple(raw["coverage"].get(key, (0, 0))),
            }
        )
    return {
        "computed_at": found.computed_at,
        "cities": result,
        "requests": _requests_of(raw["requests"], minimum),
    }
