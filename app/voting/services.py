"""Supports, budget ballots (online) and paper ballots: the operations.

Plain functions that flush and never commit (the request commits once). The rules that must hold
when one person sends many requests at once are left to the database:

- supports: a per-user quota row incremented by a conditional UPDATE (`used < limit`), a unique
  (proposal, user) support, and the proposal's counter changed in the same transaction;
- ballots: a unique (consultation, user) ballot, its row locked (`FOR UPDATE`) before it changes,
  so two simultaneous casts give one cast ballot and one receipt;
- a close never races a vote: every act that changes what the result counts takes the
  consultation's row lock (shared) and checks the phase after it (see
  `app.consultations.services.lock`); the close takes it exclusively.

Refusals raise `VotingError` with messages in the reader's locale; nothing is written then.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_CEILING, Decimal

import sqlalchemy as sa
from flask import abort
from flask_babel import format_currency, ngettext
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from app.accounts.models import User
from app.auth.permissions import can_manage_city
from app.cities.history import record_city_change
from app.consultations.models import Consultation
from app.consultations.services import Permission, lock, may
from app.db_types import utcnow
from app.extensions import db
from app.moderation.services import blocked_message
from app.numbers import CENT, ascii_digits
from app.proposals.models import Proposal
from app.review import rules as review_rules
from app.review.models import ProposalAssessment
from app.voting.models import Ballot, BallotItem, PaperBatch, Support, SupportQuota

# A paper batch is typed in by a person: a session's worth of ballots, not a data import.
MAX_PAPER_LINES = 5000


class VotingError(Exception):
    """An act refused, with the reasons worded for the reader."""

    def __init__(self, *messages: str, reason: str | None = None) -> None:
        super().__init__(" ".join(messages))
        self.messages = list(messages)
        self.reason = reason


class AlreadyCast(VotingError):
    """The ballot is cast already: show its receipt rather than an error."""

    def __init__(self, ballot: Ballot) -> None:
        super().__init__(_("Your ballot is already cast."))
        self.ballot = ballot


def writing_language(user: User) -> str:
    codes = user.content_language_codes
    return codes[0] if codes else ""


def refusal_message(permission: Permission, consultation: Consultation, act: str) -> str:
    """Why `act` is refused, in the reader's words."""
    reason = permission.reason
    if reason == "blocked" and getattr(permission, "block", None) is not None:
        return blocked_message(permission.block)
    if reason == "sign_in":
        return _("Log in to take part.")
    if reason == "confirm_email":
        return _("Confirm your e-mail address to take part.")
    if reason == "not_resident":
        return _(
            "This consultation is open to confirmed residents of %(city)s. Ask the municipality "
            "to confirm your account.",
            city=consultation.city.name,
        )
    if act == "support":
        if consultation.voting_method != "supports":
            return _("This consultation does not use supports.")
        return _("Supports are not open in this phase of the consultation.")
    if consultation.voting_method != "budget":
        return _("This consultation has no budget ballot.")
    return _("Voting is not open in this phase of the consultation.")


def _require(user: User, consultation: Consultation, act: str, now: datetime | None) -> datetime:
    """Take the consultation's lock (shared), then check the act is allowed now; the time of the
    act is read after the lock, so it never comes after a close that counted it."""
    lock(consultation)
    now = now or utcnow()
    permission = may(user, consultation, act, now)
    if not permission:
        raise VotingError(refusal_message(permission, consultation, act), reason=permission.reason)
    return now


def money(amount: Decimal | int, consultation: Consultation) -> str:
    return format_currency(amount, consultation.currency)


# Supports


def supported_ids(consultation: Consultation, user: User | None, proposal_ids) -> set[int]:
    """Which of these proposals the user supports (one query, whatever their number)."""
    ids = list(proposal_ids)
    if user is None or not getattr(user, "is_authenticated", False) or not ids:
        return set()
    return set(
        db.session.scalars(
            sa.select(Support.proposal_id).where(
                Support.user_id == user.id, Support.proposal_id.in_(ids)
            )
        )
    )


def supports_used(consultation: Consultation, user: User | None) -> int:
    if user is None or not getattr(user, "is_authenticated", False):
        return 0
    used = db.session.scalar(
        sa.select(SupportQuota.used).where(
            SupportQuota.consultation_id == consultation.id, SupportQuota.user_id == user.id
        )
    )
    return used or 0


