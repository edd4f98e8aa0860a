"""Result snapshots: computed once at close, canonical JSON with a SHA-256 digest, fed back
into the city's step record.

The snapshot also records the observatory's figures (key "observatory"): participation by
language group, suppressed below the minimum group size in force at close (recorded with it),
and the bridging ranking. Both come from values recorded with each support or ballot (the
voter's language then), so `flask results verify` recomputes them exactly. Snapshots taken
before these figures existed are verified without them."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime

import sqlalchemy as sa

from app.audit import services as audit
from app.cities.services import city_today, set_step_status
from app.consultations.models import Consultation
from app.extensions import db
from app.hooks import hooks
from app.notifications.services import notify_response_given, notify_results_published
from app.observatory.figures import suppress
from app.observatory.services import minimum_group_size as configured_minimum
from app.observatory.services import snapshot_figures
from app.pathway.records import append_entry
from app.proposals.models import Proposal
from app.results.budget import budget_payload
from app.results.models import MunicipalResponse, ResultSnapshot
from app.review.rules import candidate_clause
from app.voting.models import Ballot, BallotItem, Support

TIE_BREAKING = "more supports first, then lower proposal id"
# What a published result leads to, once: `published(consultation, snapshot, now=now)` inside the
# transaction that stores the snapshot (projects: the funded proposals become projects).
PUBLISHED_HOOK = "results.published"
# Links the results page offers to the features built on a result: `link(consultation)` gives
# (label, url) or None.
PAGE_LINKS_HOOK = "results.page_links"
# Links the results page's "Check it yourself" offers to what else the snapshot covers:
# `link(consultation, payload)` gives (label, url) or None.
VERIFY_LINKS_HOOK = "results.verify_links"
# More of the consultation the snapshot covers (a questionnaire's figures...): each hook,
# `section(consultation, minimum=...)`, gives (key, dict) or None; nothing is added for None, so
# the snapshot of a consultation without any such part is the same as before.
PAYLOAD_SECTIONS_HOOK = "results.payload_sections"


def canonical_json(payload: dict) -> str:
    """One byte-exact text per payload: sorted keys, no spaces, UTF-8."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def snapshot_of(consultation: Consultation) -> ResultSnapshot | None:
    return db.session.scalar(
        sa.select(ResultSnapshot).where(ResultSnapshot.consultation_id == consultation.id)
    )


def _published_proposals(consultation: Consultation) -> list[Proposal]:
    """The candidates the result counts: the published proposals (with a review phase: those
    the city assessed feasible, app/review/rules.py)."""
    return list(
        db.session.scalars(
            sa.select(Proposal)
            .where(
                Proposal.consultation_id == consultation.id,
                Proposal.status == "published",
                candidate_clause(consultation),
            )
            .order_by(Proposal.id)
        )
    )


def _supports_participation(consultation: Consultation) -> dict:
    # A support whose supporter deleted their account has no user any more but a voter key,
    # the same for all of that person's supports in the consultation: one participant.
    rows = db.session.execute(
        sa.select(
            Support.language,
            sa.func.count(sa.distinct(Support.user_id))
            + sa.func.count(sa.distinct(Support.voter_key)),
        )
        .where(Support.consultation_id == consultation.id)
        .group_by(Support.language)
    ).all()
    by_language = {language or "und": count for language, count in rows}
    return {"participants": sum(by_language.values()), "by_language": by_language}


def _ballots_participation(consultation: Consultation) -> dict:
    rows = db.session.execute(
        sa.select(Ballot.channel, Ballot.language, sa.func.count())
        .where(Ballot.consultation_id == consultation.id, Ballot.status == "cast")
        .group_by(Ballot.channel, Ballot.language)
    ).all()
    by_language: dict[str, int] = {}
    by_channel: dict[str, int] = {}
    for channel, language, count in rows:
        by_language[language or "und"] = by_language.get(language or "und", 0) + count
        by_channel[channel] = by_channel.get(channel, 0) + count
    return {
        "participants": sum(by_channel.values()),
        "by_language": by_language,
        "by_channel": by_channel,
    }


def supports_payload(consultation: Consultation) -> dict:
    proposals = _published_proposals(consultation)
    threshold = consultation.support_threshold or 0
    ranking = sorted(proposals, key=lambda p: (-p.supports_count, p.id))
    return {
        "method": "supports",
        "rule": "supports",
        "tie_breaking": TIE_BREAKING,
        "threshold": threshold,
        "support_limit": consultation.support_limit,
        "ranking": [
            {
                "proposal": p.id,
                "title": p.title,
                "supports": p.supports_count,
                "qualified": p.supports_count >= threshold,
            }
            for p in ranking
        ],
        "winners": [p.id for p in ranking if p.supports_count >= threshold and p.supports_count],
        "participation": _supports_participation(consultation),
    }


