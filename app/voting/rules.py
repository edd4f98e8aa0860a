"""Who wins a budget consultation: the greedy rule and the Method of Equal Shares.

Pure functions with no Flask or database import, so the result snapshot, the results page, the
``flask pabulib winners`` command and anyone holding the anonymised ballots compute the same
winners.

Inputs, for every rule:

* ``projects`` maps a project id (``int`` or ``str``) to its cost, a whole number of currency
  units (``0`` or more);
* ``ballots`` is one entry per voter: either a set of approved project ids (approval ballots) or a
  mapping project id → points (cumulative ballots). An empty ballot is a voter who approved
  nothing: it still counts as a voter (equal shares gives them their share of the budget, which
  they can spend on nothing);
* ``budget`` is the amount to spend, a whole number of currency units.

A project's *score* is its number of approvals, or its total points for cumulative ballots; its
*supporters* are the voters who approved it or gave it at least one point.

Ties are always broken the same, stated way: **fewer cost first, then lower id**. Ids compare
"naturally": numbers (and strings of digits such as Pabulib's ``"12"``) by value, before other
strings, which compare alphabetically.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    # Imported by the functions that compute (a tenth of a second): importing the rules, as
    # every page and command does, does not import numpy.
    import numpy as np

ProjectId = int | str
Ballot = Set[ProjectId] | Mapping[ProjectId, int]

TIE_BREAKING = "fewer cost first, then lower id"

_INTEGER_ID = re.compile(r"-?(?:0|[1-9][0-9]*)")


def project_order_key(project: ProjectId) -> tuple[int, int, str]:
    """The order of ids used to break ties: numbers (and digit strings) by value, then text."""
    if isinstance(project, int):
        return (0, project, "")
    if _INTEGER_ID.fullmatch(project):
        return (0, int(project), project)
    return (1, 0, project)


class Reason(StrEnum):
    """Why a project was or wasn't funded; stable codes that the results page translates."""

    SELECTED = "selected"
    """Funded by the rule itself (greedy, or bought by its supporters under equal shares)."""
    GREEDY_FILL = "greedy-fill"
    """Funded by the greedy fill that completes equal shares with the money left over."""
    DOES_NOT_FIT = "does-not-fit"
    """Its turn came when less money was left than it costs."""
    NOT_AFFORDABLE = "supporters-cannot-afford"
    """Equal shares: its supporters no longer had enough money left between them."""
    MORE_THAN_BUDGET = "more-than-budget"
    """It costs more than the whole budget."""
    NO_VOTES = "no-votes"
    """Nobody voted for it."""
    COSTS_NOTHING = "costs-nothing"
    """Plain equal shares with cost utilities gives a free project no weight (as pabutools does);
    the completion funds it."""


@dataclass(frozen=True)
class ProjectOutcome:
    """One project's part in a result: enough to explain it on the results page."""

    project: ProjectId
    cost: int
    score: int
    """Approvals, or total points for cumulative ballots."""
    supporters: int
    """Voters who approved it or gave it points."""
    selected: bool
    position: int | None
    """1-based place in the order of selection, for funded projects."""
    reason: Reason
    max_payment: float | None = None
    """Equal shares: the most that one supporter paid towards it, rounded to the cent."""