def _ensure_quota(consultation: Consultation, user: User) -> None:
    """The user's quota row exists (created at most once, even by simultaneous requests)."""
    exists = db.session.scalar(
        sa.select(SupportQuota.id).where(
            SupportQuota.consultation_id == consultation.id, SupportQuota.user_id == user.id
        )
    )
    if exists is not None:
        return
    try:
        with db.session.begin_nested():
            db.session.add(SupportQuota(consultation_id=consultation.id, user_id=user.id, used=0))
            db.session.flush()
    except IntegrityError:
        # Another request of the same user created it first: theirs is as good as ours.
        pass


def support(proposal: Proposal, user: User, *, now: datetime | None = None) -> Support:
    """Support a proposal, within the user's limit (flushes)."""
    consultation = proposal.consultation
    now = _require(user, consultation, "support", now)
    if proposal.status == "merged":
        raise VotingError(_("This proposal was merged into another one: support that one instead."))
    if proposal.status != "published":
        raise VotingError(_("This proposal is withdrawn: it can no longer be supported."))
    if proposal.hidden_at is not None:
        raise VotingError(_("This proposal is hidden by moderation: it cannot be supported."))
    if review_rules.review_began(consultation, now):
        reason = review_rules.refusal(proposal, _assessment(proposal.id))
        if reason is not None:
            raise VotingError(_REVIEW_REFUSALS[reason](proposal.id), reason=reason)
    already = db.session.scalar(
        sa.select(Support.id).where(Support.proposal_id == proposal.id, Support.user_id == user.id)
    )
    if already is not None:
        raise VotingError(_("You already support this proposal."))
    _ensure_quota(consultation, user)
    limit = consultation.support_limit
    try:
        with db.session.begin_nested():
            # The conditional UPDATE is the lock: the quota row serialises the user's requests,
            # and `used < limit` is checked against the latest committed value.
            taken = db.session.execute(
                sa.update(SupportQuota)
                .where(
                    SupportQuota.consultation_id == consultation.id,
                    SupportQuota.user_id == user.id,
                    SupportQuota.used < limit if limit is not None else sa.true(),
                )
                .values(used=SupportQuota.used + 1)
                .execution_options(synchronize_session=False)
            ).rowcount
            if taken != 1:
                raise VotingError(
                    ngettext(
                        "You have used your %(num)s support: withdraw one to support another "
                        "proposal.",
                        "You have used your %(num)s supports: withdraw one to support another "
                        "proposal.",
                        limit or 0,
                    ),
                    reason="limit",
                )
            given = Support(
                consultation_id=consultation.id,
                proposal_id=proposal.id,
                user_id=user.id,
                language=writing_language(user),
                created_at=now,
            )
            db.session.add(given)
            db.session.flush()
            db.session.execute(
                sa.update(Proposal)
                .where(Proposal.id == proposal.id)
                .values(supports_count=Proposal.supports_count + 1)
                .execution_options(synchronize_session=False)
            )
    except IntegrityError as error:
        # The same support sent twice at once: the unique constraint kept one.
        raise VotingError(_("You already support this proposal.")) from error
    db.session.expire(proposal, ["supports_count"])
    return given


