"""The seeded demo obeys the rules the services enforce for people's requests.

`flask demo-seed` must write through the same services as people do, so every rule below holds in
the demo database as it would after real use. Each rule is one test naming its offenders.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app

from app.accounts.models import Organisation, User
from app.audit.models import AuditEntry
from app.auth.permissions import can_act_for, can_manage_city
from app.cities.models import City
from app.consultations import phases as phase_rules
from app.consultations.models import Consultation
from app.db_types import utcnow
from app.extensions import db
from app.moderation.models import Block
from app.notifications.models import Follow, Notification
from app.pathway.models import CityStep, StepRecordEntry
from app.pathway.services import MANUAL_KINDS
from app.proposals.models import Comment, Proposal
from app.proposals.services import act_window
from app.questionnaires.models import AnswerSet, Questionnaire
from app.results.models import MunicipalResponse, ResultSnapshot
from app.results.services import verify
from app.translations.kinds import KINDS
from app.translations.models import Translation, TranslationRequest
from app.translations.services import may_review
from app.voting.models import Ballot, BallotItem, PaperBatch, Support, SupportQuota
from app.voting.services import minimum_spend


def _consultations() -> list[Consultation]:
    return list(db.session.scalars(sa.select(Consultation).order_by(Consultation.id)))


def _offenders(found: list[str]) -> str:
    return "\n  ".join(["offenders:", *found])


def _within(moment: datetime, window: tuple[datetime, datetime | None] | None) -> bool:
    if window is None:
        return False
    starts, ends = window
    return starts <= moment and (ends is None or moment < ends)


def test_the_demo_has_votes_to_check(demo):
    """The checks below are not vacuous: the demo has supports, cast ballots and drafts, paper
    ballots, closed and open consultations, comments and responses."""
    count = lambda model, *where: db.session.scalar(  # noqa: E731
        sa.select(sa.func.count()).select_from(model).where(*where)
    )
    assert count(Support) > 50
    assert count(Ballot, Ballot.status == "cast", Ballot.channel == "online") > 5
    assert count(Ballot, Ballot.status == "draft") > 0
    assert count(Ballot, Ballot.channel == "paper") > 0
    assert count(Consultation, Consultation.closed_at.is_not(None)) >= 3
    assert count(Consultation, Consultation.closed_at.is_(None)) >= 3
    assert count(Comment) > 20
    assert count(MunicipalResponse) > 3


def test_every_support_has_its_quota_row_within_the_limit(demo):
    given = {
        (consultation_id, user_id): n
        for consultation_id, user_id, n in db.session.execute(
            sa.select(Support.consultation_id, Support.user_id, sa.func.count())
            .where(Support.user_id.is_not(None))
            .group_by(Support.consultation_id, Support.user_id)
        )
    }
    quotas = {
        (q.consultation_id, q.user_id): q.used for q in db.session.scalars(sa.select(SupportQuota))
    }
    limits = {c.id: c.support_limit for c in _consultations()}
    found = []
    for key in sorted(set(given) | set(quotas)):
        consultation_id, user_id = key
        if key not in quotas:
            found.append(f"consultation {consultation_id} user {user_id}: no quota row")
        elif quotas[key] != given.get(key, 0):
            found.append(
                f"consultation {consultation_id} user {user_id}: quota used {quotas[key]}, "
                f"supports {given.get(key, 0)}"
            )
        limit = limits[consultation_id]
        if limit is not None and given.get(key, 0) > limit:
            found.append(
                f"consultation {consultation_id} user {user_id}: {given[key]} supports, "
                f"limit {limit}"
            )
    assert not found, _offenders(found)


def test_each_proposals_supports_count_is_its_supports(demo):
    counted = dict(
        db.session.execute(
            sa.select(Support.proposal_id, sa.func.count()).group_by(Support.proposal_id)
        ).all()
    )
    found = [
        f"proposal {p.id} ({p.title}): supports_count {p.supports_count}, "
        f"supports {counted.get(p.id, 0)}"
        for p in db.session.scalars(sa.select(Proposal).order_by(Proposal.id))
        if p.supports_count != counted.get(p.id, 0)
    ]
    assert not found, _offenders(found)


def test_supports_only_by_the_rules_of_their_consultation(demo):
    """A support is in a supports consultation, for a proposal of that consultation, given while
    supports were open (deliberation or voting) and never after the close."""
    consultations = {c.id: c for c in _consultations()}
    found = []
    for support in db.session.scalars(sa.select(Support).order_by(Support.id)):
        consultation = consultations[support.consultation_id]
        label = f"support {support.id} (consultation {consultation.id}, user {support.user_id})"
        if consultation.voting_method != "supports":
            found.append(f"{label}: the consultation votes by {consultation.voting_method}")
        if support.proposal.consultation_id != consultation.id:
            found.append(f"{label}: proposal {support.proposal_id} is of another consultation")
        if not _within(support.created_at, act_window(consultation, "support")):
            found.append(f"{label}: given at {support.created_at}, outside the supports phases")
        if consultation.closed_at is not None and support.created_at > consultation.closed_at:
            found.append(f"{label}: given after the close at {consultation.closed_at}")
        if support.created_at > utcnow():
            found.append(f"{label}: given in the future")
    assert not found, _offenders(found)


def test_ballots_fit_the_budget_and_are_cast_in_the_voting_phase(demo):
    consultations = {c.id: c for c in _consultations()}
    proposals = {p.id: p for p in db.session.scalars(sa.select(Proposal))}
    found = []
    for ballot in db.session.scalars(sa.select(Ballot).order_by(Ballot.id)):
        consultation = consultations[ballot.consultation_id]
        label = f"ballot {ballot.id} (consultation {consultation.id}, {ballot.status})"
        if consultation.voting_method != "budget":
            found.append(f"{label}: the consultation votes by {consultation.voting_method}")
            continue
        chosen = [proposals[item.proposal_id] for item in ballot.items]
        if any(p.consultation_id != consultation.id for p in chosen):
            found.append(f"{label}: a proposal of another consultation")
        total = sum(p.cost or 0 for p in chosen)
        if ballot.total_cost != total:
            found.append(f"{label}: total_cost {ballot.total_cost}, its items cost {total}")
        if total > (consultation.budget_amount or 0):
            found.append(f"{label}: costs {total}, budget {consultation.budget_amount}")
        if ballot.status == "draft":
            if ballot.cast_at is not None or ballot.receipt is not None:
                found.append(f"{label}: a draft with a cast time or a receipt")
            continue
        if not chosen:
            found.append(f"{label}: cast empty")
        if total < minimum_spend(consultation):
            found.append(f"{label}: costs {total}, minimum {minimum_spend(consultation)}")
        if ballot.cast_at is None or not ballot.receipt:
            found.append(f"{label}: cast without a cast time or a receipt")
            continue
        if not _within(ballot.cast_at, act_window(consultation, "ballot")):
            found.append(f"{label}: cast at {ballot.cast_at}, outside the voting phase")
        if consultation.closed_at is not None and ballot.cast_at > consultation.closed_at:
            found.append(f"{label}: cast after the close at {consultation.closed_at}")
        if ballot.channel == "paper" and (ballot.user_id is not None or not ballot.paper_batch_id):
            found.append(f"{label}: a paper ballot with a voter or without its batch")
    assert not found, _offenders(found)


def test_paper_batches_count_their_ballots(demo):
    counted = dict(
        db.session.execute(
            sa.select(Ballot.paper_batch_id, sa.func.count())
            .where(Ballot.paper_batch_id.is_not(None))
            .group_by(Ballot.paper_batch_id)
        ).all()
    )
    found = []
    for batch in db.session.scalars(sa.select(PaperBatch).order_by(PaperBatch.id)):
        if batch.ballots_count != counted.get(batch.id, 0):
            found.append(
                f"batch {batch.id}: says {batch.ballots_count} ballots, has "
                f"{counted.get(batch.id, 0)}"
            )
        others = db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Ballot)
            .where(
                Ballot.paper_batch_id == batch.id, Ballot.consultation_id != batch.consultation_id
            )
        )
        if others:
            found.append(f"batch {batch.id}: ballots of another consultation")
    assert not found, _offenders(found)


def _result_entries() -> dict[int, list[StepRecordEntry]]:
    by_consultation: dict[int, list[StepRecordEntry]] = defaultdict(list)
    for entry in db.session.scalars(
        sa.select(StepRecordEntry).where(StepRecordEntry.kind == "consultation_result")
    ):
        by_consultation[(entry.data or {}).get("consultation")].append(entry)
    return by_consultation


def test_closed_consultations_have_one_verified_result_in_their_step_record(demo):
    snapshots = Counter(db.session.scalars(sa.select(ResultSnapshot.consultation_id)))
    entries = _result_entries()
    now = utcnow()
    found = []
    for consultation in _consultations():
        label = f"consultation {consultation.id} ({consultation.title})"
        due = phase_rules.is_due_to_close(consultation.windows, now)
        if consultation.closed_at is None:
            if due:
                found.append(f"{label}: its voting ended but it is not closed")
            if snapshots[consultation.id] or entries.get(consultation.id):
                found.append(f"{label}: open, yet it has a result")
            continue
        if snapshots[consultation.id] != 1:
            found.append(f"{label}: {snapshots[consultation.id]} result snapshots")
            continue
        intact, stored, recomputed = verify(consultation)
        if not intact:
            found.append(f"{label}: the snapshot {stored} does not verify ({recomputed})")
        snapshot = db.session.scalar(
            sa.select(ResultSnapshot).where(ResultSnapshot.consultation_id == consultation.id)
        )
        recorded = entries.get(consultation.id, [])
        if len(recorded) != 1:
            found.append(f"{label}: {len(recorded)} consultation_result entries")
        elif recorded[0].city_step_id != consultation.city_step_id:
            found.append(f"{label}: its result is in another step's record")
        elif recorded[0].data.get("digest") != snapshot.digest:
            found.append(f"{label}: the record's digest is not the snapshot's")
        payload = json.loads(snapshot.canonical_json)
        if payload["closed_at"] != consultation.closed_at.isoformat():
            found.append(f"{label}: the snapshot was not computed at the close")
    assert not found, _offenders(found)


def test_city_step_statuses_agree_with_their_records(demo):
    entries = _result_entries()
    with_result = {e.city_step_id for found in entries.values() for e in found}
    latest_change: dict[int, StepRecordEntry] = {}
    for entry in db.session.scalars(
        sa.select(StepRecordEntry)
        .where(StepRecordEntry.kind == "status_change")
        .order_by(StepRecordEntry.created_at, StepRecordEntry.id)
    ):
        latest_change[entry.city_step_id] = entry
    found = []
    for step in db.session.scalars(sa.select(CityStep).order_by(CityStep.id)):
        label = f"city step {step.id} (city {step.city_id}, step {step.step.key}, {step.status})"
        if step.id in with_result and step.status == "not_started":
            found.append(f"{label}: has a consultation result but is not started")
        if step.status == "not_started" and (step.started_on or step.completed_on):
            found.append(f"{label}: not started, yet dated")
        if step.status == "in_progress" and (step.started_on is None or step.completed_on):
            found.append(f"{label}: in progress without a start or with an end")
        if step.status == "completed" and (step.started_on is None or step.completed_on is None):
            found.append(f"{label}: completed without its dates")
        if step.started_on and step.completed_on and step.completed_on < step.started_on:
            found.append(f"{label}: completed before it started")
        change = latest_change.get(step.id)
        if change is not None and change.data.get("to") != step.status:
            found.append(f"{label}: its record last says {change.data.get('to')}")
    assert not found, _offenders(found)


def test_a_step_completed_by_its_consultation_has_every_response(demo):
    """respond() completes the step of a consultation that completes its step once every
    proposal is answered: the demo's answers went through it."""
    found = []
    for consultation in _consultations():
        if not consultation.completes_step or consultation.closed_at is None:
            continue
        published = db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Proposal)
            .where(Proposal.consultation_id == consultation.id, Proposal.status == "published")
        )
        answered = db.session.scalar(
            sa.select(sa.func.count())
            .select_from(MunicipalResponse)
            .join(Proposal, Proposal.id == MunicipalResponse.proposal_id)
            .where(Proposal.consultation_id == consultation.id, Proposal.status == "published")
        )
        if published and answered == published and consultation.city_step.status != "completed":
            found.append(f"consultation {consultation.id}: all answered, step not completed")
    assert not found, _offenders(found)