@dataclass(frozen=True)
class RuleResult:
    """The winners of one rule on one ballot box, with the detail needed to explain them."""

    rule: str
    budget: int
    num_voters: int
    winners: tuple[ProjectId, ...]
    """Funded projects, in the order the rule selected them."""
    total_cost: int
    projects: tuple[ProjectOutcome, ...]
    """Every project, in id order."""
    raise_per_voter: int | None = None
    """Equal shares: the currency units added to every voter's share (``k``); ``None`` for greedy."""
    tie_breaking: str = TIE_BREAKING

    @property
    def virtual_budget(self) -> int | None:
        """Equal shares: the budget the voters' shares add up to, ``budget + k × voters``."""
        if self.raise_per_voter is None:
            return None
        return self.budget + self.raise_per_voter * self.num_voters

    def outcome(self, project: ProjectId) -> ProjectOutcome:
        for item in self.projects:
            if item.project == project:
                return item
        raise KeyError(project)

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready form, in a stable order (for the result snapshot and its digest)."""
        return {
            "rule": self.rule,
            "budget": self.budget,
            "num_voters": self.num_voters,
            "raise_per_voter": self.raise_per_voter,
            "virtual_budget": self.virtual_budget,
            "tie_breaking": self.tie_breaking,
            "winners": list(self.winners),
            "total_cost": self.total_cost,
            "projects": [
                {
                    "project": item.project,
                    "cost": item.cost,
                    "score": item.score,
                    "supporters": item.supporters,
                    "selected": item.selected,
                    "position": item.position,
                    "reason": str(item.reason),
                    "max_payment": item.max_payment,
                }
                for item in self.projects
            ],
        }


# --------------------------------------------------------------------------------------------
# Input


@dataclass(frozen=True)
class _Profile:
    """The checked input, indexed: projects by position in id order, voters grouped by ballot."""

    ids: tuple[ProjectId, ...]
    cost: tuple[int, ...]
    score: tuple[int, ...]
    budget: int
    n: int
    mult: np.ndarray  # voters per distinct support set (int64)
    supporters: tuple[np.ndarray, ...]  # per project: indices of the support sets including it
    num_supporters: tuple[int, ...]
    same_as: tuple[int, ...]  # first project with the same cost and the same supporters
    ballot_ptr: np.ndarray  # support set u holds projects ballot_projects[ptr[u]:ptr[u + 1]]
    ballot_projects: np.ndarray
    reach: dict[int, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)

    def reached(self, j: int) -> tuple[np.ndarray, np.ndarray]:
        """Every (support set, project) pair of the support sets including project j."""
        import numpy as np

        if j not in self.reach:
            sets = self.supporters[j]
            starts = self.ballot_ptr[sets]
            lengths = self.ballot_ptr[sets + 1] - starts
            offsets = np.arange(int(lengths.sum())) - np.repeat(
                np.cumsum(lengths) - lengths, lengths
            )
            projects = self.ballot_projects[np.repeat(starts, lengths) + offsets]
            self.reach[j] = (np.repeat(sets, lengths), projects)
        return self.reach[j]

    @property
    def size(self) -> int:
        return sum(len(s) for s in self.supporters)


def _check_amount(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what} must be a whole number of currency units, not {value!r}")
    if value < 0:
        raise ValueError(f"{what} must not be negative (got {value})")
    return value


def _prepare(projects: Mapping[ProjectId, int], ballots: Sequence[Ballot], budget: int) -> _Profile:
    import numpy as np

    budget = _check_amount(budget, "the budget")
    for project, cost in projects.items():
        if isinstance(project, bool) or not isinstance(project, int | str):
            raise TypeError(f"a project id must be an int or a str, not {project!r}")
        _check_amount(cost, f"the cost of project {project!r}")
    ids = tuple(sorted(projects, key=project_order_key))
    position = {project: j for j, project in enumerate(ids)}
    approvals: Counter[frozenset[ProjectId]] = Counter()
    supports: Counter[frozenset[ProjectId]] = Counter()
    points: Counter[ProjectId] = Counter()
    for number, ballot in enumerate(ballots, start=1):
        kind = type(ballot)
        if kind is frozenset:
            approvals[ballot] += 1  # type: ignore[index]
        elif kind is set or (isinstance(ballot, Set) and not isinstance(ballot, Mapping)):
            approvals[frozenset(ballot)] += 1
        elif isinstance(ballot, Mapping):
            support = []
            for project, given in ballot.items():
                if project not in position:
                    raise ValueError(f"ballot {number} names an unknown project {project!r}")
                _check_amount(given, f"the points of ballot {number} for {project!r}")
                if given:
                    points[project] += given
                    support.append(project)
            supports[frozenset(support)] += 1
        else:
            raise TypeError(f"ballot {number} must be a set or a mapping, not {kind.__name__}")
    unknown = set().union(*approvals) - position.keys()
    if unknown:
        for number, ballot in enumerate(ballots, start=1):
            if not isinstance(ballot, Mapping) and not unknown.isdisjoint(ballot):
                found = min(unknown.intersection(ballot), key=project_order_key)
                raise ValueError(f"ballot {number} names an unknown project {found!r}")
    score = [points[p] for p in ids]
    for support, count in approvals.items():
        for project in support:
            score[position[project]] += count
    supports.update(approvals)
    distinct = [s for s in supports if s]
    mult = np.array([supports[s] for s in distinct], dtype=np.int64)
    flat = np.array([position[p] for s in distinct for p in s], dtype=np.int64)
    lengths = np.array([len(s) for s in distinct], dtype=np.int64)
    rows = np.repeat(np.arange(len(distinct), dtype=np.int64), lengths)
    order = np.argsort(flat, kind="stable")
    bounds = np.cumsum(np.bincount(flat, minlength=len(ids)))[:-1]
    supporters = tuple(np.split(rows[order], bounds)) if ids else ()
    num_supporters = tuple(int(mult[s].sum()) for s in supporters)
    first: dict[tuple[int, bytes], int] = {}
    same_as = tuple(
        first.setdefault((projects[p], supporters[j].tobytes()), j) for j, p in enumerate(ids)
    )
    return _Profile(
        ids=ids,
        cost=tuple(projects[p] for p in ids),
        score=tuple(score),
        budget=budget,
        n=len(ballots),
        mult=mult,
        supporters=supporters,
        num_supporters=num_supporters,
        same_as=same_as,
        ballot_ptr=np.concatenate(([0], np.cumsum(lengths))).astype(np.int64),
        ballot_projects=flat,
    )


# --------------------------------------------------------------------------------------------
# Greedy


def _greedy_order(profile: _Profile) -> list[int]:
    return sorted(
        range(len(profile.ids)),
        key=lambda j: (-profile.score[j], profile.cost[j], project_order_key(profile.ids[j])),
    )


def _fill_greedily(
    profile: _Profile, chosen: list[int], fill_reason: Reason
) -> tuple[list[int], dict[int, Reason]]:
    """Go down the greedy order adding every project with votes that still fits."""
    left = profile.budget - sum(profile.cost[j] for j in chosen)
    taken = set(chosen)
    winners = list(chosen)
    reasons = {j: Reason.SELECTED for j in chosen}
    for j in _greedy_order(profile):
        if j in taken:
            continue
        if profile.score[j] == 0:
            reasons[j] = Reason.NO_VOTES
        elif profile.cost[j] > profile.budget:
            reasons[j] = Reason.MORE_THAN_BUDGET
        elif profile.cost[j] > left:
            reasons[j] = Reason.DOES_NOT_FIT
        else:
            winners.append(j)
            left -= profile.cost[j]
            reasons[j] = fill_reason
    return winners, reasons


def _result(
    profile: _Profile,
    rule: str,
    winners: list[int],
    reasons: Mapping[int, Reason],
    payments: Mapping[int, float] | None = None,
    raise_per_voter: int | None = None,
) -> RuleResult:
    place = {j: i for i, j in enumerate(winners, start=1)}
    payments = payments or {}
    return RuleResult(
        rule=rule,
        budget=profile.budget,
        num_voters=profile.n,
        winners=tuple(profile.ids[j] for j in winners),
        total_cost=sum(profile.cost[j] for j in winners),
        projects=tuple(
            ProjectOutcome(
                project=profile.ids[j],
                cost=profile.cost[j],
                score=profile.score[j],
                supporters=profile.num_supporters[j],
                selected=j in place,
                position=place.get(j),
                reason=reasons[j],
                max_payment=payments.get(j),
            )
            for j in range(len(profile.ids))
        ),
        raise_per_voter=raise_per_voter,
    )


def greedy(projects: Mapping[ProjectId, int], ballots: Sequence[Ballot], budget: int) -> RuleResult:
    """The greedy rule: most votes first, skipping what no longer fits.

    Projects are taken in order of score (approvals, or points for cumulative ballots), highest
    first; equal scores go fewer cost first, then lower id. Each project is funded if its cost is
    at most the money still left, and skipped otherwise; the rule goes on down the list, so a
    cheaper project further down can still be funded. A project nobody voted for is never funded.
    """
    profile = _prepare(projects, ballots, budget)
    winners, reasons = _fill_greedily(profile, [], Reason.SELECTED)
    return _result(profile, "greedy", winners, reasons)


# --------------------------------------------------------------------------------------------
# Method of Equal Shares
#
# One run of MES at per-voter budget b.  Each round, every project still in play gets its
# *price per unit of utility* rho: with cost utilities a supporter's utility is the cost, and the
# supporters pay min(their money, pi) where pi, the most any of them pays, is the smallest value
# with sum(min(money_i, pi)) = cost.  So rho = pi / cost.  The project with the lowest rho is
# bought (ties: fewer cost, then lower id), its supporters pay, and the next round starts.  A
# project whose supporters hold less money than its cost drops out for good (money only
# decreases).  This is pabutools' method_of_equal_shares with sat_class=Cost_Sat.
#
# Exactness.  The run is done in floating point (numpy) when the instance is large, but every
# decision (which project wins a round, whether a project is affordable, whether a supporter pays
# all their money) is taken in floating point only if its margin exceeds a bound on the rounding
# error: values are sums of at most a million terms, each carried with a relative error of at
# most 2**-40 (doubles carry 2**-53, a factor 8192 to spare).  Otherwise the whole run is redone
# with exact fractions.  Exact ties, which are common (a project that no supporter has to pay
# all their money for has rho = 1 / number of supporters with money), are recognised and
# compared exactly.  Small instances always run exactly.
#
# Stability interval (for the completion).  Along a run, everything is an affine function of
# the per-voter budget b' = b + u for u >= 0 as long as the same decisions are taken: money
# beta_i + C_i u, prices pi + f u.  Each decision holds while some affine inequality does; the
# run records the smallest u at which one could fail ("limit").  For b' in [b, b + limit) the
# run makes the same decisions, so it selects the same projects in the same order.  Lower
# bounds: with any split of supporters into those paying all their money (P) and the others
# (R, not empty), (cost - sum_P money) / |R| is at most the true pi; so an earlier round's price
# stays a valid lower bound and a project not re-evaluated this round needs only that bound to
# stay above the winner's rho.  (Those who pay all they have stop doing so as money grows, which
# ends the interval often on large instances; hence also the next check.)
#
# Confirmation (for the completion).  With the decisions of a run at b held fixed, more money per
# voter leaves everyone at least as much money in every round, so every price can only fall.  A
# run at b_hi that follows b's decisions and finds, every round, every other project's price above
# the b-winner's price at b (or equal and behind it on the tie-break), and nothing affordable at
# the end, shows that every budget in [b, b_hi] takes b's decisions (_Mes.confirms).
#
# Ranges of raises (for the completion on large instances).  There, a few voters are always
# about to pay all their money, so the stability interval rarely reaches the next unit, and
# raising often swaps two projects without changing the set (on a benchmark of 20,000 voters
# and 100 projects, the order changes at 103 of 175 raises, the set at 22), so confirmations
# fail too: one run per raise.  But the completion needs less than the order: only that every
# raise selects projects costing at most the budget.  _fits_throughout shows this for a whole
# range of raises (6 to 12 of them) in about the time of one run or less, by running MES on
# intervals of money and following every project that may win a round, merging the branches
# that have bought the same set (see the comment above it).  On that benchmark the completion
# then takes 16 such proofs and 3 runs (k = 0, the raise over the budget, the last that fits)
# instead of 176 runs.  Where proofs fail (close to the raise that overspends), single runs
# settle the raises, with their stability interval (_raise_by_ranges).


_EPS = 2.0**-46
_EXACT_SIZE = 64  # up to this many (support set, project) pairs, compute exactly at once


class _Uncertain(Exception):
    """A floating-point decision was too close to call: redo the run exactly."""


@dataclass
class _Evaluation:
    rho: Any
    err: float
    exact: Fraction | None  # the exact rho, when known
    slope: Any  # d rho / du
    pi: Any
    pi_err: float
    f: Any  # d pi / du
    idx: np.ndarray  # supporters with money left
    untouched: bool  # no supporter has paid anything yet
    boundary: bool  # untouched, and every supporter pays exactly all their money


@dataclass
class _MesRun:
    k: int
    winners: list[int]
    payments: list[float]
    limit: float | Fraction
    prices: list[tuple[Any, Any, Fraction | None]]  # each winner's rho: value, error, exact

    def cost(self, profile: _Profile) -> int:
        return sum(profile.cost[j] for j in self.winners)


class _Mes:
    """One run of MES at per-voter budget (budget + k·n) / n; see the comment above."""

    def __init__(self, profile: _Profile, k: int, exact: bool) -> None:
        import numpy as np

        self.p = profile
        self.k = k
        self.exact = exact
        self.total = profile.budget + k * profile.n
        size, m = len(profile.mult), len(profile.ids)
        counts = np.array(profile.num_supporters, dtype=np.int64)
        if exact:
            self.b: Any = Fraction(self.total, profile.n)
            self.zero: Any = 0
            self.money = np.full(size, self.b, dtype=object)
            self.slope = np.full(size, 1, dtype=object)
            self.mult = np.array(profile.mult.tolist(), dtype=object)
            self.totals = np.array([c * self.b for c in profile.num_supporters], dtype=object)
        else:
            self.b = self.total / profile.n
            self.zero = 0.0
            self.money = np.full(size, self.b)
            self.slope = np.ones(size)
            self.mult = profile.mult.astype(np.float64)
            self.totals = counts * self.b
            self.scratch = np.zeros(size)
        # per voter: a bound on the rounding error of their money (floating point only);
        # per project: its supporters' money, and how many of them have money left
        self.err = np.full(size, 0.0 if exact else _EPS * self.b)
        self.max_err = 0.0 if exact else _EPS * self.b
        self.scale = counts * float(self.b)
        self.live_count = counts.astype(np.float64)
        self.live_sets = np.array([len(s) for s in profile.supporters], dtype=np.int64)
        self.touched = np.zeros(m, dtype=bool)
        self.supporters = list(profile.supporters)
        costs = np.array(profile.cost, dtype=np.int64)
        self.p_costs = costs.astype(object) if exact else costs.astype(np.float64)
        self.rounds = 0
        self.winner = -1  # the project being paid for
        self.limit: Any = math.inf

    # -- helpers ------------------------------------------------------------------------------

    def _div(self, a: Any, c: Any) -> Any:
        return Fraction(a) / c if self.exact else a / c

    def _tolerance(self, terms: int) -> float:
        return 0 if self.exact else _EPS * (terms + self.rounds + 2)

    def _total_error(self, j: Any) -> Any:
        """Error bound of the maintained supporters' money (updated once per round)."""
        if self.exact:
            return self.zero
        terms = self.live_sets[j] + 2
        carried = self.live_count[j] * self.max_err
        return carried + _EPS * terms * (self.rounds + 2) * (self.scale[j] + self.p_costs[j])

    def _bound(self, alpha: Any, gamma: Any) -> None:
        """Record the constraint alpha + gamma·u >= 0, which holds at u = 0."""
        if gamma < 0 and self.limit > 1:  # at 1 or less, the next run is the next unit anyway
            self.limit = min(self.limit, max(alpha, 0) / -gamma)

    def _slope_of(self, j: int) -> Any:
        """How fast project j's supporters' money grows with the per-voter budget."""
        idx = self.supporters[j]
        return (self.slope[idx] * self.mult[idx]).sum()

    def _bound_all(self, alphas: np.ndarray, gammas: np.ndarray) -> None:
        """The same for several constraints at once."""
        import numpy as np

        if self.limit <= 1:
            return
        falling = gammas < 0
        if falling.any():
            ratios = np.maximum(alphas[falling], self.zero) / -gammas[falling]
            self.limit = min(self.limit, ratios.min())

    # -- one project's price ------------------------------------------------------------------

    def evaluate(self, j: int) -> _Evaluation | None:
        """The project's current rho, or None (after recording why) if it is unaffordable."""
        import numpy as np

        p, cost = self.p, self.p.cost[j]
        if not self.touched[j]:
            supporters = p.num_supporters[j]
            short = cost * p.n - self.total * supporters
            if short > 0:  # exactly unaffordable
                alpha = Fraction(short, p.n)
                self._bound(alpha if self.exact else float(alpha), -supporters)
                return None
            exact = Fraction(1, supporters)
            return _Evaluation(
                rho=exact if self.exact else 1.0 / supporters,
                err=self.zero if self.exact else _EPS / supporters,
                exact=exact,
                slope=self.zero,
                pi=self._div(cost, supporters),
                pi_err=self.zero if self.exact else _EPS * cost / supporters,
                f=self.zero,
                idx=self.supporters[j],
                untouched=True,
                boundary=short == 0,
            )
        total, total_err = self.totals[j], self._total_error(j)
        if total < cost - total_err:
            if self.limit > 1:
                self._bound(cost - total - total_err, -self._slope_of(j))
            return None
        if not self.exact and total <= cost + total_err:
            raise _Uncertain
        idx = self.supporters[j]
        money = self.money[idx]
        if self.live_sets[j] < idx.size:
            alive = money > 0
            idx, money = idx[alive], money[alive]
            self.supporters[j] = idx
        weight = self.mult[idx]
        count = int(self.live_count[j])
        tol = self._tolerance(idx.size)
        pi = self._div(cost, count)
        poor = money < pi
        npoor = int(np.count_nonzero(poor))
        poor_money: Any = self.zero
        rich = count
        for _ in range(32):
            if not npoor:
                break
            poor_money = (money[poor] * weight[poor]).sum()
            rich = count - int(weight[poor].sum())
            pi = self._div(cost - poor_money, rich)
            poor = money < pi
            now = int(np.count_nonzero(poor))
            if now == npoor:
                break
            npoor = now
        else:
            pi, poor, poor_money, rich = self._price_by_sorting(money, weight, cost, count)
            npoor = int(np.count_nonzero(poor))
        # how fast pi falls as every voter gets more money (those paying all they have pay more);
        # needed only while the run may still be stable over more than one unit
        f = self.zero
        if npoor and self.limit > 1:
            f = -self._div((weight[poor] * self.slope[idx[poor]]).sum(), rich)
        if self.exact:
            pi_err = err = self.zero
            exact: Fraction | None = self._div(pi, cost)
            rho = exact
        else:
            # pi moves by at most the errors of those who (may) pay all they have, over the rest
            error = self.err[idx]
            maybe_poor = money - error < pi
            carried = (error[maybe_poor] * weight[maybe_poor]).sum()
            pi_err = (2 * carried + tol * (cost + poor_money)) / rich
            rho = pi / cost
            err = pi_err / cost + _EPS * rho
            exact = None
            if not maybe_poor.any() and (money - error).min() - pi > pi_err:
                exact = Fraction(1, count)  # nobody pays all their money: pi = cost / count
        return _Evaluation(rho, err, exact, self._div(f, cost), pi, pi_err, f, idx, False, False)

    def _price_by_sorting(
        self, money: np.ndarray, weight: np.ndarray, cost: int, count: int
    ) -> tuple[Any, np.ndarray, Any, int]:
        """pi when many supporters pay all their money: scan them by increasing money."""
        import numpy as np

        order = np.argsort(money, kind="stable")
        sorted_money = money[order]
        sorted_weight = weight[order]
        paid_before = np.concatenate(([self.zero], np.cumsum(sorted_money * sorted_weight)[:-1]))
        rich_from = count - np.concatenate(([self.zero], np.cumsum(sorted_weight)[:-1]))
        if self.exact:
            prices = np.array(
                [Fraction(cost - a) / r for a, r in zip(paid_before, rich_from, strict=True)],
                dtype=object,
            )
        else:
            prices = (cost - paid_before) / rich_from
        previous = np.concatenate(([-1], sorted_money[:-1]))
        fits = (prices <= sorted_money) & (previous < prices)
        at = int(np.argmax(fits)) if fits.any() else int(np.argmax(prices <= sorted_money))
        pi = prices[at]
        poor = money < pi
        return pi, poor, (money[poor] * weight[poor]).sum(), int(rich_from[at])

    # -- the run ------------------------------------------------------------------------------

    def run(self) -> _MesRun:
        import numpy as np

        p = self.p
        m = len(p.ids)
        dtype = object if self.exact else np.float64
        supporters = np.array(p.num_supporters, dtype=np.int64)
        costs = np.array(p.cost, dtype=np.int64)
        in_play = (supporters > 0) & (costs > 0)
        # a lower bound of each project's rho: value, error, slope, and whether it is an exact
        # constant (then rho = 1 / supporters with money, which can only grow)
        if self.exact:
            bound = np.array([Fraction(1, max(s, 1)) for s in p.num_supporters], dtype=object)
        else:
            bound = 1.0 / np.maximum(supporters, 1)
        bound_err = np.zeros(m, dtype=dtype) if self.exact else _EPS * bound
        bound_slope = np.zeros(m, dtype=dtype)
        bound_const = np.ones(m, dtype=bool)
        winners: list[int] = []
        payments: list[float] = []
        prices: list[tuple[Any, Any, Fraction | None]] = []
        while True:
            candidates = np.flatnonzero(in_play)
            # drop, without evaluating them, the projects whose supporters lack the money
            lacking = (
                self.p_costs[candidates] - self.totals[candidates] - self._total_error(candidates)
            )
            short = lacking > 0
            if short.any():
                gone = candidates[short]
                in_play[gone] = False
                if self.limit > 1:
                    slopes = np.array([self._slope_of(j) for j in gone.tolist()], dtype=dtype)
                    self._bound_all(lacking[short], -slopes)
                candidates = candidates[~short]
            if not candidates.size:
                break
            keys = bound[candidates] - bound_err[candidates]
            best: tuple[int, _Evaluation] | None = None
            evaluated: dict[int, _Evaluation] = {}
            for j in candidates[np.argsort(keys, kind="stable")].tolist():
                if best is not None and bound[j] - bound_err[j] > best[1].rho + best[1].err:
                    break
                ev = self.evaluate(j)
                if ev is None:
                    in_play[j] = False
                    continue
                evaluated[j] = ev
                bound[j], bound_err[j], bound_slope[j] = ev.rho, ev.err, ev.slope
                bound_const[j] = ev.exact is not None and ev.slope == 0
                if best is None or self._before(j, ev.rho, best[0], best[1].rho):
                    best = (j, ev)
            if best is None:
                break
            w, ev = self._certify(best, evaluated)
            in_play[w] = False
            rest = np.flatnonzero(in_play)
            self._keep_order(ev, bound[rest], bound_err[rest], bound_slope[rest], bound_const[rest])
            self.winner = w
            self._pay(ev)
            winners.append(w)
            payments.append(float(ev.pi))
            prices.append((ev.rho, ev.err, ev.exact))
            self.rounds += 1
        limit = self.limit
        if not self.exact and limit != math.inf:
            limit = float(limit) * (1 - 1e-9) - 1e-9
        return _MesRun(self.k, winners, payments, limit, prices)

    def confirms(self, lower: _MesRun) -> bool:
        """Whether every per-voter budget from lower's up to this one takes lower's decisions.

        Follow lower's winners here, at the higher budget. With the same decisions, more money
        per voter leaves everyone at least as much money in every round, so every price is at
        most what it is at the lower budget and at least what it is here. So if, in every
        round, every other project's price here is above the winner's price at the lower budget
        (or equal and behind it on the tie-break), and everything left at the end is
        unaffordable here, then every budget in between makes exactly lower's decisions.
        """
        try:
            return self._confirms(lower)
        except _Uncertain:
            return False

    def _confirms(self, lower: _MesRun) -> bool:
        import numpy as np

        p = self.p
        supporters = np.array(p.num_supporters, dtype=np.int64)
        in_play = (supporters > 0) & (np.array(p.cost) > 0)
        bound = np.array([Fraction(1, max(s, 1)) for s in p.num_supporters], dtype=object)
        if not self.exact:
            bound = bound.astype(np.float64)
        bound_err = np.zeros(len(p.ids), dtype=object) if self.exact else _EPS * bound
        for w, (rho, err, exact) in zip(lower.winners, lower.prices, strict=True):
            in_play[w] = False
            candidates = np.flatnonzero(in_play)
            for j in candidates[np.argsort(bound[candidates] - bound_err[candidates])].tolist():
                if bound[j] - bound_err[j] > rho + err:
                    break
                ev = self.evaluate(j)
                if ev is None:
                    in_play[j] = False
                    continue
                bound[j], bound_err[j] = ev.rho, ev.err
                if ev.rho - ev.err > rho + err:
                    continue
                if exact is not None and ev.exact is not None:
                    behind = (p.cost[j], project_order_key(p.ids[j])) > (
                        p.cost[w],
                        project_order_key(p.ids[w]),
                    )
                    if ev.exact > exact or (ev.exact == exact and behind):
                        continue
                return False
            ev = self.evaluate(w)
            if ev is None:
                return False
            self.winner = w
            self._pay(ev)
            self.rounds += 1
        return all(self.evaluate(j) is None for j in np.flatnonzero(in_play).tolist())

    def _before(self, j: int, rho: Any, other: int, other_rho: Any) -> bool:
        p = self.p
        return (rho, p.cost[j], project_order_key(p.ids[j])) < (
            other_rho,
            p.cost[other],
            project_order_key(p.ids[other]),
        )

    def _certify(
        self, best: tuple[int, _Evaluation], evaluated: dict[int, _Evaluation]
    ) -> tuple[int, _Evaluation]:
        """The round's winner, made sure of when floating-point values come close."""
        w, ev = best
        if self.exact:
            return w, ev
        close = {j: e for j, e in evaluated.items() if e.rho - e.err <= ev.rho + ev.err or j == w}
        if len(close) == 1:
            return w, ev
        if all(e.exact is not None for e in close.values()):
            keyed: dict[int, Any] = {j: e.exact for j, e in close.items()}
        elif len({self.p.same_as[j] for j in close}) == 1:
            keyed = dict.fromkeys(close, 0)  # identical projects: the same rho, exactly
        else:
            raise _Uncertain
        winner = min(
            close,
            key=lambda j: (keyed[j], self.p.cost[j], project_order_key(self.p.ids[j])),
        )
        return winner, close[winner]

    def _keep_order(
        self,
        ev: _Evaluation,
        value: np.ndarray,
        err: np.ndarray,
        slope: np.ndarray,
        const: np.ndarray,
    ) -> None:
        """Record until when every other project's bound stays behind this round's winner."""
        import numpy as np

        if not value.size or self.limit <= 1:
            return
        if not self.exact and ev.exact is not None and ev.slope == 0:
            keep = ~const  # both exact constants: the winner stays ahead
            value, err, slope = value[keep], err[keep], slope[keep]
        gamma = slope - ev.slope
        if not self.exact:
            gamma = gamma - self._tolerance(len(self.p.mult)) * (np.abs(slope) + abs(ev.slope))
        self._bound_all(value - ev.rho - err - ev.err, gamma)

    def _pay(self, ev: _Evaluation) -> None:
        import numpy as np

        idx, pi = ev.idx, ev.pi
        money, slope, error = self.money[idx], self.slope[idx], self.err[idx]
        if ev.untouched and ev.boundary:
            # every supporter pays exactly all their money; with more money they would keep some
            left = np.zeros_like(money)
            new_slope = np.zeros_like(slope)
            new_error = np.zeros_like(error)
            self.limit = 0
        elif self.exact:
            poor = money < pi
            if poor.any():
                self._bound_all(pi - money[poor], ev.f - slope[poor])
            if (money == pi).any():
                self.limit = 0  # pays exactly all; with more money would keep some
            left = np.where(poor, self.zero, money - pi)
            new_slope = np.where(poor, self.zero, slope - ev.f)
            new_error = error
        else:
            margin = error + ev.pi_err + _EPS * self.b
            if (np.abs(money - pi) <= margin).any():
                raise _Uncertain
            poor = money < pi
            left = np.where(poor, 0.0, money - pi)
            new_error = np.where(poor, 0.0, margin)
            new_slope = slope  # slopes serve only limits above one unit
            if self.limit > 1:
                if poor.any():
                    stretch = 1 + self._tolerance(idx.size)
                    gammas = (ev.f - slope[poor]) * stretch
                    self._bound_all(pi - money[poor] - margin[poor], gammas)
                new_slope = np.where(poor, 0.0, slope - ev.f)
        self._spread(ev.idx, self.mult[idx] * (left - money), left == 0)
        self.money[idx], self.slope[idx], self.err[idx] = left, new_slope, new_error
        if not self.exact and new_error.size:
            self.max_err = max(self.max_err, float(new_error.max()))

    def _spread(self, idx: np.ndarray, change: np.ndarray, dead: np.ndarray) -> None:
        """Carry the change of these voters' money to every project they support."""
        import numpy as np

        p, w = self.p, self.winner
        voters, projects = p.reached(w)
        self.touched[projects] = True
        if self.exact:
            delta = dict(zip(idx.tolist(), change.tolist(), strict=True))
            for u, j in zip(voters.tolist(), projects.tolist(), strict=True):
                if u in delta:
                    self.totals[j] += delta[u]
        else:
            self.scratch[idx] = change
            self.totals += np.bincount(projects, weights=self.scratch[voters], minlength=len(p.ids))
            self.scratch[idx] = 0.0
        if dead.any():
            lost = np.zeros(len(p.mult), dtype=bool)
            lost[idx[dead]] = True
            hit = lost[voters]
            self.live_count -= np.bincount(
                projects[hit], weights=p.mult[voters[hit]], minlength=len(p.ids)
            )
            self.live_sets -= np.bincount(projects[hit], minlength=len(p.ids))


