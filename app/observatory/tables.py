"""The figures of each observatory page as tables: one source for the page (a data table and a
chart beside it), the CSV and the JSON exports, so the exports never show more than the page.

A value of None is a suppressed figure (about fewer people than the minimum group size).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

from babel import Locale
from babel.numbers import format_decimal, parse_pattern
from flask_babel import gettext as _

from app.exports import spreadsheet_safe
from app.i18n import PERCENT_PATTERN, language_name
from app.observatory import figures
from app.observatory.charts import Chart, bar_chart
from app.observatory.services import UNKNOWN, InteractionRow


@dataclass
class Column:
    key: str
    heading: str
    kind: str = "count"  # "text", "count", "share", "score"


@dataclass(frozen=True)
class Cell:
    """A figure as the page writes it: `state` "shown", "hidden" (suppressed) or "na" (does
    not apply); `text` is what a screen reader and the chart say in every state."""

    text: str
    state: str = "shown"


class Formatter:
    """Writes a page's figures in the reader's locale, the patterns parsed once per page (a
    page of 40 cities writes some 400 figures)."""

    def __init__(self, locale: str) -> None:
        self.locale = Locale.parse(locale)
        self.percent = parse_pattern(PERCENT_PATTERN)
        self.hidden = _("hidden")
        self.not_applicable = _("not applicable")

    def cell(self, column: Column, value: Any, applicable: bool = True) -> Cell:
        if not applicable:
            return Cell(self.not_applicable, "na")
        if value is None:
            return Cell(self.hidden, "hidden")
        if column.kind == "share":
            return Cell(self.percent.apply(value, self.locale))
        if column.kind == "score":
            return Cell(f"{value:.3f}")
        if column.kind == "text":
            return Cell(language_name(value))
        return Cell(format_decimal(value, locale=self.locale))


@dataclass
class Row:
    key: str
    label: str
    values: list[Any]
    href: str | None = None
    label_language: str | None = None  # a user text (a proposal's title) in its language
    # Values that do not apply (a share of no texts): None in the exports like a hidden
    # figure, but shown as "—" rather than "hidden".
    not_applicable: tuple[int, ...] = ()
    cells: list[Cell] = field(default_factory=list)  # the values written (Table.write)


@dataclass
class Table:
    name: str
    caption: str
    label_heading: str
    columns: list[Column]
    rows: list[Row] = field(default_factory=list)
    note: str = ""
    # Which columns (shares, 0..1) the chart draws, and the chart once drawn.
    charted: list[int] = field(default_factory=list)
    chart: Chart | None = None
    summary: str = ""

    def write(self, formatter: Formatter, rtl: bool) -> None:
        """Write every value once (for the table, the chart and its text alternative), then
        draw the chart."""
        for row in self.rows:
            row.cells = [
                formatter.cell(column, value, index not in row.not_applicable)
                for index, (column, value) in enumerate(zip(self.columns, row.values, strict=True))
            ]
        if not self.charted or not self.rows:
            return
        groups = []
        for row in self.rows:
            values = []
            for index in self.charted:
                cell = row.cells[index]
                values.append((row.values[index], "—" if cell.state == "na" else cell.text))
            groups.append((row.label, values))
        self.chart = bar_chart(groups, [self.columns[i].heading for i in self.charted], rtl=rtl)


def group_label(key: str, minimum: int) -> str:
    if key == figures.OTHER:
        return _("other groups (fewer than %(n)s people each)", n=minimum)
    if key == UNKNOWN:
        return _("language not stated")
    return language_name(key)


def participation_table(
    participation: figures.Suppressed, population: dict[str, float], minimum: int
) -> Table:
    table = Table(
        name="participation",
        caption=_("Participation by language group compared with the population"),
        label_heading=_("Language group"),
        columns=[
            Column("participants", _("Participants")),
            Column("participants_share", _("Share of participants"), "share"),
            Column("population_share", _("Share of the population"), "share"),
        ],
        charted=[1, 2],
        note=_(
            "A person's language group is their first content language. Groups of fewer than "
            "%(n)s people are not shown.",
            n=minimum,
        ),
    )
    for key, n, share, population_share in figures.compare_with_population(
        participation, population
    ):
        table.rows.append(Row(key, group_label(key, minimum), [n, share, population_share]))
    return table


def community_table(community: figures.Suppressed, minimum: int) -> Table:
    table = Table(
        name="community",
        caption=_("Participation by self-declared community"),
        label_heading=_("Community"),
        columns=[
            Column("participants", _("Participants")),
            Column("participants_share", _("Share of participants"), "share"),
        ],
        charted=[1],
        note=_(
            "Only people who chose to declare a community are counted, never shown one by one. "
            "Groups of fewer than %(n)s people are not shown.",
            n=minimum,
        ),
    )
    for key, n in community.items():
        label = group_label(key, minimum) if key == figures.OTHER else key
        table.rows.append(Row(key, label, [n, community.shares.get(key)]))
    return table


def _interaction_by_owner(rows: list[InteractionRow]) -> dict[Any, dict[str, InteractionRow]]:
    found: dict[Any, dict[str, InteractionRow]] = {}
    for row in rows:
        found.setdefault(row.owner, {})[row.kind] = row
    return found


def _interaction_values(kinds: dict[str, InteractionRow]) -> list[Any]:
    values: list[Any] = []
    for kind in ("comments", "supports"):
        row = kinds.get(kind)
        values += [row.acts if row else 0, row.share if row else None]
    return values


def _no_acts(kinds: dict[str, InteractionRow]) -> tuple[int, ...]:
    """The share columns of a kind with no acts at all: not applicable (rather than hidden)."""
    return tuple(index for index, kind in ((1, "comments"), (3, "supports")) if kind not in kinds)


def _interaction_columns() -> list[Column]:
    return [
        Column("comments", _("Comments")),
        Column("comments_across", _("Comments across languages"), "share"),
        Column("supports", _("Supports")),
        Column("supports_across", _("Supports across languages"), "share"),
    ]


def interaction_table(
    rows: list[InteractionRow],
    labels: dict,
    hrefs: dict,
    minimum: int,
    languages: dict | None = None,
) -> Table:
    table = Table(
        name="interaction",
        caption=_("Cross-language interaction by consultation"),
        label_heading=_("Consultation"),
        columns=_interaction_columns(),
        charted=[1, 3],
        note=_(
            "The share of comments and supports that go to proposals written in another "
            "language than the author's or supporter's first content language. Figures about "
            "fewer than %(n)s people are hidden.",
            n=minimum,
        ),
    )
    for owner, kinds in _interaction_by_owner(rows).items():
        table.rows.append(
            Row(
                str(owner),
                labels.get(owner, str(owner)),
                _interaction_values(kinds),
                hrefs.get(owner),
                (languages or {}).get(owner),
                not_applicable=_no_acts(kinds),
            )
        )
    return table


def monthly_table(rows: list[InteractionRow], minimum: int) -> Table:
    table = Table(
        name="interaction_by_month",
        caption=_("Cross-language interaction by month"),
        label_heading=_("Month"),
        columns=_interaction_columns(),
        charted=[1, 3],
        note=_("Figures about fewer than %(n)s people are hidden.", n=minimum),
    )
    for owner, kinds in sorted(_interaction_by_owner(rows).items(), key=lambda item: str(item[0])):
        table.rows.append(
            Row(str(owner), str(owner), _interaction_values(kinds), not_applicable=_no_acts(kinds))
        )
    return table


def coverage_table(coverage: dict[Any, tuple[int, int]], labels: dict) -> Table:
    table = Table(
        name="translation_coverage",
        caption=_("Translation coverage"),
        label_heading=_("City"),
        columns=[
            Column("texts", _("Texts")),
            Column("translated", _("Available in 2 or more languages")),
            Column("translated_share", _("Share available in 2 or more languages"), "share"),
        ],
        charted=[2],
        note=_(
            "Consultations, proposals, comments, municipal responses, step record entries and "
            "good practices with at least one published translation."
        ),
    )
    for owner, label in labels.items():
        texts, translated = coverage.get(owner, (0, 0))
        table.rows.append(
            Row(
                str(owner),
                label,
                [texts, translated, translated / texts if texts else None],
                not_applicable=() if texts else (2,),
            )
        )
    return table


def requests_table(requests: list[tuple[str, str, int, int]], minimum: int) -> Table:
    table = Table(
        name="open_translation_requests",
        caption=_("Open translation requests by language pair"),
        label_heading=_("Language pair"),
        columns=[
            Column("source", _("From"), "text"),
            Column("target", _("Into"), "text"),
            Column("people", _("People asking")),
            Column("texts", _("Texts")),
        ],
        note=_("Language pairs asked for by fewer than %(n)s people are not shown.", n=minimum),
    )
    for source, target, people, texts in requests:
        label = _(
            "%(source)s into %(target)s", source=language_name(source), target=language_name(target)
        )
        table.rows.append(Row(f"{source}-{target}", label, [source, target, people, texts]))
    return table


def bridging_table(rows, hrefs: dict) -> Table:
    table = Table(
        name="bridging_ranking",
        caption=_("Bridging ranking: proposals supported across language groups"),
        label_heading=_("Proposal"),
        columns=[
            Column("score", _("Bridging score"), "score"),
            Column("groups", _("Language groups approving")),
            Column("approvals", _("Approvals")),
        ],
        note=_(
            "For each language group, the share of its voters who approved the proposal (with "
            "one approval and one refusal added, so small groups do not dominate); the score is "
            "the geometric mean over the groups. A proposal approved by every group ranks above "
            "one approved massively by a single group."
        ),
    )
    for row in rows:
        table.rows.append(
            Row(
                str(row.proposal.id),
                row.proposal.title,
                [row.score, row.groups, row.approvals],
                hrefs.get(row.proposal.id),
                row.proposal.language,
            )
        )
    return table


def network_table(cities: list[dict], hrefs: dict, minimum: int) -> Table:
    table = Table(
        name="cities",
        caption=_("Participation and dialogue in every city"),
        label_heading=_("City"),
        columns=[
            Column("participants", _("Participants")),
            Column("language_groups", _("Language groups shown")),
            Column("comments_across", _("Comments across languages"), "share"),
            Column("supports_across", _("Supports across languages"), "share"),
            Column("translated_share", _("Share available in 2 or more languages"), "share"),
        ],
        charted=[2, 3],
        note=_("Figures about fewer than %(n)s people are hidden.", n=minimum),
    )
    for item in cities:
        city = item["city"]
        texts, translated = item["coverage"]
        comments, supports = item["comments"], item["supports"]
        table.rows.append(
            Row(
                city.slug,
                city.name,
                [
                    item["participants"],
                    len(item["participation"].rows),
                    comments.share if comments else None,
                    supports.share if supports else None,
                    translated / texts if texts else None,
                ],
                hrefs.get(city.id),
                # No comments, supports or texts at all: the share does not apply.
                not_applicable=tuple(
                    index
                    for index, missing in ((2, not comments), (3, not supports), (4, not texts))
                    if missing
                ),
            )
        )
    return table


# Exports.


def as_json(tables: list[Table], **about: Any) -> dict:
    return {
        **about,
        "figures": {
            table.name: [
                {
                    "key": row.key,
                    "label": row.label,
                    **{
                        column.key: value
                        for column, value in zip(table.columns, row.values, strict=True)
                    },
                }
                for row in table.rows
            ]
            for table in tables
        },
    }


def as_csv(tables: list[Table]) -> str:
    """Long format: one line per figure (table, row key, row label, column, value); a hidden
    figure has an empty value."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["table", "key", "label", "column", "value"])
    for table in tables:
        for row in table.rows:
            for column, value in zip(table.columns, row.values, strict=True):
                cell = (
                    ""
                    if value is None
                    else (round(value, 6) if isinstance(value, float) else value)
                )
                writer.writerow(
                    [table.name, row.key, spreadsheet_safe(row.label), column.key, cell]
                )
    return out.getvalue()