def _cast_ballots(consultation: Consultation) -> list[tuple[str, str, dict[int, int]]]:
    """Every cast ballot (online and paper), in ballot id order, as (channel, receipt,
    {proposal id: points}): two queries whatever the number of ballots."""
    heads = {
        ballot_id: (channel, receipt or "")
        for ballot_id, channel, receipt in db.session.execute(
            sa.select(Ballot.id, Ballot.channel, Ballot.receipt)
            .where(Ballot.consultation_id == consultation.id, Ballot.status == "cast")
            .order_by(Ballot.id)
        ).all()
    }
    rows = db.session.execute(
        sa.select(BallotItem.ballot_id, BallotItem.proposal_id, BallotItem.points)
        .join(Ballot, Ballot.id == BallotItem.ballot_id)
        .where(Ballot.consultation_id == consultation.id, Ballot.status == "cast")
        .order_by(BallotItem.ballot_id, BallotItem.proposal_id)
    ).all()
    choices: dict[int, dict[int, int]] = {ballot_id: {} for ballot_id in heads}
    for ballot_id, proposal_id, points in rows:
        choices[ballot_id][proposal_id] = points
    return [(*heads[ballot_id], choice) for ballot_id, choice in choices.items()]


def ballots_of(consultation: Consultation) -> list[dict[int, int]]:
    """Every cast ballot (online and paper) as {proposal id: points}, in ballot id order."""
    return [choice for _channel, _receipt, choice in _cast_ballots(consultation)]


def compute_payload(
    consultation: Consultation,
    closed_at: datetime,
    *,
    minimum_group_size: int | None = None,
    suppress_small_groups: bool = True,
) -> dict:
    if consultation.voting_method == "budget":
        payload = budget_payload(
            consultation, _published_proposals(consultation), ballots_of(consultation)
        )
        payload["participation"] = _ballots_participation(consultation)
    else:
        payload = supports_payload(consultation)
    minimum = minimum_group_size if minimum_group_size is not None else configured_minimum()
    if suppress_small_groups:
        # Languages of fewer than `minimum` participants are not shown, even in the snapshot
        # (it is public): they are gathered as "_other", itself left out below the minimum.
        by_language = payload["participation"]["by_language"]
        payload["participation"]["by_language"] = suppress(by_language, minimum).as_dict()
    payload.update(
        {
            "observatory": snapshot_figures(consultation, minimum),
            "consultation": consultation.id,
            "city": consultation.city.slug,
            "title": consultation.title,
            "closed_at": closed_at.isoformat(),
        }
    )
    for section in hooks(PAYLOAD_SECTIONS_HOOK):
        found = section(consultation, minimum=minimum)
        if found is not None:
            key, value = found
            if key in payload:
                raise RuntimeError(f"result snapshot: the section {key!r} is taken")
            payload[key] = value
    return payload


def publish_results(consultation: Consultation, *, now: datetime) -> ResultSnapshot:
    """Compute the snapshot once, store it, and write it into the city step's record."""
    payload = compute_payload(consultation, consultation.closed_at or now)
    text = canonical_json(payload)
    snapshot = ResultSnapshot(
        consultation_id=consultation.id,
        rule=payload["rule"],
        canonical_json=text,
        digest=sha256(text),
    )
    db.session.add(snapshot)
    db.session.flush()  # the unique constraint refuses a second snapshot
    city_step = consultation.city_step
    append_entry(
        city_step,
        "consultation_result",
        language=consultation.language,
        title=consultation.title,
        data={
            "consultation": consultation.id,
            "rule": payload["rule"],
            "winners": payload["winners"],
            "participants": payload["participation"]["participants"],
            "digest": snapshot.digest,
        },
    )
    if city_step.status == "not_started":
        set_step_status(
            city_step,
            "in_progress",
            city_today(consultation.city, now),
            language=consultation.language,
        )
    # Who closed it (a moderator closing early); None when the dates did (cron or a visit).
    audit.record(
        consultation.closed_by_id,
        "results.published",
        city=consultation.city_id,
        target_type="consultation",
        target_id=consultation.id,
        details={
            "title": consultation.title,
            "rule": payload["rule"],
            "winners": len(payload["winners"]),
            "participants": payload["participation"]["participants"],
            "digest": snapshot.digest,
        },
    )
    # Followers, participants and authors (each with their proposal's outcome) hear it: rows
    # written here, in one statement; e-mails are sent later by `flask notifications send`.
    notify_results_published(consultation, payload, actor_id=consultation.closed_by_id, now=now)
    for published in hooks(PUBLISHED_HOOK):
        published(consultation, snapshot, now=now)
    return snapshot