def _run_mes(profile: _Profile, k: int) -> _MesRun:
    if profile.n == 0:
        return _MesRun(k, [], [], math.inf, [])
    if profile.size > _EXACT_SIZE:
        try:
            return _Mes(profile, k, exact=False).run()
        except _Uncertain:
            pass
    return _Mes(profile, k, exact=True).run()


def _confirmed(profile: _Profile, run: _MesRun, k: int) -> bool:
    """Whether every raise from run.k to k makes run's decisions (see _Mes.confirms)."""
    if profile.size > _EXACT_SIZE and _Mes(profile, k, exact=False).confirms(run):
        return True
    return profile.size <= _EXACT_SIZE and _Mes(profile, k, exact=True).confirms(run)


# --------------------------------------------------------------------------------------------
# Proving a whole range of raises at once (for the completion on large instances)
#
# The completion only needs to know that every raise k in a range selects projects costing at
# most the budget; which projects, and in which order, does not matter.  _fits_throughout runs
# MES once for a whole range first..last: every support set holds an interval [lo, hi] that
# contains its money at every k of the range (at the start, the shares of first and last).
# Each round, a project's price pi is a decreasing function of its supporters' money, so the
# price at any k lies between the price computed from hi (a lower bound) and the one computed
# from lo (an upper bound); rho lies between those over the cost.  The projects that may win
# the round for some k are those whose lowest rho is at most the highest rho of a project that
# is affordable for every k (supporters' lo money adds up to its cost), or every project that
# may be affordable when none surely is (then the run may also stop there); each is followed as a
# branch, where its supporters keep [max(0, lo - highest price), max(0, hi - lowest price)].
# Branches that have bought the same set of projects are merged (the hull of their intervals),
# since the order does not matter any more; so an instance where raising the shares only swaps
# projects (the same set in another order) keeps a handful of branches.  A project whose
# supporters' hi money is below its cost is out of that branch for good (money only falls), and
# a branch is done as soon as buying everything still in it would fit the budget.  As in a run,
# projects are priced lazily: a lower bound of each one's rho (from an earlier round: rho only
# grows as money falls) spares pricing those that cannot win the round.
# If no branch ever holds projects costing more than the budget, no k of the range does: the
# true run at every k follows one of the branches.  If the branches multiply (or some may
# overspend) the proof gives up and the caller tries a narrower range, down to one run per raise.
#
# Rounding: every computed bound is pushed outwards past its floating-point error (sums of s
# non-negative terms are within (s + 4)·2**-51 of their value, a division or subtraction within
# 2**-52), and each price is checked against the defining sum rather than trusted.

