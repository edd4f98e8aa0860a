"""Server-rendered bar charts: the geometry of an accessible SVG, computed here (pure).

Each bar has a text label and a value written beside it, and each series its own pattern
(solid, hatched), so nothing is told by colour alone. Right-to-left pages get the mirror image:
labels on the right, bars growing to the left.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

WIDTH = 640
LABEL_WIDTH = 190
BAR_AREA = 330
BAR_HEIGHT = 16
BAR_GAP = 4
GROUP_GAP = 14
TOP = 8
LEGEND_LINE = 18
# A label wraps onto lines of at most this many characters (what LABEL_WIDTH holds at 13 px),
# LABEL_LINE apart: a long title is never cut nor drawn under the bars.
LABEL_CHARS = 24
LABEL_LINE = 15


@dataclass(frozen=True)
class Bar:
    series: int
    x: float
    y: float
    width: float
    height: float
    value_x: float
    value_anchor: str
    text: str


@dataclass(frozen=True)
class Group:
    label: str
    lines: list[str]  # the label wrapped; label_y is the first line's baseline
    label_x: float
    label_y: float
    label_anchor: str
    bars: list[Bar]


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    groups: list[Group]
    legend: list[
        tuple[int, str, float, float, float, str]
    ]  # series, name, box x, y, text x, anchor
    label_line: int = LABEL_LINE  # between the lines of a wrapped label


def bar_chart(
    groups: list[tuple[str, list[tuple[float | None, str]]]],
    series_names: list[str],
    *,
    rtl: bool = False,
) -> Chart:
    """`groups`: (label, [(fraction 0..1 or None, value text) per series])."""

    def x_of(x: float, width: float = 0) -> float:
        # Left edge of a box that starts `x` from the inline start and is `width` wide.
        return WIDTH - x - width if rtl else x

    start, end = ("end", "start") if rtl else ("start", "end")
    y = TOP
    legend = []
    for index, name in enumerate(series_names):
        # One line per series: names of any length, in any language, never overlap.
        box = 12
        legend.append((index, name, x_of(LABEL_WIDTH, box), y, x_of(LABEL_WIDTH + box + 6), start))
        y += LEGEND_LINE
    if series_names:
        y += 6
    drawn = []
    for label, values in groups:
        bars = []
        group_top = y
        for series, (fraction, text) in enumerate(values):
            width = max(0.0, min(1.0, fraction or 0.0)) * BAR_AREA
            bars.append(
                Bar(
                    series=series,
                    x=round(x_of(LABEL_WIDTH, width), 1),
                    y=y,
                    width=round(width, 1),
                    height=BAR_HEIGHT,
                    value_x=round(x_of(LABEL_WIDTH + width + 6), 1),
                    value_anchor=start,
                    text=text,
                )
            )
            y += BAR_HEIGHT + BAR_GAP
        lines = textwrap.wrap(label, LABEL_CHARS) or [label]
        bars_height = y - group_top - BAR_GAP
        text_height = (len(lines) - 1) * LABEL_LINE + 10
        # The first baseline, so the lines sit centred on the bars (or the bars on the lines).
        first = group_top + (bars_height - text_height) / 2 + 10
        if first < group_top + 10:
            first = group_top + 10
            y = group_top + text_height + BAR_GAP
        drawn.append(Group(label, lines, x_of(LABEL_WIDTH - 8), first, end, bars))
        y += GROUP_GAP
    return Chart(width=WIDTH, height=int(y + TOP), groups=drawn, legend=legend)
