"""Read and write Pabulib ``.pb`` files (pabulib.org), the research format for budget votes.

A file has three sections, each a line with its name and then a semicolon-separated table with a
header row::

    META
    key;value
    description;District 3, 2024
    num_projects;2
    num_votes;2
    budget;100000
    vote_type;approval
    PROJECTS
    project_id;cost;votes;name
    1;60000;2;Bike racks
    2;50000;1;Benches
    VOTES
    voter_id;vote
    v1;1,2
    v2;1

``vote`` lists project ids separated by commas; cumulative files add a ``points`` column, one
number per listed project. Fields may be quoted (``"a; b"``); a UTF-8 byte order mark and CRLF
line ends are accepted. Files published by cities may leave out the ``key;value`` line under
META (it is then implied).

Amounts (``budget``, ``cost``) are read exactly, as :class:`~decimal.Decimal`: whole numbers or
decimals with at most two decimal places (``222176.85``; a decimal comma, ``222176,85``, is read
too, as pabutools does). The rules of ``rules.py`` count on whole numbers, so
:attr:`PabulibFile.budget` and :attr:`PabulibFile.costs` give the amounts in the file's unit:
currency units, or cents when any amount of the file has cents (:attr:`PabulibFile.scale`).

Vote types: approval (also ``choose-1``), cumulative, and ordinal. An ordinal vote lists the
projects from the first choice on and is scored by position: with ``k`` the META's
``max_length`` (the longest vote when the file gives none), the first choice gets ``k`` points,
the next ``k - 1``, and so on (Borda's count over ``k`` places). A META ``scoring_fn`` other than
Borda's is refused, as are scoring files, with a clear error.

:func:`parse` either returns the whole file or raises :class:`ParseError` listing every problem
found with its line number; it never returns part of a file. :func:`dumps` writes a file that
:func:`parse` reads back equal.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

SUPPORTED_VOTE_TYPES = ("approval", "choose-1", "cumulative", "ordinal")
KNOWN_VOTE_TYPES = (*SUPPORTED_VOTE_TYPES, "scoring")
SECTIONS = ("META", "PROJECTS", "VOTES")
# The ``scoring_fn`` names of the positional scoring we apply to ordinal votes (see above).
BORDA = ("", "borda")
CENTS = 100

_WHOLE = re.compile(r"-?[0-9]+(?:\.0*)?")
_AMOUNT = re.compile(r"(-?)([0-9]+)(?:[.,]([0-9]*))?")
_MAX_ERRORS = 50


class ParseError(ValueError):
    """A Pabulib file that cannot be read; ``errors`` is a list of (line number, message)."""

    def __init__(self, errors: list[tuple[int, str]]) -> None:
        self.errors = errors
        super().__init__("\n".join(f"line {line}: {message}" for line, message in errors))


@dataclass(frozen=True)
class Project:
    project_id: str
    cost: Decimal
    """Exact, in currency units (``Decimal("1250.50")``)."""
    fields: dict[str, str] = field(default_factory=dict)
    """The other columns (``votes``, ``name``, ``category``, …), by column name."""


@dataclass(frozen=True)
class Vote:
    voter_id: str
    vote: tuple[str, ...]
    points: tuple[int, ...] | None = None
    """Cumulative files only: the points given to each project of ``vote``, in order."""
    fields: dict[str, str] = field(default_factory=dict)
    """The other columns (``age``, ``sex``, …), by column name."""


@dataclass(frozen=True)
class PabulibFile:
    meta: dict[str, str]
    projects: tuple[Project, ...]
    votes: tuple[Vote, ...]
    project_columns: tuple[str, ...] = ("project_id", "cost")
    vote_columns: tuple[str, ...] = ("voter_id", "vote")

    @property
    def budget_amount(self) -> Decimal:
        """The budget, exact, in currency units."""
        return amount(self.meta["budget"])

    @property
    def scale(self) -> int:
        """1 when every amount is whole currency units, else 100 (the rules count in cents)."""
        amounts = [self.budget_amount, *(p.cost for p in self.projects)]
        return 1 if all(a == a.to_integral_value() for a in amounts) else CENTS

    @property
    def budget(self) -> int:
        """The ``budget`` argument of the rules: in currency units, or cents (see ``scale``)."""
        return int(self.budget_amount * self.scale)

    @property
    def vote_type(self) -> str:
        return self.meta["vote_type"]

    @property
    def costs(self) -> dict[str, int]:
        """Project id → cost, the ``projects`` argument of the rules (in the unit of
        :attr:`budget`)."""
        scale = self.scale
        return {p.project_id: int(p.cost * scale) for p in self.projects}

    def unscaled(self, value: int) -> Decimal:
        """An amount the rules computed (in the unit of :attr:`budget`), in currency units."""
        return Decimal(value) / self.scale

    @property
    def ordinal_length(self) -> int:
        """Ordinal files: the number of places scored (``max_length``, or the longest vote)."""
        longest = max((len(v.vote) for v in self.votes), default=0)
        given = self.meta.get("max_length", "")
        return max(_whole(given), longest) if _WHOLE.fullmatch(given) else longest

    def points(self, vote: Vote) -> tuple[int, ...]:
        """The points a vote gives each project of ``vote.vote``, in order: 1 each for
        approval, the file's points for cumulative, by position for ordinal (see above)."""
        if self.vote_type == "cumulative":
            return vote.points or ()
        if self.vote_type == "ordinal":
            k = self.ordinal_length
            return tuple(k - place for place in range(len(vote.vote)))
        return (1,) * len(vote.vote)

    def ballots(self) -> list[frozenset[str]] | list[dict[str, int]]:
        """The ``ballots`` argument of the rules: approval sets, or project → points."""
        if self.vote_type in ("cumulative", "ordinal"):
            return [dict(zip(v.vote, self.points(v), strict=True)) for v in self.votes]
        return [frozenset(v.vote) for v in self.votes]