def test_proposals_belong_where_they_were_posted(demo):
    found = []
    counts = Counter(
        db.session.scalars(
            sa.select(Proposal.consultation_id).where(Proposal.status == "published")
        )
    )
    for consultation in _consultations():
        label = f"consultation {consultation.id}"
        if consultation.city_step.city_id != consultation.city_id:
            found.append(f"{label}: its step is another city's")
        if consultation.proposals_count != counts[consultation.id]:
            found.append(
                f"{label}: proposals_count {consultation.proposals_count}, "
                f"published proposals {counts[consultation.id]}"
            )
    for proposal in db.session.scalars(sa.select(Proposal).order_by(Proposal.id)):
        consultation = proposal.consultation
        label = f"proposal {proposal.id} ({proposal.title})"
        if proposal.external_id is None and not _within(
            proposal.created_at, act_window(consultation, "propose")
        ):
            found.append(f"{label}: posted at {proposal.created_at}, outside the proposals phase")
        if consultation.voting_method == "budget" and (
            proposal.cost is None or proposal.cost > (consultation.budget_amount or 0)
        ):
            found.append(f"{label}: cost {proposal.cost} outside the budget")
        if consultation.voting_method != "budget" and proposal.cost is not None:
            found.append(f"{label}: a cost in a consultation without a budget")
        if proposal.organisation_id is not None:
            organisation = db.session.get(Organisation, proposal.organisation_id)
            if proposal.author is None or not can_act_for(proposal.author, organisation):
                found.append(f"{label}: posted for an organisation its author is not in")
    assert not found, _offenders(found)


