"""Pabulib interchange: export a budget consultation as a ``.pb`` file, import a ``.pb`` file as a
closed consultation with paper ballots.

The file format itself (reading, writing, line-numbered errors) is ``pabulib.py``; this module
maps it to and from the platform's models.

- :func:`export_consultation` writes the published proposals as PROJECTS and every counted ballot
  (online and paper) as VOTES, anonymised: voters are numbered 1, 2, 3… in ballot order, never
  identified. A constant number of queries, whatever the number of proposals and ballots.
- :func:`import_file` checks the whole file first (format, then what our models can hold) and
  raises :class:`ImportRefused` with every problem and its line number before anything is written;
  then it creates a consultation whose phases all lie in the past, one proposal per project, one
  paper batch holding every vote, and closes it as any consultation closes (result snapshot,
  digest, entry in the city step's record).
"""

from __future__ import annotations

import json
import re
import secrets
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import sqlalchemy as sa
from babel import Locale
from babel.numbers import get_currency_precision, is_currency
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.accounts.models import User
from app.cities.history import record_city_change
from app.cities.models import City
from app.consultations.models import Consultation, ConsultationPhase
from app.consultations.services import close
from app.exports import spreadsheet_safe
from app.extensions import db
from app.pathway.models import CityStep
from app.proposals.models import Proposal
from app.results.services import anonymised_ballots, snapshot_of
from app.voting import pabulib as pb
from app.voting.models import Ballot, BallotItem, PaperBatch
from app.voting.services import ballot_proposals, new_receipt

# What the upload form accepts (the largest Pabulib files published are a few megabytes).
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
# Budgets and costs have cents, in NUMERIC(14, 2) columns.
MAX_AMOUNT = Decimal("999999999999.99")
MAX_POINTS = 2**31 - 1  # an INTEGER column
MAX_PROJECT_ID = 64  # Proposal.external_id
MAX_TITLE = 200
MAX_CATEGORY = 60
RULES = ("greedy", "equal-shares")
# Pabulib's names of our rules (``rule`` in META); equal shares is completed by add-one.
PABULIB_RULES = {"greedy": "greedy", "equal-shares": "equalshares/add1"}
# Pabulib's ``voting_method`` column of VOTES names the channel.
CHANNELS = {"online": "internet", "paper": "paper"}


class ImportRefused(Exception):
    """A file that cannot be imported: ``errors`` lists (line number or None, message), the
    messages worded for the reader. Nothing was written."""

    def __init__(self, errors: list[tuple[int | None, str]]) -> None:
        self.errors = errors
        super().__init__("\n".join(f"line {line}: {message}" for line, message in errors))


def rule_of(meta: dict[str, str]) -> str | None:
    """Our name for the rule a file's META says was used, if we implement it."""
    rule = meta.get("rule", "").strip().lower()
    if rule == "greedy":
        return "greedy"
    if rule.startswith("equalshares"):
        return "equal-shares"
    return None


# --------------------------------------------------------------------------------------------
# Export


def _english_name(names: dict[str, str], code: str) -> str:
    return names.get(code, code)


def _local_date(moment: datetime, timezone: str) -> str:
    try:
        zone = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    return moment.astimezone(zone).strftime("%d.%m.%Y")


def _points_other_than_one(consultation: Consultation) -> dict[tuple[str, int], int]:
    """(receipt, proposal id) → points, for the items of cast ballots that carry points (only
    cumulative ballots do: an approval is one point). One query."""
    rows = db.session.execute(
        sa.select(Ballot.receipt, BallotItem.proposal_id, BallotItem.points)
        .join(Ballot, Ballot.id == BallotItem.ballot_id)
        .where(
            Ballot.consultation_id == consultation.id,
            Ballot.status == "cast",
            BallotItem.points != 1,
        )
    ).all()
    return {(receipt or "", proposal_id): points for receipt, proposal_id, points in rows}