def withdraw_support(proposal: Proposal, user: User, *, now: datetime | None = None) -> bool:
    """Withdraw the user's support; False if there was none (flushes)."""
    consultation = proposal.consultation
    _require(user, consultation, "support", now)
    removed = db.session.execute(
        sa.delete(Support)
        .where(Support.proposal_id == proposal.id, Support.user_id == user.id)
        .execution_options(synchronize_session=False)
    ).rowcount
    if removed != 1:
        return False
    db.session.execute(
        sa.update(SupportQuota)
        .where(
            SupportQuota.consultation_id == consultation.id,
            SupportQuota.user_id == user.id,
            SupportQuota.used > 0,
        )
        .values(used=SupportQuota.used - 1)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        sa.update(Proposal)
        .where(Proposal.id == proposal.id, Proposal.supports_count > 0)
        .values(supports_count=Proposal.supports_count - 1)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(proposal, ["supports_count"])
    return True


# Budget ballots: the choice and its checks


@dataclass
class Choice:
    """A set of proposals as a voter picked them, with what it costs and what is wrong with it."""

    proposals: list[Proposal]
    total: Decimal
    problems: list[str] = field(default_factory=list)

    @property
    def ids(self) -> list[int]:
        return [p.id for p in self.proposals]


def _assessment(proposal_id: int) -> ProposalAssessment | None:
    return db.session.scalar(
        sa.select(ProposalAssessment).where(ProposalAssessment.proposal_id == proposal_id)
    )


# Why a proposal of a reviewed consultation cannot be voted on (app/review/rules.py).
_REVIEW_REFUSALS = {
    "merged": lambda number: _(
        "Proposal no. %(number)s was merged into another one: choose that one instead.",
        number=number,
    ),
    "unassessed": lambda number: _(
        "Proposal no. %(number)s was not assessed by the city: it is not on the ballot.",
        number=number,
    ),
    "unfeasible": lambda number: _(
        "Proposal no. %(number)s was assessed not feasible by the city: it is not on the ballot.",
        number=number,
    ),
}


def ballot_proposals(consultation: Consultation) -> list[Proposal]:
    """The proposals on the ballot: the published ones, by number (with a review phase: the
    ones the city assessed feasible)."""
    return list(
        db.session.scalars(
            sa.select(Proposal)
            .where(
                Proposal.consultation_id == consultation.id,
                Proposal.status == "published",
                Proposal.hidden_at.is_(None),
                review_rules.candidate_clause(consultation),
            )
            .order_by(Proposal.id)
        )
    )


def minimum_spend(consultation: Consultation) -> Decimal:
    """The least a ballot must spend, exact to the cent (rounded up)."""
    if not consultation.min_spend_share or not consultation.budget_amount:
        return Decimal(0)
    share = Decimal(consultation.budget_amount) * consultation.min_spend_share / 100
    return share.quantize(CENT, rounding=ROUND_CEILING)


def cost_of(proposal: Proposal) -> Decimal:
    return Decimal(proposal.cost or 0)


def check_choice(consultation: Consultation, proposal_ids: list[int], *, to_cast: bool) -> Choice:
    """Load and check a choice: proposals of this consultation still published, within the
    budget, and (to cast it) not empty and above the minimum spend."""
    wanted = list(dict.fromkeys(proposal_ids))
    found = {
        p.id: p
        for p in db.session.scalars(
            sa.select(Proposal).where(
                Proposal.consultation_id == consultation.id, Proposal.id.in_(wanted)
            )
        )
    }
    problems: list[str] = []
    chosen: list[Proposal] = []
    reviewed = review_rules.has_review(consultation)
    assessments = (
        {
            a.proposal_id: a
            for a in db.session.scalars(
                sa.select(ProposalAssessment).where(ProposalAssessment.proposal_id.in_(wanted))
            )
        }
        if reviewed and wanted
        else {}
    )
    for proposal_id in wanted:
        proposal = found.get(proposal_id)
        refused = (
            review_rules.refusal(proposal, assessments.get(proposal_id))
            if reviewed and proposal is not None
            else None
        )
        if proposal is None:
            problems.append(
                _("There is no proposal no. %(number)s in this consultation.", number=proposal_id)
            )
        elif proposal.status == "merged":
            problems.append(_REVIEW_REFUSALS["merged"](proposal_id))
        elif proposal.status != "published":
            problems.append(
                _(
                    "Proposal no. %(number)s is withdrawn: it cannot be chosen.",
                    number=proposal_id,
                )
            )
        elif proposal.hidden_at is not None:
            problems.append(
                _(
                    "Proposal no. %(number)s is hidden by moderation: it cannot be chosen.",
                    number=proposal_id,
                )
            )
        elif refused is not None:
            problems.append(_REVIEW_REFUSALS[refused](proposal_id))
        else:
            chosen.append(proposal)
    chosen.sort(key=lambda p: p.id)
    total = sum(cost_of(p) for p in chosen)
    budget = consultation.budget_amount or 0
    if total > budget:
        problems.append(
            _(
                "Your choice costs %(total)s, more than the budget of %(budget)s: remove a "
                "proposal.",
                total=money(total, consultation),
                budget=money(budget, consultation),
            )
        )
    if to_cast and not problems:
        minimum = minimum_spend(consultation)
        if not chosen:
            problems.append(_("Choose at least one proposal before casting your ballot."))
        elif total < minimum:
            problems.append(
                _(
                    "Your choice costs %(total)s: a ballot must spend at least %(minimum)s "
                    "(%(share)s%% of the budget). Add a proposal.",
                    total=money(total, consultation),
                    minimum=money(minimum, consultation),
                    share=consultation.min_spend_share,
                )
            )
    return Choice(chosen, total, problems)


def ballot_of(consultation: Consultation, user: User | None) -> Ballot | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(
        sa.select(Ballot).where(
            Ballot.consultation_id == consultation.id, Ballot.user_id == user.id
        )
    )


def _own_ballot_locked(consultation: Consultation, user: User) -> Ballot:
    """The user's ballot in this consultation, created as a draft if missing, its row locked
    until the transaction ends (PostgreSQL; SQLite serialises writers anyway)."""

    def locked() -> Ballot | None:
        return db.session.scalar(
            sa.select(Ballot)
            .where(Ballot.consultation_id == consultation.id, Ballot.user_id == user.id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )

    ballot = locked()
    if ballot is not None:
        return ballot
    try:
        with db.session.begin_nested():
            db.session.add(
                Ballot(
                    consultation_id=consultation.id,
                    user_id=user.id,
                    status="draft",
                    channel="online",
                    total_cost=0,
                    language=writing_language(user),
                )
            )
            db.session.flush()
    except IntegrityError:
        # A simultaneous request of the same person created it: one ballot per person.
        pass
    ballot = locked()
    if ballot is None:  # pragma: no cover - created above or by the request that won
        raise RuntimeError("the ballot vanished while it was being created")
    return ballot


def _set_items(ballot: Ballot, proposals: list[Proposal]) -> None:
    """Make the ballot's items these proposals (keep, remove, add: never a duplicate row)."""
    wanted = {p.id for p in proposals}
    for item in list(ballot.items):
        if item.proposal_id not in wanted:
            ballot.items.remove(item)
    db.session.flush()
    present = {item.proposal_id for item in ballot.items}
    for proposal_id in sorted(wanted - present):
        ballot.items.append(BallotItem(proposal_id=proposal_id, points=1))


def save_draft(
    consultation: Consultation,
    user: User,
    proposal_ids: list[int],
    *,
    ready_to_cast: bool = False,
    now: datetime | None = None,
) -> tuple[Ballot, Choice]:
    """Save the voter's choice as a draft (never counted) after checking it fits the budget;
    `ready_to_cast` (on the way to the confirmation) checks all that casting will check."""
    _require(user, consultation, "ballot", now)
    choice = check_choice(consultation, proposal_ids, to_cast=ready_to_cast)
    if choice.problems:
        raise VotingError(*choice.problems)
    ballot = _own_ballot_locked(consultation, user)
    if ballot.status == "cast":
        raise VotingError(
            _("Your ballot is already cast. Withdraw it first if you want to change your choice.")
        )
    _set_items(ballot, choice.proposals)
    ballot.total_cost = choice.total
    ballot.language = writing_language(user)
    db.session.flush()
    return ballot, choice


def new_receipt() -> str:
    return secrets.token_hex(8)


def cast_ballot(
    consultation: Consultation, user: User, proposal_ids: list[int], *, now: datetime | None = None
) -> Ballot:
    """Cast the voter's ballot with this choice: checked in full, then counted, with a receipt.

    Raises AlreadyCast when the ballot was cast already (a second click, a second tab).
    """
    now = _require(user, consultation, "ballot", now)
    existing = ballot_of(consultation, user)
    if existing is not None and existing.status == "cast":
        raise AlreadyCast(existing)  # a second click: no need to check the choice again
    choice = check_choice(consultation, proposal_ids, to_cast=True)
    if choice.problems:
        raise VotingError(*choice.problems)
    ballot = _own_ballot_locked(consultation, user)
    if ballot.status == "cast":
        raise AlreadyCast(ballot)
    _set_items(ballot, choice.proposals)
    ballot.total_cost = choice.total
    ballot.language = writing_language(user)
    ballot.status = "cast"
    ballot.cast_at = now
    ballot.receipt = new_receipt()
    db.session.flush()
    return ballot


def withdraw_ballot(consultation: Consultation, user: User, *, now: datetime | None = None) -> bool:
    """Take a cast ballot back to draft (no longer counted, receipt void); False if none was
    cast. The choice is kept so the voter can change it and cast again."""
    _require(user, consultation, "ballot", now)
    ballot = db.session.scalar(
        sa.select(Ballot)
        .where(Ballot.consultation_id == consultation.id, Ballot.user_id == user.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if ballot is None or ballot.status != "cast":
        return False
    ballot.status = "draft"
    ballot.receipt = None
    ballot.cast_at = None
    db.session.flush()
    return True


def ballots_cast_count(consultation: Consultation) -> int:
    return (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Ballot)
            .where(Ballot.consultation_id == consultation.id, Ballot.status == "cast")
        )
        or 0
    )


@dataclass(frozen=True)
class SoFar:
    """What a close would count now: the figures the moderator reads before closing."""

    supports: int = 0
    supporters: int = 0
    ballots: int = 0  # cast, online and on paper
    drafts: int = 0  # started online, not cast: never counted


def so_far(consultation: Consultation) -> SoFar:
    if consultation.voting_method == "supports":
        # One supporter per account, and per voter key once the account is deleted.
        supports, supporters = db.session.execute(
            sa.select(
                sa.func.count(),
                sa.func.count(sa.distinct(Support.user_id))
                + sa.func.count(sa.distinct(Support.voter_key)),
            ).where(Support.consultation_id == consultation.id)
        ).one()
        return SoFar(supports=supports or 0, supporters=supporters or 0)
    rows = dict(
        db.session.execute(
            sa.select(Ballot.status, sa.func.count())
            .where(Ballot.consultation_id == consultation.id)
            .group_by(Ballot.status)
        ).all()
    )
    return SoFar(ballots=rows.get("cast", 0), drafts=rows.get("draft", 0))


# Paper ballots


def may_enter_paper(user: User, consultation: Consultation, now: datetime | None = None) -> bool:
    """Moderators of the city (and the association admin) enter paper ballots while voting is
    open; once the consultation is closed its results are final."""
    return (
        consultation.voting_method == "budget"
        and consultation.closed_at is None
        and consultation.phase(now) == "voting"
        and can_manage_city(user, consultation.city)
    )


_SEPARATORS = re.compile(r"[\s,;\u060c\u061b]+")  # also the Arabic comma and semicolon


@dataclass
class PaperLine:
    number: int  # the line number in the text the moderator typed
    proposals: list[Proposal]
    total: Decimal


def parse_paper_ballots(consultation: Consultation, text: str) -> tuple[list[PaperLine], list[str]]:
    """Read one ballot per line ("12, 15, 19": proposal numbers); blank lines are skipped.

    Returns the ballots and the problems, each naming its line; the batch is valid only
    when there are no problems.
    """
    proposals = {
        p.id: p
        for p in db.session.scalars(
            sa.select(Proposal).where(Proposal.consultation_id == consultation.id)
        )
    }
    # With a review phase, only the proposals assessed feasible are on the ballot.
    on_ballot = (
        {p.id for p in ballot_proposals(consultation)}
        if review_rules.has_review(consultation)
        else None
    )
    budget = consultation.budget_amount or 0
    minimum = minimum_spend(consultation)
    lines: list[PaperLine] = []
    problems: list[str] = []
    raw_lines = text.splitlines()
    if len(raw_lines) > MAX_PAPER_LINES:
        return [], [
            _(
                "A batch has at most %(max)s lines: split the session's ballots in several batches.",
                max=MAX_PAPER_LINES,
            )
        ]
    for number, raw in enumerate(raw_lines, start=1):
        tokens = [token for token in _SEPARATORS.split(raw.strip()) if token]
        if not tokens:
            continue
        line_problems: list[str] = []
        chosen: list[Proposal] = []
        seen: set[int] = set()
        for token in tokens:
            # digits typed on an Arabic or full-width keyboard are the same numbers
            digits = ascii_digits(token).removeprefix("#").removeprefix("n.").removeprefix("no.")
            if not digits.isdigit() or not digits.isascii():
                line_problems.append(
                    _(
                        "Line %(line)s: “%(text)s” is not a proposal number.",
                        line=number,
                        text=token,
                    )
                )
                continue
            proposal_id = int(digits)
            proposal = proposals.get(proposal_id)
            if proposal_id in seen:
                line_problems.append(
                    _(
                        "Line %(line)s: proposal no. %(number)s appears twice.",
                        line=number,
                        number=proposal_id,
                    )
                )
            elif proposal is None:
                line_problems.append(
                    _(
                        "Line %(line)s: there is no proposal no. %(number)s in this consultation.",
                        line=number,
                        number=proposal_id,
                    )
                )
            elif proposal.status != "published":
                line_problems.append(
                    _(
                        "Line %(line)s: proposal no. %(number)s is withdrawn.",
                        line=number,
                        number=proposal_id,
                    )
                )
            elif on_ballot is not None and proposal_id not in on_ballot:
                line_problems.append(
                    _(
                        "Line %(line)s: proposal no. %(number)s is not on the ballot (not "
                        "assessed feasible by the city).",
                        line=number,
                        number=proposal_id,
                    )
                )
            else:
                chosen.append(proposal)
            seen.add(proposal_id)
        total = sum(cost_of(p) for p in chosen)
        if not line_problems and total > budget:
            line_problems.append(
                _(
                    "Line %(line)s: the ballot costs %(total)s, more than the budget of "
                    "%(budget)s.",
                    line=number,
                    total=money(total, consultation),
                    budget=money(budget, consultation),
                )
            )
        if not line_problems and total < minimum:
            line_problems.append(
                _(
                    "Line %(line)s: the ballot costs %(total)s, less than the minimum of "
                    "%(minimum)s.",
                    line=number,
                    total=money(total, consultation),
                    minimum=money(minimum, consultation),
                )
            )
        problems.extend(line_problems)
        if not line_problems:
            lines.append(PaperLine(number, sorted(chosen, key=lambda p: p.id), total))
    if not lines and not problems:
        problems.append(_("Type at least one ballot: one line per ballot."))
    return lines, problems


def enter_paper_batch(
    consultation: Consultation,
    *,
    author: User,
    session_label: str,
    text: str,
    language: str = "",
    meeting_id: int | None = None,
    now: datetime | None = None,
) -> PaperBatch:
    """Record a session's paper ballots, all or none: a batch and its cast ballots, counted
    like online ones, and a line in the city's history (flushes). `meeting_id`: the meeting
    they come from (one of the consultation's, checked by the caller)."""
    if consultation.voting_method != "budget":
        raise VotingError(_("Paper ballots are entered for budget consultations only."))
    lock(consultation)  # shared, as every vote: never while the close runs
    now = now or utcnow()
    if not may_enter_paper(author, consultation, now):
        raise VotingError(_("Paper ballots can be entered only while voting is open."))
    lines, problems = parse_paper_ballots(consultation, text)
    if problems:
        raise VotingError(*problems)
    batch = PaperBatch(
        consultation_id=consultation.id,
        entered_by_id=author.id,
        session_label=session_label.strip(),
        meeting_id=meeting_id,
        ballots_count=len(lines),
    )
    db.session.add(batch)
    db.session.flush()
    cast_at = now
    receipts: set[str] = set()
    for line in lines:
        receipt = new_receipt()
        while receipt in receipts:  # pragma: no cover - 64 random bits
            receipt = new_receipt()
        receipts.add(receipt)
        db.session.add(
            Ballot(
                consultation_id=consultation.id,
                user_id=None,
                status="cast",
                channel="paper",
                paper_batch_id=batch.id,
                receipt=receipt,
                total_cost=line.total,
                language=language or "",
                cast_at=cast_at,
                items=[BallotItem(proposal_id=p.id, points=1) for p in line.proposals],
            )
        )
    db.session.flush()
    record_city_change(
        consultation.city,
        "paper_ballots",
        author=author,
        details={
            "consultation": consultation.id,
            "consultation_title": consultation.title,
            "batch": batch.id,
            "session": batch.session_label,
            "ballots": batch.ballots_count,
        },
    )
    return batch


def paper_batches(consultation: Consultation) -> list[tuple[PaperBatch, str | None]]:
    """The consultation's batches, newest first, with the name of who entered each."""
    return list(
        db.session.execute(
            sa.select(PaperBatch, User.display_name)
            .outerjoin(User, User.id == PaperBatch.entered_by_id)
            .where(PaperBatch.consultation_id == consultation.id)
            .order_by(PaperBatch.created_at.desc(), PaperBatch.id.desc())
        ).all()
    )


def get_batch_or_404(consultation: Consultation, batch_id: int) -> PaperBatch:
    batch = db.session.get(PaperBatch, batch_id)
    if batch is None or batch.consultation_id != consultation.id:
        abort(404)
    return batch


def batch_ballots(batch: PaperBatch) -> list[Ballot]:
    return list(
        db.session.scalars(
            sa.select(Ballot).where(Ballot.paper_batch_id == batch.id).order_by(Ballot.id)
        )
    )