_PROOF_WIDTH = 6  # raises proven at once to begin with
_PROOF_WIDTH_MAX = 12
_PROOF_BRANCHES = 12  # give up beyond this many branches (distinct sets bought) in one round
_PROOF_REFRESH = 4  # rounds between two sums of every project's supporters' money
_PROOF_SLACK = 2.0**-30  # relative room around a computed price before it is checked
_ULP = 2.0**-50  # outward rounding of a subtraction or division


def _water_level(money: np.ndarray, weight: np.ndarray, count: float, cost: int) -> float:
    """The pi with sum(weight · min(money, pi)) = cost, approximately (checked by the caller):
    the same fixed point as in _Mes.evaluate (count is the supporters' total weight)."""
    weighted = money * weight
    pi = cost / count
    poor_weight = -1.0
    for _ in range(64):
        poor = money < pi
        now = float(weight @ poor)
        if now == poor_weight:
            break
        poor_weight = now
        if count <= now:
            return math.inf
        pi = (cost - float(weighted @ poor)) / (count - now)
    return pi


def _lowest_price(hi: np.ndarray, weight: np.ndarray, count: float, cost: int) -> float | None:
    """A lower bound of a project's price at every k, from its supporters' hi money; None when
    they cannot afford it at any k."""
    import numpy as np

    slack = (hi.size + 4) * 2.0**-51
    if float(hi @ weight) * (1 + slack) < cost:
        return None
    lowest = _water_level(hi, weight, count, cost) * (1 - _PROOF_SLACK)
    if float(np.minimum(hi, lowest) @ weight) * (1 + slack) < cost:
        return lowest
    return 0.0  # could not be checked: no bound but the trivial one