def test_comments_are_threaded_within_their_proposal_while_comments_are_open(demo):
    comments = {c.id: c for c in db.session.scalars(sa.select(Comment).order_by(Comment.id))}
    by_alignment = Counter((c.proposal_id, c.alignment) for c in comments.values())
    found = []
    for comment in comments.values():
        label = f"comment {comment.id} (proposal {comment.proposal_id})"
        if comment.parent_id is not None:
            parent = comments.get(comment.parent_id)
            if parent is None or parent.proposal_id != comment.proposal_id:
                found.append(f"{label}: its parent is on another proposal")
            elif comment.depth != parent.depth + 1:
                found.append(f"{label}: depth {comment.depth} under depth {parent.depth}")
            elif comment.created_at < parent.created_at:
                found.append(f"{label}: written before the comment it answers")
        elif comment.depth != 0:
            found.append(f"{label}: a first-level comment at depth {comment.depth}")
        consultation = comment.proposal.consultation
        if not _within(comment.created_at, act_window(consultation, "comment")):
            found.append(f"{label}: written at {comment.created_at}, outside the comment phases")
        if comment.created_at < comment.proposal.created_at:
            found.append(f"{label}: written before its proposal")
    for proposal in db.session.scalars(sa.select(Proposal).order_by(Proposal.id)):
        for alignment in ("for", "against", "neutral"):
            stored = getattr(proposal, f"comments_{alignment}")
            if stored != by_alignment[(proposal.id, alignment)]:
                found.append(
                    f"proposal {proposal.id}: comments_{alignment} {stored}, "
                    f"comments {by_alignment[(proposal.id, alignment)]}"
                )
    assert not found, _offenders(found)


