"""The observatory's arithmetic: bridging scores, interaction shares, small-group suppression.

Pure functions (no Flask, no database), tested directly. Figures are about groups of people
(a language group: the first content language; or an opt-in self-declared community), never
about one person: any group smaller than the minimum group size is suppressed.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field

# The key of the bucket that gathers the groups below the minimum group size.
OTHER = "_other"
MINIMUM_GROUP_SIZE = 5


def bridging_scores(
    approvals: Mapping[Hashable, Mapping[str, int]], participants: Mapping[str, int]
) -> dict[Hashable, float]:
    """The bridging score of each proposal (docs/domain.md, "The observatory").

    For proposal i and group g, p_g = (approvals of i by g + 1) / (participants of g + 2);
    the score is the geometric mean of p_g over the groups that took part (participants > 0).
    A proposal supported by every group scores above one supported massively by one group only.
    Logs are summed in a fixed group order, so the same figures give the same float anywhere.
    """
    groups = sorted(group for group, n in participants.items() if n > 0)
    if not groups:
        return dict.fromkeys(approvals, 0.0)
    scores: dict[Hashable, float] = {}
    for proposal, by_group in approvals.items():
        total = math.fsum(
            math.log((by_group.get(group, 0) + 1) / (participants[group] + 2)) for group in groups
        )
        scores[proposal] = math.exp(total / len(groups))
    return scores


def baseline_score(participants: Mapping[str, int]) -> float:
    """The score of a proposal nobody approved: every supported proposal scores above it."""
    return bridging_scores({None: {}}, participants)[None]


def bridging_ranking(
    approvals: Mapping[int, Mapping[str, int]], participants: Mapping[str, int]
) -> list[tuple[int, float, int]]:
    """(proposal, score, groups that approved it), best first; ties go to the lower id."""
    scores = bridging_scores(approvals, participants)
    rows = [
        (proposal, scores[proposal], sum(1 for n in by_group.values() if n > 0))
        for proposal, by_group in approvals.items()
    ]
    return sorted(rows, key=lambda row: (-row[1], row[0]))


@dataclass(frozen=True)
class Interaction:
    """Acts (comments or supports) and how many of them cross languages."""

    acts: int
    across: int
    actors: int = 0

    @property
    def share(self) -> float | None:
        return self.across / self.acts if self.acts else None


def interaction_share(pairs: Mapping[tuple[str, str], int]) -> Interaction:
    """From {(actor's first content language, proposal's language): acts}, the share of acts
    going to a proposal in another language than the actor's. Acts of an unknown language
    ("" or None on either side) count as acts but never as crossing."""
    acts = sum(pairs.values())
    across = sum(n for (mine, theirs), n in pairs.items() if mine and theirs and mine != theirs)
    return Interaction(acts=acts, across=across)


def interaction_shares(
    rows: Mapping[Hashable, Mapping[tuple[str, str], int]],
) -> dict[Hashable, Interaction]:
    """`interaction_share` for each key (a consultation, a month...)."""
    return {key: interaction_share(pairs) for key, pairs in rows.items()}


@dataclass
class Suppressed:
    """Counts by group after suppression: `rows` are the groups of at least the minimum size,
    largest first; `other` gathers the smaller ones (None when that bucket is itself below the
    minimum: then it is left out, and so is it from `total`). `total` is the sum of what is
    shown, so the shares add up and nothing hidden can be found by subtraction."""

    rows: list[tuple[str, int]]
    other: int | None
    total: int
    hidden_groups: int
    minimum: int
    shares: dict[str, float] = field(default_factory=dict)

    def items(self) -> list[tuple[str, int]]:
        """The rows and, if shown, the other groups' bucket (key OTHER), in display order."""
        return self.rows + ([(OTHER, self.other)] if self.other is not None else [])

    def as_dict(self) -> dict[str, int]:
        return dict(self.items())


def suppress(counts: Mapping[str, int], minimum: int = MINIMUM_GROUP_SIZE) -> Suppressed:
    """Hide every group smaller than `minimum`; gather them in an "other groups" bucket that is
    itself hidden when below `minimum`. Shares are computed on what remains."""
    shown = sorted(
        ((group, n) for group, n in counts.items() if n >= minimum and group != OTHER),
        key=lambda row: (-row[1], row[0]),
    )
    small = [n for group, n in counts.items() if n > 0 and (n < minimum or group == OTHER)]
    other = sum(small)
    bucket = other if small and other >= minimum else None
    total = sum(n for _group, n in shown) + (bucket or 0)
    result = Suppressed(
        rows=shown, other=bucket, total=total, hidden_groups=len(small), minimum=minimum
    )
    result.shares = {group: n / total for group, n in result.items()} if total else {}
    return result


def compare_with_population(
    participation: Suppressed, population: Mapping[str, float]
) -> list[tuple[str, int | None, float | None, float | None]]:
    """(group, participants, share of participants, share of the population) for every group
    shown or spoken in the city, population first: a language spoken by 8% of residents with
    no group shown is under-reached (its participants are either none or too few to show)."""
    rows = []
    seen = set()
    for language, share in sorted(population.items(), key=lambda row: (-row[1], row[0])):
        n = dict(participation.rows).get(language)
        rows.append((language, n, participation.shares.get(language), share))
        seen.add(language)
    for group, n in participation.rows:
        if group not in seen:
            rows.append((group, n, participation.shares.get(group), None))
    if participation.other is not None:
        rows.append((OTHER, participation.other, participation.shares.get(OTHER), None))
    return rows