def build(
    meta: dict[str, str],
    projects: list[Project],
    votes: list[Vote],
    *,
    project_columns: tuple[str, ...] | None = None,
    vote_columns: tuple[str, ...] | None = None,
) -> PabulibFile:
    """A file from parts, with ``num_projects`` and ``num_votes`` set and default columns.

    The columns default to ``project_id;cost`` then every other field seen on a project, and
    ``voter_id;vote`` (``;points`` for cumulative votes) then every other field seen on a vote.
    """
    meta = dict(meta)
    meta["num_projects"] = str(len(projects))
    meta["num_votes"] = str(len(votes))
    if project_columns is None:
        extra = dict.fromkeys(name for p in projects for name in p.fields)
        project_columns = ("project_id", "cost", *extra)
    if vote_columns is None:
        core = (
            ("voter_id", "vote", "points")
            if meta.get("vote_type") == "cumulative"
            else (
                "voter_id",
                "vote",
            )
        )
        extra = dict.fromkeys(name for v in votes for name in v.fields)
        vote_columns = (*core, *extra)
    return PabulibFile(meta, tuple(projects), tuple(votes), project_columns, vote_columns)


def _whole(text: str) -> int:
    if not _WHOLE.fullmatch(text):
        raise ValueError(text)
    return int(text.split(".")[0])


def amount(text: str) -> Decimal:
    """An amount written in a file, exact: ``"1250"``, ``"1250.50"``, ``"1250,5"``; at most two
    decimal places that are not zero. Raises ValueError otherwise."""
    found = _AMOUNT.fullmatch(text.strip())
    if not found:
        raise ValueError(text)
    sign, whole, fraction = found.groups()
    fraction = (fraction or "").rstrip("0")
    if len(fraction) > 2:
        raise ValueError(text)
    value = Decimal(f"{sign}{whole}.{fraction or '0'}")
    return value.quantize(Decimal(1)) if not fraction else value.quantize(Decimal("0.01"))


def amount_text(value: Decimal | int) -> str:
    """An amount as a file writes it: ``1250`` when whole, else ``1250.50``."""
    value = Decimal(value)
    if value == value.to_integral_value():
        return str(value.quantize(Decimal(1)))
    return str(value.quantize(Decimal("0.01")))


# --------------------------------------------------------------------------------------------
# Reading