def export_consultation(consultation: Consultation) -> str:
    """The consultation's proposals and counted ballots as a Pabulib file (text)."""
    if consultation.voting_method != "budget":
        raise ValueError("only budget consultations have a Pabulib form")
    proposals = ballot_proposals(consultation)
    published = {p.id for p in proposals}
    snapshot = snapshot_of(consultation)
    winners = None
    if snapshot is not None:
        winners = set(json.loads(snapshot.canonical_json).get("winners", []))
    points = _points_other_than_one(consultation)
    cumulative = bool(points)

    votes: list[pb.Vote] = []
    approvals: Counter[int] = Counter()
    scores: Counter[int] = Counter()
    for number, (channel, receipt, chosen) in enumerate(anonymised_ballots(consultation), start=1):
        ids = sorted(pid for pid in chosen if pid in published)
        given = [points.get((receipt, pid), 1) for pid in ids]
        approvals.update(ids)
        for pid, value in zip(ids, given, strict=True):
            scores[pid] += value
        votes.append(
            pb.Vote(
                str(number),
                tuple(str(pid) for pid in ids),
                tuple(given) if cumulative else None,
                {"voting_method": CHANNELS.get(channel, channel)},
            )
        )

    projects: list[pb.Project] = []
    for proposal in proposals:
        fields = {"votes": str(approvals[proposal.id])}
        if cumulative:
            fields["score"] = str(scores[proposal.id])
        # Text people wrote is neutralised as in every export (a leading = + - @ is a formula).
        fields["name"] = spreadsheet_safe(proposal.title)
        fields["category"] = spreadsheet_safe(proposal.category or "")
        if winners is not None:
            fields["selected"] = "1" if proposal.id in winners else "0"
        projects.append(pb.Project(str(proposal.id), Decimal(proposal.cost or 0), fields))

    english = Locale.parse("en")
    voting = next((p for p in consultation.phases if p.kind == "voting"), None)
    begins = voting.starts_at if voting is not None else consultation.starts_at
    meta = {
        "description": spreadsheet_safe(consultation.title),
        "country": _english_name(english.territories, consultation.city.country),
        "unit": spreadsheet_safe(consultation.city.name),
        "instance": str(consultation.id),
        "num_projects": "",
        "num_votes": "",
        "budget": pb.amount_text(consultation.budget_amount or 0),
        "currency": consultation.currency,
        "vote_type": "cumulative" if cumulative else "approval",
        "rule": PABULIB_RULES.get(consultation.budget_rule or "", consultation.budget_rule or ""),
        "date_begin": _local_date(begins, consultation.city.timezone),
        "date_end": _local_date(
            consultation.closed_at or consultation.ends_at, consultation.city.timezone
        ),
        "language": _english_name(english.languages, consultation.language).lower(),
    }
    return pb.dumps(pb.build(meta, projects, votes))


# --------------------------------------------------------------------------------------------
# Import: the parser's messages, worded for the reader


def _w(pattern: str, message, *names: str):
    return re.compile(pattern), message, names


# The parser words its errors in English for operators; these are the ones a moderator meets
# most, reworded in the interface locale (any other stays as the parser wrote it).
_PARSER_MESSAGES = (
    _w(r"the file is not UTF-8 text", _l("The file is not UTF-8 text: save it as UTF-8.")),
    _w(
        r"the file must start with a META section",
        _l("The file must start with a META section."),
    ),
    _w(r"the (\w+) section is missing", _l("The %(section)s section is missing."), "section"),
    _w(
        r"the (\w+) header lacks the '([^']*)' column",
        _l("The %(section)s header lacks the “%(column)s” column."),
        "section",
        "column",
    ),
    _w(
        r"(\d+) fields where the header has (\d+)",
        _l("This line has %(found)s fields where the header has %(expected)s."),
        "found",
        "expected",
    ),
    _w(r"META lacks '([^']*)'", _l("META lacks “%(key)s”."), "key"),
    _w(
        r"the budget must be an amount such as 1250 or 1250.50 \(at most two decimals\), "
        r"not '([^']*)'",
        _l(
            "The budget must be an amount such as 1250 or 1250.50 (at most two decimals), "
            "not “%(value)s”."
        ),
        "value",
    ),
    _w(
        r"the cost of project '([^']*)' must be an amount such as 1250 or 1250.50 "
        r"\(at most two decimals\), not '([^']*)'",
        _l(
            "The cost of project “%(project)s” must be an amount such as 1250 or 1250.50 "
            "(at most two decimals), not “%(value)s”."
        ),
        "project",
        "value",
    ),
    _w(
        r"the (budget|cost of project '[^']*') must be at least 0, not (\S+)",
        _l("Amounts cannot be negative: “%(value)s”."),
        "what",
        "value",
    ),
    _w(
        r"project '([^']*)' appears twice \(first on line (\d+)\)",
        _l("Project “%(project)s” appears twice (first on line %(first)s)."),
        "project",
        "first",
    ),
    _w(
        r"voter '([^']*)' appears twice \(first on line (\d+)\)",
        _l("Voter “%(voter)s” appears twice (first on line %(first)s)."),
        "voter",
        "first",
    ),
    _w(
        r"voter '([^']*)' votes for unknown project '([^']*)'",
        _l("Voter “%(voter)s” votes for project “%(project)s”, which is not in PROJECTS."),
        "voter",
        "project",
    ),
    _w(
        r"(\w+) votes are not supported \(only approval, cumulative and ordinal\)",
        _l("%(kind)s votes cannot be imported: only approval, cumulative and ordinal votes can."),
        "kind",
    ),
    _w(r"unknown vote_type '([^']*)'", _l("Unknown vote_type “%(kind)s”."), "kind"),
    _w(
        r"(num_projects|num_votes) says (\S+) but the file has (\d+)",
        _l("%(key)s says %(said)s but the file has %(actual)s."),
        "key",
        "said",
        "actual",
    ),
)