def test_comments_notify_the_proposals_author(demo):
    """add_comment notifies the proposal's author (and the author of the comment answered)."""
    notified = set(
        db.session.execute(
            sa.select(Notification.comment_id, Notification.user_id).where(
                Notification.kind == "comment_posted"
            )
        ).all()
    )
    found = []
    for comment in db.session.scalars(sa.select(Comment).order_by(Comment.id)):
        readers = {comment.proposal.author_id}
        if comment.parent_id is not None:
            readers.add(comment.parent.author_id)
        for reader in readers - {None, comment.author_id}:
            if (comment.id, reader) not in notified:
                found.append(f"comment {comment.id}: user {reader} was not notified")
    assert not found, _offenders(found)


def test_notifications_and_follows_point_at_existing_rows(demo):
    users = set(db.session.scalars(sa.select(User.id)))
    consultations = set(db.session.scalars(sa.select(Consultation.id)))
    proposals = set(db.session.scalars(sa.select(Proposal.id)))
    comments = set(db.session.scalars(sa.select(Comment.id)))
    found = []
    for follow in db.session.scalars(sa.select(Follow).order_by(Follow.id)):
        if follow.user_id not in users:
            found.append(f"follow {follow.id}: no user {follow.user_id}")
        if (follow.consultation_id is None) == (follow.proposal_id is None):
            found.append(f"follow {follow.id}: follows not exactly one thing")
        if follow.consultation_id is not None and follow.consultation_id not in consultations:
            found.append(f"follow {follow.id}: no consultation {follow.consultation_id}")
        if follow.proposal_id is not None and follow.proposal_id not in proposals:
            found.append(f"follow {follow.id}: no proposal {follow.proposal_id}")
    for note in db.session.scalars(sa.select(Notification).order_by(Notification.id)):
        label = f"notification {note.id} ({note.kind})"
        if note.user_id not in users or note.user_id == note.actor_id:
            found.append(f"{label}: to no one, or to the person who acted")
        for name, ids in (
            ("consultation", consultations),
            ("proposal", proposals),
            ("comment", comments),
            ("actor", users),
        ):
            value = getattr(note, f"{name}_id")
            if value is not None and value not in ids:
                found.append(f"{label}: no {name} {value}")
    assert not found, _offenders(found)