def _rows(text: str) -> Iterator[tuple[int, list[str]]]:
    """(first line number, cells) of every non-blank record; quoted fields may span lines."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";", strict=True)
    line = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise ParseError([(reader.line_num, f"unreadable line: {error}")]) from error
        if any(cell.strip() for cell in row):
            yield line, [cell.strip() for cell in row]
        line = reader.line_num + 1


class _Reader:
    def __init__(self) -> None:
        self.errors: list[tuple[int, str]] = []

    def error(self, line: int, message: str) -> None:
        if len(self.errors) < _MAX_ERRORS:
            self.errors.append((line, message))

    def whole(self, line: int, text: str, what: str, *, minimum: int = 0) -> int | None:
        try:
            value = _whole(text)
        except ValueError:
            self.error(line, f"{what} must be a whole number, not {text!r}")
            return None
        if value < minimum:
            self.error(line, f"{what} must be at least {minimum}, not {value}")
            return None
        return value

    def amount(self, line: int, text: str, what: str) -> Decimal | None:
        try:
            value = amount(text)
        except ValueError:
            self.error(
                line,
                f"{what} must be an amount such as 1250 or 1250.50 "
                f"(at most two decimals), not {text!r}",
            )
            return None
        if value < 0:
            self.error(line, f"{what} must be at least 0, not {text}")
            return None
        return value


def parse(data: str | bytes) -> PabulibFile:
    """Read a Pabulib file; raises :class:`ParseError` listing what is wrong, by line."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            line = data[: error.start].count(b"\n") + 1
            raise ParseError([(line, "the file is not UTF-8 text")]) from error
    text = data.removeprefix("\ufeff")
    r = _Reader()
    sections: dict[str, tuple[int, list[str], list[tuple[int, list[str]]]]] = {}
    current: str | None = None
    header_due = False
    for line, cells in _rows(text):
        name = cells[0].upper()
        if name in SECTIONS and not any(cells[1:]):
            if name in sections:
                r.error(line, f"a second {name} section")
                current = None
                continue
            sections[name] = (line, [], [])
            current, header_due = name, True
        elif current is None:
            if not sections:
                r.error(line, "the file must start with a META section")
        elif header_due:
            header_due = False
            if current == "META" and [c.lower() for c in cells] != ["key", "value"]:
                # Files published by cities often leave the header out: it is implied.
                sections[current] = (sections[current][0], ["key", "value"], [(line, cells)])
                continue
            sections[current] = (sections[current][0], cells, [])
        else:
            sections[current][2].append((line, cells))
    for name in SECTIONS:
        if name not in sections:
            r.error(1, f"the {name} section is missing")
        elif not sections[name][1]:
            r.error(sections[name][0], f"the {name} section has no header row")
    if r.errors:
        raise ParseError(r.errors)

    meta, meta_lines = _read_meta(r, *sections["META"])
    vote_type = meta.get("vote_type", "")
    project_columns, projects, known = _read_projects(r, *sections["PROJECTS"])
    vote_columns, votes = _read_votes(r, *sections["VOTES"], known, vote_type == "cumulative")
    if r.errors:
        raise ParseError(sorted(r.errors))
    if vote_type == "ordinal" and _WHOLE.fullmatch(meta.get("max_length", "")):
        # every vote was kept (no error above), so votes and rows go together
        longest = _whole(meta["max_length"])
        for (at, _cells), vote in zip(sections["VOTES"][2], votes, strict=True):
            if len(vote.vote) > longest:
                r.error(
                    at, f"voter {vote.voter_id!r} ranks more than max_length {longest} projects"
                )
    for key, actual in (("num_projects", len(projects)), ("num_votes", len(votes))):
        if key in meta and _whole(meta[key]) != actual:
            r.error(meta_lines[key], f"{key} says {meta[key]} but the file has {actual}")
    if r.errors:
        raise ParseError(sorted(r.errors))
    return PabulibFile(meta, tuple(projects), tuple(votes), project_columns, vote_columns)


def _check_header(
    r: _Reader, line: int, header: list[str], section: str, required: tuple[str, ...]
) -> bool:
    ok = True
    for column in required:
        if column not in header:
            r.error(line + 1, f"the {section} header lacks the {column!r} column")
            ok = False
    seen: set[str] = set()
    for column in header:
        if column in seen:
            r.error(line + 1, f"the {section} header repeats the {column!r} column")
            ok = False
        seen.add(column)
    return ok


def _cells(r: _Reader, line: int, cells: list[str], header: list[str]) -> dict[str, str] | None:
    if len(cells) != len(header):
        r.error(line, f"{len(cells)} fields where the header has {len(header)}")
        return None
    return dict(zip(header, cells, strict=True))


def _read_meta(
    r: _Reader, line: int, header: list[str], rows: list[tuple[int, list[str]]]
) -> tuple[dict[str, str], dict[str, int]]:
    if len(header) != 2:
        r.error(line + 1, "the META header must be 'key;value'")
    meta: dict[str, str] = {}
    where: dict[str, int] = {}
    for at, cells in rows:
        if len(cells) != 2:
            r.error(at, f"a META line has a key and a value, not {len(cells)} fields")
            continue
        key, value = cells
        if key in meta:
            r.error(at, f"META {key!r} given twice (first on line {where[key]})")
            continue
        meta[key], where[key] = value, at
    for key in ("budget", "vote_type"):
        if key not in meta:
            r.error(line, f"META lacks {key!r}")
    if "budget" in meta:
        r.amount(where["budget"], meta["budget"], "the budget")
    vote_type = meta.get("vote_type")
    if vote_type is not None and vote_type not in SUPPORTED_VOTE_TYPES:
        if vote_type in KNOWN_VOTE_TYPES:
            message = f"{vote_type} votes are not supported (only approval, cumulative and ordinal)"
        else:
            message = f"unknown vote_type {vote_type!r}"
        r.error(where["vote_type"], message)
    if vote_type == "ordinal" and meta.get("scoring_fn", "").strip().lower() not in BORDA:
        r.error(
            where["scoring_fn"],
            f"the scoring_fn {meta['scoring_fn']!r} is not supported (only Borda's count)",
        )
    for key in ("num_projects", "num_votes", "max_length"):
        if key in meta:
            r.whole(where[key], meta[key], key)
    return meta, where