def reader_message(message: str) -> str:
    """A parser message in the reader's locale, when it is one of the common ones."""
    for pattern, wording, names in _PARSER_MESSAGES:
        found = pattern.fullmatch(message)
        if found:
            return str(wording) % dict(zip(names, found.groups(), strict=True))
    return message


# --------------------------------------------------------------------------------------------
# Import: what our models can hold


@dataclass
class _Lines:
    """Where things are written in the file, to name the line of a problem."""

    sections: dict[str, int]
    meta: dict[str, int]
    projects: dict[str, int]
    votes: dict[str, int]


def _lines(text: str) -> _Lines:
    found = _Lines({}, {}, {}, {})
    where = {"META": found.meta, "PROJECTS": found.projects, "VOTES": found.votes}
    section = None
    header_due = False
    for line, cells in pb._rows(text):
        name = cells[0].upper()
        if name in pb.SECTIONS and not any(cells[1:]):
            section, header_due = name, True
            found.sections.setdefault(name, line)
        elif header_due:
            header_due = False
            if section == "META" and [c.lower() for c in cells] != ["key", "value"]:
                found.meta.setdefault(cells[0], line)  # the header line is left out
        elif section is not None:
            where[section].setdefault(cells[0], line)
    return found


_DATE_PATTERNS = (
    (re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})(?:\b.*)?"), ("day", "month", "year")),
    (re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:\b.*)?"), ("year", "month", "day")),
)


def _read_date(value: str) -> date | None:
    for pattern, names in _DATE_PATTERNS:
        found = pattern.fullmatch(value.strip())
        if found:
            parts = dict(zip(names, (int(g) for g in found.groups()), strict=True))
            try:
                return date(parts["year"], parts["month"], parts["day"])
            except ValueError:
                return None
    return None


@dataclass
class _Plan:
    """What the file will become, checked in full before anything is written."""

    parsed: pb.PabulibFile
    rule: str
    currency: str
    starts_at: datetime
    ends_at: datetime