def test_proposal_authors_follow_their_proposals(demo):
    """create_proposal makes the author follow the proposal (so they hear of comments)."""
    following = set(
        db.session.execute(
            sa.select(Follow.user_id, Follow.proposal_id).where(Follow.proposal_id.is_not(None))
        ).all()
    )
    found = [
        f"proposal {p.id} ({p.title}): its author {p.author_id} does not follow it"
        for p in db.session.scalars(
            sa.select(Proposal).where(Proposal.author_id.is_not(None)).order_by(Proposal.id)
        )
        if (p.author_id, p.id) not in following
    ]
    assert not found, _offenders(found)


def test_municipal_responses_only_after_the_close_by_the_citys_moderators(demo):
    """The response page accepts answers once the consultation is closed, from the city's
    moderators (or the association admin); respond() notes the first answer in the record."""
    notes = {
        (entry.data or {}).get("proposal")
        for entry in db.session.scalars(
            sa.select(StepRecordEntry).where(StepRecordEntry.kind == "note")
        )
        if (entry.data or {}).get("response")
    }
    found = []
    for response in db.session.scalars(sa.select(MunicipalResponse).order_by(MunicipalResponse.id)):
        consultation = response.proposal.consultation
        label = f"response {response.id} (proposal {response.proposal_id})"
        if consultation.closed_at is None:
            found.append(f"{label}: the consultation is not closed")
        elif response.created_at < consultation.closed_at:
            found.append(f"{label}: given before the close")
        city = db.session.get(City, consultation.city_id)
        if response.author is None or not can_manage_city(response.author, city):
            found.append(f"{label}: not by a moderator of {city.slug}")
        if response.proposal_id not in notes:
            found.append(f"{label}: not noted in the step's record")
    assert not found, _offenders(found)