def _read_projects(
    r: _Reader, line: int, header: list[str], rows: list[tuple[int, list[str]]]
) -> tuple[tuple[str, ...], list[Project], set[str]]:
    """The projects, and every project id seen (so votes for a flawed project are no error)."""
    if not _check_header(r, line, header, "PROJECTS", ("project_id", "cost")):
        return tuple(header), [], set()
    projects: list[Project] = []
    where: dict[str, int] = {}
    for at, cells in rows:
        values = _cells(r, at, cells, header)
        if values is None:
            continue
        project_id = values.pop("project_id")
        cost = r.amount(at, values.pop("cost"), f"the cost of project {project_id!r}")
        if not project_id:
            r.error(at, "a project without a project_id")
        elif project_id in where:
            r.error(at, f"project {project_id!r} appears twice (first on line {where[project_id]})")
        else:
            where[project_id] = at
            if cost is not None:
                projects.append(Project(project_id, cost, values))
    return tuple(header), projects, set(where)


def _read_votes(
    r: _Reader,
    line: int,
    header: list[str],
    rows: list[tuple[int, list[str]]],
    known: set[str],
    cumulative: bool,
) -> tuple[tuple[str, ...], list[Vote]]:
    required = ("voter_id", "vote", "points") if cumulative else ("voter_id", "vote")
    if not _check_header(r, line, header, "VOTES", required):
        return tuple(header), []
    votes: list[Vote] = []
    where: dict[str, int] = {}
    for at, cells in rows:
        values = _cells(r, at, cells, header)
        if values is None:
            continue
        voter_id = values.pop("voter_id")
        vote = tuple(p.strip() for p in values.pop("vote").split(",") if p.strip())
        ok = True
        if not voter_id:
            r.error(at, "a vote without a voter_id")
            ok = False
        elif voter_id in where:
            r.error(at, f"voter {voter_id!r} appears twice (first on line {where[voter_id]})")
            ok = False
        for project_id in vote:
            if project_id not in known:
                r.error(at, f"voter {voter_id!r} votes for unknown project {project_id!r}")
                ok = False
        if len(set(vote)) != len(vote):
            r.error(at, f"voter {voter_id!r} lists a project twice")
            ok = False
        points: tuple[int, ...] | None = None
        if cumulative:
            texts = [p.strip() for p in values.pop("points").split(",") if p.strip()]
            given = [r.whole(at, t, f"the points of voter {voter_id!r}") for t in texts]
            if len(given) != len(vote):
                r.error(at, f"voter {voter_id!r} has {len(vote)} projects but {len(given)} points")
                ok = False
            if any(g is None for g in given):
                ok = False
            else:
                points = tuple(g for g in given if g is not None)
        if ok:
            where[voter_id] = at
            votes.append(Vote(voter_id, vote, points, values))
    return tuple(header), votes


# --------------------------------------------------------------------------------------------
# Writing


def _cell(value: str) -> str:
    # Quoted as the csv module does, and also when it holds a carriage return (csv leaves
    # those bare when lines end with "\n", and a reader takes them for line ends).
    if any(character in value for character in ';"\r\n'):
        return '"' + value.replace('"', '""') + '"'
    return value


def dumps(pb: PabulibFile) -> str:
    """The file as Pabulib text (``\\n`` line ends), which :func:`parse` reads back equal."""
    lines: list[str] = []

    def row(cells) -> None:
        lines.append(";".join(_cell(str(c)) for c in cells) + "\n")

    row(["META"])
    row(["key", "value"])
    for item in pb.meta.items():
        row(item)
    row(["PROJECTS"])
    row(pb.project_columns)
    for project in pb.projects:
        core = {"project_id": project.project_id, "cost": amount_text(project.cost)}
        row([core.get(c, project.fields.get(c, "")) for c in pb.project_columns])
    row(["VOTES"])
    row(pb.vote_columns)
    for vote in pb.votes:
        core = {"voter_id": vote.voter_id, "vote": ",".join(vote.vote)}
        if vote.points is not None:
            core["points"] = ",".join(str(p) for p in vote.points)
        row([core.get(c, vote.fields.get(c, "")) for c in pb.vote_columns])
    return "".join(lines)