def verify(consultation: Consultation) -> tuple[bool, str, str]:
    """Recompute the snapshot's payload from the stored data: (matches, stored, recomputed)."""
    snapshot = snapshot_of(consultation)
    if snapshot is None:
        raise LookupError("this consultation has no result snapshot")
    stored = json.loads(snapshot.canonical_json)
    figures = stored.get("observatory")
    recomputed = compute_payload(
        consultation,
        datetime.fromisoformat(stored["closed_at"]),
        minimum_group_size=figures["participation_by_language"]["minimum_group_size"]
        if figures
        else None,
        # Snapshots from before the observatory showed every language group.
        suppress_small_groups=figures is not None,
    )
    if figures is None:
        recomputed.pop("observatory")
    recomputed_digest = sha256(canonical_json(recomputed))
    intact = sha256(snapshot.canonical_json) == snapshot.digest
    return intact and recomputed_digest == snapshot.digest, snapshot.digest, recomputed_digest


# Municipal responses (step 9, "report back").


def responses_progress(consultation_ids: list[int]) -> dict[int, tuple[int, int]]:
    """For each consultation: (proposals with a response, published proposals), in one query."""
    if not consultation_ids:
        return {}
    rows = db.session.execute(
        sa.select(
            Proposal.consultation_id,
            sa.func.count(MunicipalResponse.id),
            sa.func.count(Proposal.id),
        )
        .outerjoin(MunicipalResponse, MunicipalResponse.proposal_id == Proposal.id)
        .where(Proposal.consultation_id.in_(consultation_ids), Proposal.status == "published")
        .group_by(Proposal.consultation_id)
    ).all()
    progress = {cid: (0, 0) for cid in consultation_ids}
    progress.update({cid: (answered, total) for cid, answered, total in rows})
    return progress


def respond(
    proposal: Proposal, *, status: str, body: str, language: str, author, now: datetime
) -> MunicipalResponse:
    """Give or update the city's public answer to a proposal; complete the step when the
    consultation says so and every proposal now has an answer."""
    response = db.session.scalar(
        sa.select(MunicipalResponse).where(MunicipalResponse.proposal_id == proposal.id)
    )
    first = response is None
    previous = None if first else (response.status, response.body, response.language)
    if first:
        response = MunicipalResponse(proposal_id=proposal.id)
        db.session.add(response)
    response.status, response.body, response.language = status, body.strip(), language
    response.author_id = author.id if author else None
    db.session.flush()
    if previous != (response.status, response.body, response.language):
        notify_response_given(
            proposal, status=status, actor_id=author.id if author else None, now=now
        )
        audit.record(
            author,
            "results.response_given" if first else "results.response_changed",
            city=proposal.consultation.city_id,
            target_type="proposal",
            target_id=proposal.id,
            details={
                "title": proposal.title,
                "status": status,
                **({"from": previous[0]} if previous and previous[0] != status else {}),
            },
        )
    consultation = proposal.consultation
    answered, total = responses_progress([consultation.id])[consultation.id]
    city_step = consultation.city_step
    if first:
        append_entry(
            city_step,
            "note",
            language=language,
            author=author,
            title=proposal.title,
            data={
                "response": status,
                "proposal": proposal.id,
                "consultation": consultation.id,
                "responses_given": answered,
                "proposals": total,
            },
        )
    if consultation.completes_step and answered == total and city_step.status != "completed":
        set_step_status(
            city_step,
            "completed",
            city_today(consultation.city, now),
            author=author,
            language=language,
        )
    return response


def anonymised_ballots(consultation: Consultation) -> list[tuple[str, str, list[int]]]:
    """Every counted vote, unlinked from people: (channel, receipt, chosen proposal ids), in a
    fixed order. Budget consultations: the cast ballots, with the receipt code their voter got
    (random, so a voter can find their own ballot and nobody else can tell whose it is);
    supports consultations: each supporter's set of supported proposals, with no receipt."""
    if consultation.voting_method == "budget":
        return [
            (channel, receipt, list(choice))
            for channel, receipt, choice in _cast_ballots(consultation)
        ]
    rows = db.session.execute(
        sa.select(Support.user_id, Support.voter_key, Support.proposal_id)
        .where(Support.consultation_id == consultation.id)
        .order_by(Support.user_id, Support.voter_key, Support.proposal_id)
    ).all()
    by_supporter: dict[int, list[int]] = {}
    unlinked: dict[str, list[int]] = {}  # supports of deleted accounts, by voter key
    for user_id, voter_key, proposal_id in rows:
        if user_id is None:
            unlinked.setdefault(voter_key or f"support-{proposal_id}", []).append(proposal_id)
        else:
            by_supporter.setdefault(user_id, []).append(proposal_id)
    return [("online", "", vote) for vote in [*by_supporter.values(), *unlinked.values()]]