def test_ballot_items_are_unique_and_counted_once(demo):
    """One item per proposal and ballot, one ballot per voter and consultation (the database
    says so; the seed must not have worked around it with a second ballot row)."""
    items = Counter(
        db.session.execute(sa.select(BallotItem.ballot_id, BallotItem.proposal_id)).all()
    )
    voters = Counter(
        db.session.execute(
            sa.select(Ballot.consultation_id, Ballot.user_id).where(Ballot.user_id.is_not(None))
        ).all()
    )
    found = [f"ballot item {key} {n} times" for key, n in items.items() if n > 1]
    found += [f"voter {key} has {n} ballots" for key, n in voters.items() if n > 1]
    assert not found, _offenders(found)


def test_record_entries_written_by_hand_are_as_the_record_page_writes_them(demo):
    """Notes, decisions and evidence typed by people: evidence has a link or a file, and a
    correction corrects an earlier entry of the same record."""
    entries = {e.id: e for e in db.session.scalars(sa.select(StepRecordEntry))}
    found = []
    for entry in sorted(entries.values(), key=lambda e: e.id):
        if entry.kind not in MANUAL_KINDS:
            continue
        label = f"entry {entry.id} ({entry.kind}, {entry.title})"
        if entry.kind == "evidence" and not (entry.link_url or entry.file_reference):
            found.append(f"{label}: evidence without a link or a file")
        if entry.corrects_id is not None:
            corrected = entries.get(entry.corrects_id)
            if corrected is None or corrected.city_step_id != entry.city_step_id:
                found.append(f"{label}: corrects an entry of another record")
            elif corrected.created_at > entry.created_at:
                found.append(f"{label}: corrects an entry written after it")
    assert not found, _offenders(found)


def _status_changes() -> dict[int, list[StepRecordEntry]]:
    """Each city step's status changes, in the order they are dated."""
    changes: dict[int, list[StepRecordEntry]] = defaultdict(list)
    for entry in db.session.scalars(
        sa.select(StepRecordEntry)
        .where(StepRecordEntry.kind == "status_change")
        .order_by(StepRecordEntry.created_at, StepRecordEntry.id)
    ):
        changes[entry.city_step_id].append(entry)
    return changes


def test_every_step_status_was_changed_as_a_moderator_changes_it(demo):
    """set_step_status notes each change in the step's record: a step that is not 'not started'
    has changes from 'not_started' that lead, one after the other, to its status; each change
    is dated on the day the step's dates say (the start, or the completion)."""
    changes = _status_changes()
    found = []
    for step in db.session.scalars(sa.select(CityStep).order_by(CityStep.id)):
        label = f"city step {step.id} (city {step.city_id}, step {step.step.key}, {step.status})"
        chain = changes.get(step.id, [])
        if step.status == "not_started" and not chain:
            continue
        if not chain:
            found.append(f"{label}: no status_change entry in its record")
            continue
        status = "not_started"
        for entry in chain:
            if entry.data.get("from") != status:
                found.append(
                    f"{label}: entry {entry.id} changes from {entry.data.get('from')}, "
                    f"the step was {status}"
                )
            status = entry.data.get("to")
        if status != step.status:
            found.append(f"{label}: its record's changes lead to {status}")
        zone = ZoneInfo(step.city.timezone)
        started = [e for e in chain if e.data.get("to") == "in_progress"]
        if (
            step.started_on
            and started
            and started[0].created_at.astimezone(zone).date() != (step.started_on)
        ):
            found.append(
                f"{label}: started on {step.started_on}, record says {started[0].created_at}"
            )
        done = [e for e in chain if e.data.get("to") == "completed"]
        if (
            step.completed_on
            and done
            and done[-1].created_at.astimezone(zone).date() != (step.completed_on)
        ):
            found.append(
                f"{label}: completed on {step.completed_on}, record says {done[-1].created_at}"
            )
    assert not found, _offenders(found)