def _highest_price(lo: np.ndarray, weight: np.ndarray, count: float, cost: int) -> float:
    """An upper bound of a project's price at every k, from its supporters' lo money, if they
    can afford it at every k; inf otherwise (or if it cannot be checked)."""
    import numpy as np

    slack = (lo.size + 4) * 2.0**-51
    if not float(lo @ weight) * (1 - slack) >= cost:
        return math.inf
    highest = _water_level(lo, weight, count, cost) * (1 + _PROOF_SLACK)
    if float(np.minimum(lo, highest) @ weight) * (1 - slack) >= cost:
        return highest
    return math.inf


def _fits_throughout(profile: _Profile, first: int, last: int) -> bool:
    """Whether MES selects projects costing at most the budget at every raise from first to
    last (True is a proof, False only means "not shown"); see the comment above."""
    import numpy as np

    p, n = profile, profile.n
    weights = [p.mult[s].astype(np.float64) for s in p.supporters]
    money = np.empty((2, len(p.mult)))
    money[0] = (p.budget + first * n) / n * (1 - _ULP)
    money[1] = (p.budget + last * n) / n * (1 + _ULP)
    in_play = np.array([c > 0 and s > 0 for c, s in zip(p.cost, p.num_supporters, strict=True)])
    floor = np.array([1 / max(s, 1) for s in p.num_supporters]) * (1 - _ULP)
    m, costs = len(p.ids), np.array(p.cost, dtype=np.int64)
    # every (support set, project) pair, to sum the supporters' money of every project at once
    sizes = np.array([s.size for s in p.supporters], dtype=np.int64)
    pair_sets = np.concatenate(p.supporters) if m else np.zeros(0, dtype=np.int64)
    pairs = np.repeat(np.arange(m), sizes)
    pair_weights = p.mult[pair_sets].astype(np.float64)
    slack = 1 + (sizes + 4) * 2.0**-51
    # bought set → (money intervals, projects still possibly affordable, lower bounds of rho)
    branches: dict[frozenset[int], tuple[np.ndarray, np.ndarray, np.ndarray]] = {
        frozenset(): (money, in_play, floor)
    }
    rounds = 0
    while branches:
        following: dict[frozenset[int], tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
        for bought, (money, in_play, bound) in branches.items():
            spent = sum(p.cost[j] for j in bought)
            # now and then, drop what the supporters cannot afford at any k (their hi money
            # falls short), to find sooner that everything left would fit
            if rounds % _PROOF_REFRESH == 0:
                most = np.bincount(pairs, weights=money[1][pair_sets] * pair_weights, minlength=m)
                in_play = in_play & (most * slack >= costs)
            else:
                in_play = in_play.copy()
            if spent + int(costs[in_play].sum()) <= p.budget:
                continue  # even buying everything still possibly affordable would fit
            bound = bound.copy()
            cutoff = math.inf  # the lowest highest-rho of a project affordable for every k
            prices: dict[int, tuple[float, float]] = {}
            candidates = np.flatnonzero(in_play)
            for j in candidates[np.argsort(bound[candidates], kind="stable")].tolist():
                if bound[j] > cutoff:
                    break
                idx, cost, count = p.supporters[j], p.cost[j], p.num_supporters[j]
                lowest = _lowest_price(money[1, idx], weights[j], count, cost)
                if lowest is None:
                    in_play[j] = False
                    continue
                bound[j] = max(bound[j], lowest / cost * (1 - _ULP))
                if bound[j] > cutoff:
                    continue  # cannot win this round for any k
                highest = _highest_price(money[0, idx], weights[j], count, cost)
                prices[j] = (lowest, highest)
                cutoff = min(cutoff, highest / cost * (1 + _ULP))
            if cutoff == math.inf and spent > p.budget:
                return False  # some k may stop here, over the budget
            winners = [j for j in prices if bound[j] <= cutoff]
            for j in winners:
                if spent + p.cost[j] > p.budget:
                    return False  # some k may buy it, and go over the budget
                lowest, highest = prices[j]
                idx = p.supporters[j]
                # the last branch from here takes this branch's money over (no copy)
                after = money if j == winners[-1] else money.copy()
                after[0, idx] = np.maximum(money[0, idx] - highest, 0.0) * (1 - _ULP)
                after[1, idx] = np.maximum(money[1, idx] - lowest, 0.0) * (1 + _ULP)
                left = in_play.copy()
                left[j] = False
                key = bought | {j}
                if key in following:
                    other, other_left, other_bound = following[key]
                    after[0] = np.minimum(after[0], other[0])
                    after[1] = np.maximum(after[1], other[1])
                    left |= other_left
                    bound_after = np.minimum(bound, other_bound)
                else:
                    bound_after = bound
                following[key] = (after, left, bound_after)
        if len(following) > _PROOF_BRANCHES:
            return False
        branches = following
        rounds += 1
    return True


def _raise_by_ranges(profile: _Profile, run: _MesRun) -> _MesRun:
    """The raising of the completion on large instances: the run at the last raise k such that
    every raise from 1 to k selects projects costing at most the budget.

    Ranges of raises are proven at once (_fits_throughout).  After a success the next range is
    twice as wide, up to the widest that has not failed lately; where a range cannot be shown
    (it holds the raise that goes over the budget, or comes close, or the branches multiply),
    one run settles the next raise and the next range is half as wide (at width one, two raises
    are settled by runs before ranges are tried again).  A run also settles, for free, the
    raises of its stability interval.  (Every project with votes costs more than the budget
    together, so a run that fits has not selected them all, and raising goes on.)
    """
    # every raise below run.k + run.limit selects what run does (see _Mes.run)
    if run.limit == math.inf:
        return run
    k = max(0, math.ceil(run.limit) - 1)
    width, widest, successes, settled = _PROOF_WIDTH, _PROOF_WIDTH_MAX, 0, 0
    while True:
        if width > 1:
            if _fits_throughout(profile, k + 1, k + width):
                k, successes = k + width, successes + 1
                if successes >= 2:  # a failure is some way back: allow wider ranges again
                    widest = min(2 * widest, _PROOF_WIDTH_MAX)
                width = min(2 * width, widest)
                continue
            widest, width, successes, settled = max(2, width // 2), width // 2, 0, 0
        following = _run_mes(profile, k + 1)
        if following.cost(profile) > profile.budget:
            break
        if following.limit == math.inf:
            return following
        k = following.k + max(1, math.ceil(following.limit)) - 1
        run, settled = following, settled + 1
        if width == 1 and settled == 2:
            width = 2
    return run if run.k == k else _run_mes(profile, k)


def _mes_result(profile: _Profile, run: _MesRun, rule: str) -> RuleResult:
    reasons: dict[int, Reason] = {}
    for j in range(len(profile.ids)):
        if profile.score[j] == 0:
            reasons[j] = Reason.NO_VOTES
        elif profile.cost[j] > profile.budget:
            reasons[j] = Reason.MORE_THAN_BUDGET
        elif profile.cost[j] == 0:
            reasons[j] = Reason.COSTS_NOTHING
        else:
            reasons[j] = Reason.NOT_AFFORDABLE
    payments = {j: round(pay, 2) for j, pay in zip(run.winners, run.payments, strict=True)}
    reasons.update((j, Reason.SELECTED) for j in run.winners)
    return _result(profile, rule, run.winners, reasons, payments, raise_per_voter=run.k)


def equal_shares(
    projects: Mapping[ProjectId, int],
    ballots: Sequence[Ballot],
    budget: int,
    *,
    raise_per_voter: int = 0,
) -> RuleResult:
    """The Method of Equal Shares with cost utilities, without completion.

    Every voter starts with an equal share of the budget, ``budget / voters`` (plus
    ``raise_per_voter`` currency units, which the completion uses). Then, round after round, a
    project is bought by its supporters: they split its cost as equally as their money allows,
    each paying the same amount or, if they have less, all they have left. Among the projects
    whose supporters can still pay for them, the one bought is the one where the most any
    supporter pays, per unit of cost, is lowest; in effect the project with the most supporters
    who can pay their full equal part. Ties go fewer cost first, then lower id. It stops when the
    supporters of every remaining project lack the money for it, usually leaving some money
    unspent (hence :func:`equal_shares_completed`).

    The same as pabutools' ``method_of_equal_shares`` with ``sat_class=Cost_Sat`` and this
    tie-breaking; like it, a project that costs nothing is never bought here (cost utility 0).
    Exact: see the comment above ``_Mes``.
    """
    profile = _prepare(projects, ballots, budget)
    _check_amount(raise_per_voter, "raise_per_voter")
    return _mes_result(profile, _run_mes(profile, raise_per_voter), "equal-shares-plain")


def equal_shares_completed(
    projects: Mapping[ProjectId, int], ballots: Sequence[Ballot], budget: int
) -> RuleResult:
    """Equal shares completed as the cities that use it do ("add one", then greedy).

    1. Run :func:`equal_shares`; it usually leaves money unspent.
    2. Raise every voter's share by one currency unit at a time (a virtual budget of
       ``budget + k × voters`` for k = 1, 2, …) and run it again, as long as what it selects
       still costs at most the real budget; keep the last selection that did.
    3. Spend what is left greedily: by votes, fewer cost then lower id on ties, skipping what
       no longer fits (see :func:`greedy`).

    Unlike pabutools' ``voter_budget_increment``, the raising does not stop at the first
    selection that leaves no room for another project; it stops only when the next selection
    would cost more than the budget, or when it can no longer change (every project with votes
    selected). Runs whose selection provably cannot differ from the previous one are skipped
    (see the stability interval and the confirmation above ``_Mes``), and on large instances
    whole ranges of raises are proven to fit the budget at once (see ``_fits_throughout``), so
    the result is the one-unit-at-a-time result, usually with far fewer runs.
    """
    profile = _prepare(projects, ballots, budget)
    run = _run_mes(profile, 0)
    wanted = {j for j in range(len(profile.ids)) if profile.num_supporters[j] and profile.cost[j]}
    if sum(profile.cost[j] for j in wanted) > budget and profile.size > _EXACT_SIZE:
        run = _raise_by_ranges(profile, run)
    elif sum(profile.cost[j] for j in wanted) > budget:
        # how far to try to confirm the current selection in one go; after failed tries, wait
        # a growing number of runs before the next (where selections change at every unit)
        span, failures, wait = 2, 0, 0
        while run.limit != math.inf and set(run.winners) != wanted:
            # the selection is the same for every raise below run.k + step ...
            step = max(1, math.ceil(run.limit))
            # ... and maybe further: confirm it up to run.k + span at the cost of one run
            if wait == 0 and span > step:
                if _confirmed(profile, run, run.k + span):
                    step, span, failures = span + 1, span * 2, 0
                else:
                    failures += 1
                    span, wait = max(2, span // 2), 2**failures
            else:
                wait = max(0, wait - 1)
            following = _run_mes(profile, run.k + step)
            if following.cost(profile) > budget:
                if step > 1:  # same selection, but the payments of the last raise that fits
                    run = _run_mes(profile, run.k + step - 1)
                break
            run = following
    payments = {j: round(pay, 2) for j, pay in zip(run.winners, run.payments, strict=True)}
    winners, reasons = _fill_greedily(profile, run.winners, Reason.GREEDY_FILL)
    return _result(profile, "equal-shares", winners, reasons, payments, raise_per_voter=run.k)