def _plan(
    parsed: pb.PabulibFile, text: str, *, city: City, rule: str | None, now: datetime
) -> _Plan:
    errors: list[tuple[int | None, str]] = []
    lines = _lines(text)
    meta = parsed.meta

    def at(key: str) -> int | None:
        return lines.meta.get(key, lines.sections.get("META"))

    if not 0 < parsed.budget_amount <= MAX_AMOUNT:
        errors.append(
            (
                at("budget"),
                _(
                    "The budget must be more than 0 and at most %(max)s.",
                    max=format_decimal(MAX_AMOUNT),
                ),
            )
        )
    if not parsed.projects:
        errors.append((lines.sections.get("PROJECTS"), _("The file has no projects.")))
    for project in parsed.projects:
        line = lines.projects.get(project.project_id)
        if project.cost > MAX_AMOUNT:
            errors.append(
                (
                    line,
                    _(
                        "Project “%(project)s” costs more than %(max)s.",
                        project=project.project_id,
                        max=format_decimal(MAX_AMOUNT),
                    ),
                )
            )
        if len(project.project_id) > MAX_PROJECT_ID:
            errors.append(
                (
                    line,
                    _(
                        "The project_id “%(project)s” is longer than %(max)s characters.",
                        project=project.project_id[:20] + "…",
                        max=MAX_PROJECT_ID,
                    ),
                )
            )
    if parsed.vote_type in ("cumulative", "ordinal"):
        for vote in parsed.votes:
            if any(points > MAX_POINTS for points in parsed.points(vote)):
                errors.append(
                    (
                        lines.votes.get(vote.voter_id),
                        _(
                            "Voter “%(voter)s” gives more than %(max)s points.",
                            voter=vote.voter_id,
                            max=MAX_POINTS,
                        ),
                    )
                )
                break

    currency = meta.get("currency", "").strip().upper() or "EUR"
    if not (len(currency) == 3 and currency.isalpha() and is_currency(currency)):
        errors.append(
            (
                at("currency"),
                _(
                    "The currency “%(currency)s” is not an ISO 4217 code such as EUR or PLN.",
                    currency=meta.get("currency", ""),
                ),
            )
        )
    elif parsed.scale != 1 and get_currency_precision(currency) == 0:
        errors.append(
            (
                at("currency"),
                _(
                    "The file has amounts with cents, but %(currency)s has no cents.",
                    currency=currency,
                ),
            )
        )

    chosen_rule = rule_of(meta) or rule
    if chosen_rule not in RULES:
        errors.append(
            (
                at("rule"),
                _(
                    "The file names no rule we apply (greedy or equal shares): choose one.",
                ),
            )
        )

    try:
        zone = ZoneInfo(city.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    dates: dict[str, date] = {}
    for key in ("date_begin", "date_end"):
        value = meta.get(key, "").strip()
        if not value:
            continue
        read = _read_date(value)
        if read is None:
            errors.append(
                (
                    at(key),
                    _(
                        "%(key)s “%(value)s” is not a date written dd.mm.yyyy or yyyy-mm-dd.",
                        key=key,
                        value=value,
                    ),
                )
            )
        elif not 1980 <= read.year <= now.year + 1:
            errors.append(
                (
                    at(key),
                    _("%(key)s: the year %(year)s is not plausible.", key=key, year=read.year),
                )
            )
        else:
            dates[key] = read
    if "date_begin" in dates and "date_end" in dates and dates["date_end"] < dates["date_begin"]:
        errors.append((at("date_end"), _("date_end comes before date_begin.")))
    if errors:
        raise ImportRefused(errors)

    # The last day of voting ends at midnight, in the city's time; never later than now.
    ends_at = now
    if "date_end" in dates:
        end_of_day = datetime.combine(dates["date_end"] + timedelta(days=1), time(), zone)
        ends_at = min(end_of_day, now)
    starts_at = ends_at - timedelta(days=1)
    if "date_begin" in dates:
        starts_at = min(datetime.combine(dates["date_begin"], time(), zone), starts_at)
    return _Plan(parsed, chosen_rule, currency, starts_at, ends_at)


def _category(value: str) -> str | None:
    """Pabulib lists categories separated by commas; keep what fits the column."""
    value = value.strip()
    if len(value) <= MAX_CATEGORY:
        return value or None
    kept = ""
    for part in value.split(","):
        candidate = f"{kept},{part}" if kept else part
        if len(candidate) > MAX_CATEGORY:
            break
        kept = candidate
    return kept or value[: MAX_CATEGORY - 1] + "…"


def _fit(text: str, size: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= size else text[: size - 1] + "…"


# --------------------------------------------------------------------------------------------
# Import


def import_file(
    city: City,
    city_step: CityStep,
    data: bytes | str,
    language: str,
    title: str,
    moderator: User | None,
    now: datetime,
    *,
    rule: str | None = None,
    source: str = "",
) -> Consultation:
    """Import a Pabulib file as a closed budget consultation of `city_step` (flushes).

    `rule` is used when the file's META names no rule we implement; `source` (a file name)
    labels the paper batch. Raises :class:`ImportRefused` before writing anything when the file
    is not valid or does not fit.
    """
    if city_step.city_id != city.id:
        raise ValueError("the step is not one of the city's")
    try:
        parsed = pb.parse(data)
    except pb.ParseError as error:
        raise ImportRefused(
            [(line, reader_message(message)) for line, message in error.errors]
        ) from error
    text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
    plan = _plan(parsed, text.removeprefix("\ufeff"), city=city, rule=rule, now=now)
    meta = parsed.meta

    title = _fit(title or meta.get("description", "") or source or "Pabulib", MAX_TITLE)
    consultation = Consultation(
        city_id=city.id,
        city_step_id=city_step.id,
        title=title,
        description=meta.get("description", "").strip(),
        language=language,
        languages=[language],
        starts_at=plan.starts_at,
        ends_at=plan.ends_at,
        voting_method="budget",
        budget_amount=parsed.budget_amount,
        currency=plan.currency,
        budget_rule=plan.rule,
        participation="confirmed",
        completes_step=False,
        proposals_count=len(parsed.projects),
        created_by_id=moderator.id if moderator else None,
    )
    consultation.phases = [
        ConsultationPhase(kind="voting", starts_at=plan.starts_at, ends_at=plan.ends_at),
        ConsultationPhase(kind="results", starts_at=plan.ends_at, ends_at=None),
    ]
    db.session.add(consultation)
    db.session.flush()

    proposals: dict[str, Proposal] = {}
    for project in parsed.projects:
        name = project.fields.get("name", "").strip()
        proposal = Proposal(
            consultation_id=consultation.id,
            author_id=moderator.id if moderator else None,
            title=_fit(name, MAX_TITLE) if name else f"#{project.project_id}",
            body=name if len(name) > MAX_TITLE else "",
            language=language,
            category=_category(project.fields.get("category", "")),
            cost=project.cost,
            author_cost=project.cost,
            status="published",
            random_key=secrets.randbelow(2**31 - 1),
            external_id=project.project_id,
        )
        proposals[project.project_id] = proposal
        db.session.add(proposal)
    db.session.flush()

    batch = PaperBatch(
        consultation_id=consultation.id,
        entered_by_id=moderator.id if moderator else None,
        session_label=_fit(f"Pabulib: {source or title}", 200),
        ballots_count=len(parsed.votes),
    )
    db.session.add(batch)
    db.session.flush()
    _insert_ballots(consultation, batch, parsed, proposals, cast_at=plan.ends_at)

    record_city_change(
        city,
        "paper_ballots",
        author=moderator,
        details={
            "consultation": consultation.id,
            "consultation_title": consultation.title,
            "batch": batch.id,
            "session": batch.session_label,
            "ballots": batch.ballots_count,
            "source": "pabulib",
        },
    )
    # Closed as any consultation closes: the snapshot, its digest, the step record entry.
    close(consultation, now=plan.ends_at, by=moderator)
    return consultation


def _insert_ballots(
    consultation: Consultation,
    batch: PaperBatch,
    parsed: pb.PabulibFile,
    proposals: dict[str, Proposal],
    *,
    cast_at: datetime,
) -> None:
    """Every vote as a cast paper ballot, in file order: two bulk statements (a file may hold
    a hundred thousand votes)."""
    if not parsed.votes:
        return
    choices: list[list[tuple[Proposal, int]]] = []
    for vote in parsed.votes:
        # approval 1 each, cumulative the file's points, ordinal points by position
        given = parsed.points(vote)
        # Zero points is no support: there is no item for it.
        choices.append(
            [(proposals[pid], n) for pid, n in zip(vote.vote, given, strict=True) if n > 0]
        )
    receipts: set[str] = set()
    rows = []
    for choice in choices:
        receipt = new_receipt()
        while receipt in receipts:  # pragma: no cover - 64 random bits
            receipt = new_receipt()
        receipts.add(receipt)
        rows.append(
            {
                "consultation_id": consultation.id,
                "user_id": None,
                "status": "cast",
                "channel": "paper",
                "paper_batch_id": batch.id,
                "receipt": receipt,
                "total_cost": sum((Decimal(p.cost or 0) for p, _n in choice), Decimal(0)),
                "language": "",
                "cast_at": cast_at,
            }
        )
    ids = list(
        db.session.scalars(
            sa.insert(Ballot).returning(Ballot.id, sort_by_parameter_order=True), rows
        )
    )
    items = [
        {"ballot_id": ballot_id, "proposal_id": proposal.id, "points": n}
        for ballot_id, choice in zip(ids, choices, strict=True)
        for proposal, n in choice
    ]
    if items:
        db.session.execute(sa.insert(BallotItem), items)