def test_record_entries_are_dated_in_the_past_and_after_their_step_started(demo):
    """No entry is dated in the future, and none before the first change of its step's status
    (nothing is recorded of a step that had not started)."""
    now = utcnow()
    first_change = {
        step_id: chain[0].created_at for step_id, chain in _status_changes().items() if chain
    }
    found = []
    for entry in db.session.scalars(sa.select(StepRecordEntry).order_by(StepRecordEntry.id)):
        label = f"entry {entry.id} ({entry.kind}, city step {entry.city_step_id})"
        if entry.created_at > now:
            found.append(f"{label}: dated {entry.created_at}, in the future")
        started = first_change.get(entry.city_step_id)
        if started is None:
            found.append(f"{label}: in the record of a step that never started")
        elif entry.created_at < started:
            found.append(f"{label}: dated {entry.created_at}, before the step started {started}")
    assert not found, _offenders(found)


def test_every_consultation_was_created_through_the_service(demo):
    """save_consultation writes the `consultations.created` audit line, by the person it
    records as the creator, a moderator of the city."""
    created = {
        entry.target_id: entry
        for entry in db.session.scalars(
            sa.select(AuditEntry).where(
                AuditEntry.action == "consultations.created",
                AuditEntry.target_type == "consultation",
            )
        )
    }
    found = []
    for consultation in _consultations():
        label = f"consultation {consultation.id} ({consultation.title})"
        entry = created.get(consultation.id)
        if entry is None:
            found.append(f"{label}: no consultations.created audit entry")
            continue
        if entry.actor_id is None or entry.actor_id != consultation.created_by_id:
            found.append(
                f"{label}: created by {consultation.created_by_id}, audit says {entry.actor_id}"
            )
            continue
        author = db.session.get(User, entry.actor_id)
        if not can_manage_city(author, db.session.get(City, consultation.city_id)):
            found.append(f"{label}: created by {author.email}, not a moderator of its city")
    assert not found, _offenders(found)


def test_translations_were_published_and_reviewed_through_the_service(demo):
    """translate() publishes at once only for who may (the text's author, a moderator of its
    city, the association admin, or a translator approved often enough before); approve()
    and reject() record the reviewer in the audit log; one published version per language."""
    reviews = {
        (entry.target_id, entry.action): entry
        for entry in db.session.scalars(
            sa.select(AuditEntry).where(
                AuditEntry.action.in_(("translations.approved", "translations.rejected")),
                AuditEntry.target_type == "translation",
            )
        )
    }
    translations = list(
        db.session.scalars(
            sa.select(Translation)
            .where(Translation.origin == "human")
            .order_by(Translation.created_at, Translation.id)
        )
    )
    trust_after = current_app.config.get("TRANSLATOR_TRUST_AFTER", 3)
    published = Counter()
    found = []
    for translation in translations:
        label = (
            f"translation {translation.id} ({translation.kind} {translation.item_id} "
            f"→ {translation.language} v{translation.version}, {translation.status})"
        )
        kind = KINDS[translation.kind]
        item = db.session.get(kind.model, translation.item_id)
        if translation.status == "published":
            published[(translation.kind, translation.item_id, translation.language)] += 1
        if translation.status == "pending":
            if translation.reviewed_by_id or translation.reviewed_at:
                found.append(f"{label}: pending, yet reviewed")
            continue
        if translation.reviewed_by_id is not None:
            action = (
                "translations.rejected"
                if translation.status == "rejected"
                else "translations.approved"
            )
            review = reviews.get((translation.id, action))
            if review is None or review.actor_id != translation.reviewed_by_id:
                found.append(f"{label}: reviewed by {translation.reviewed_by_id}, no {action}")
            if translation.reviewed_at < translation.created_at:
                found.append(f"{label}: reviewed before it was written")
            continue
        translator = translation.translator
        approved_before = sum(
            1
            for other in translations
            if other.translator_id == translation.translator_id
            and other.reviewed_at is not None
            and other.reviewed_at <= translation.created_at
            and other.status in ("published", "superseded")
        )
        if translator is None or not (
            may_review(translator, kind, item) or approved_before >= trust_after
        ):
            found.append(f"{label}: published without review by a translator who may not")
    found += [f"{key}: {n} published versions by people" for key, n in published.items() if n > 1]
    assert not found, _offenders(found)


