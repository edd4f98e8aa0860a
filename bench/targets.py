"""The targets of docs/benchmarks.md that concern pages and memory, as pure checks.

No Flask, no database: the figures go in, the misses come out, so tests/test_bench.py can
prove each check fails when it should.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

SCALE = 1.3  # page p50 at the largest size ÷ at the smallest (per item shown where it grows)
MAX_STATEMENTS = 15  # SQL statements per request, identical at every size
P95_MS = 250.0  # at the largest size, under the concurrent load
RSS_MB = 250.0  # peak resident memory (VmHWM) of one app worker


def percentile(values: list[float], q: float) -> float:
    """The nearest-rank percentile (q in 0–100): the smallest value with at least q % of the
    values at or below it. No interpolation, so it is always a measured latency."""
    if not values:
        raise ValueError("no values")
    if not 0 <= q <= 100:
        raise ValueError("q is a percentage")
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


@dataclass(frozen=True)
class Miss:
    target: str  # "scale", "statements", "statements constant", "p95", "status", "memory"
    page: str  # the page (and role), or "" for the whole run
    figure: float | int | str
    limit: float | int | str

    def __str__(self) -> str:
        where = f"{self.page}: " if self.page else ""
        return f"{where}{self.target} {self.figure} (target {self.limit})"


def scale_ratio(
    p50_small: float, p50_large: float, items_small: int = 1, items_large: int = 1
) -> float:
    """Large ÷ small, per item shown when the page shows more items at the large size (the
    results page lists every project of its consultation)."""
    if p50_small <= 0 or items_small <= 0 or items_large <= 0:
        raise ValueError("figures must be positive")
    return (p50_large / items_large) / (p50_small / items_small)


def check_page(
    page: str,
    *,
    scale: float | None,
    statements: dict[str, int | None],
    p95_large_ms: float,
    statuses: set[int],
) -> list[Miss]:
    """The misses of one page: `statements` per size (None: not counted), `scale` as
    `scale_ratio` gives it (None: measured at one size only)."""
    misses = []
    if scale is not None and scale > SCALE:
        misses.append(Miss("scale", page, round(scale, 2), f"≤ {SCALE}"))
    counted = [n for n in statements.values() if n is not None]
    if counted and max(counted) > MAX_STATEMENTS:
        misses.append(Miss("statements", page, max(counted), f"≤ {MAX_STATEMENTS}"))
    if len(set(counted)) > 1:
        shown = "/".join(str(n) for n in statements.values())
        misses.append(Miss("statements constant", page, shown, "identical at every size"))
    if p95_large_ms >= P95_MS:
        misses.append(Miss("p95", page, round(p95_large_ms, 1), f"< {P95_MS:g} ms"))
    if statuses != {200}:
        misses.append(Miss("status", page, ",".join(map(str, sorted(statuses))), "200 only"))
    return misses


def check_memory(peak_rss_mb: float | None) -> list[Miss]:
    if peak_rss_mb is None:
        return [Miss("memory", "", "not measured", f"< {RSS_MB:g} MB")]
    if peak_rss_mb >= RSS_MB:
        return [Miss("memory", "", round(peak_rss_mb, 1), f"< {RSS_MB:g} MB")]
    return []