def test_translation_requests_are_fulfilled_by_publishing(demo):
    """Publishing a translation fulfils the open requests for its language and tells the
    readers who asked; a request is never open for a text already translated by a person."""
    by_text = defaultdict(list)
    for translation in db.session.scalars(
        sa.select(Translation).where(
            Translation.origin == "human",
            Translation.status.in_(("published", "superseded")),
        )
    ):
        by_text[(translation.kind, translation.item_id, translation.language)].append(translation)
    told = set(
        db.session.execute(
            sa.select(Notification.user_id, Notification.created_at).where(
                Notification.kind == "translation_published"
            )
        ).all()
    )
    found = []
    for request in db.session.scalars(
        sa.select(TranslationRequest).order_by(TranslationRequest.id)
    ):
        label = (
            f"request {request.id} ({request.kind} {request.item_id} → {request.language}, "
            f"user {request.user_id})"
        )
        versions = by_text.get((request.kind, request.item_id, request.language), [])
        current = [t for t in versions if t.status == "published" and t.hidden_at is None]
        if request.fulfilled_at is None:
            if current:
                found.append(f"{label}: open, yet translation {current[0].id} is published")
            continue
        if request.fulfilled_at < request.created_at:
            found.append(f"{label}: fulfilled before it was asked")
        if not versions:
            found.append(f"{label}: fulfilled with no translation by a person")
        if (request.user_id, request.fulfilled_at) not in told:
            found.append(f"{label}: its reader was not told of the translation")
    assert not found, _offenders(found)


def test_demo_calendars_keep_office_hours_in_each_city(demo):
    """Phases open and close when a city would set them (its own time: a phase opens at 09:00
    and closes at 18:00, voting closes at 23:59, when the results are out), never at the
    second the seed ran."""
    found = []
    for consultation in _consultations():
        zone = ZoneInfo(consultation.city.timezone)
        for phase in consultation.phases:
            local_start = phase.starts_at.astimezone(zone)
            if local_start.time().isoformat() not in ("09:00:00", "23:59:00"):
                found.append(f"{consultation.title} {phase.kind} opens at {local_start}")
            if phase.ends_at is not None:
                local_end = phase.ends_at.astimezone(zone)
                expected = "23:59:00" if phase.kind == "voting" else "18:00:00"
                if consultation.closed_at is None and local_end.time().isoformat() != expected:
                    found.append(f"{consultation.title} {phase.kind} closes at {local_end}")
    for block in db.session.scalars(sa.select(Block).where(Block.ends_at.is_not(None))):
        local_end = block.ends_at.astimezone(ZoneInfo(block.city.timezone if block.city else "UTC"))
        if local_end.time().isoformat() != "23:59:00":
            found.append(f"block {block.id} ends at {local_end}")
    assert not found, _offenders(found)


def test_questionnaire_answers_are_dated_inside_their_answering_phase(demo):
    """An answer set and each of its answers were written while the questionnaire took answers
    (its phase's window), before the consultation closed; the demo has answers to check."""
    rows = db.session.execute(
        sa.select(AnswerSet, Questionnaire, Consultation)
        .join(Questionnaire, Questionnaire.id == AnswerSet.questionnaire_id)
        .join(Consultation, Consultation.id == Questionnaire.consultation_id)
        .order_by(AnswerSet.id)
    ).all()
    assert len(rows) >= 20
    found = []
    for answer_set, questionnaire, consultation in rows:
        window = next(
            (
                (p.starts_at, p.ends_at)
                for p in consultation.phases
                if p.kind == questionnaire.answered_during
            ),
            None,
        )
        label = f"answer set {answer_set.id} ({consultation.title})"
        moments = [answer_set.created_at, answer_set.updated_at] + [
            answer.created_at for answer in answer_set.answers
        ]
        if not all(_within(moment, window) for moment in moments):
            found.append(f"{label}: written outside {questionnaire.answered_during} {window}")
        if consultation.closed_at is not None and max(moments) > consultation.closed_at:
            found.append(f"{label}: written after the close")
    assert not found, _offenders(found)
