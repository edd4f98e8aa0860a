"""Result computation: our greedy and equal shares against pabutools on the same large instances.

    python -m bench rules [--sizes 20000x100,100000x200] [--timeout 180] [--repeat 3]

For each size, a deterministic instance (fixed seed) is generated; our rules are timed (median of
``--repeat`` runs, input checking included) and so are pabutools' (one run each, in a child
process stopped after ``--timeout`` seconds; building pabutools' profile is not counted). Where
the rules are the same (greedy by approvals; plain equal shares with cost utilities), the winners
must be identical. pabutools' own completion (``voter_budget_increment=1``) is a different rule
from ours (it stops at the first exhaustive outcome), so only its time is reported.

Writes bench/results/rules-<UTC time>.json and prints a table; exits 1 if winners differ.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from app.voting import rules

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
SEED = 20240901


@dataclass(frozen=True)
class Instance:
    projects: dict[int, int]
    ballots: list[frozenset[int]]
    budget: int


def generate(num_voters: int, num_projects: int, seed: int = SEED) -> Instance:
    """A city-like instance: costs 10k–500k, budget a quarter of all costs, a few very popular
    projects (Pareto weights), ballots of 1–10ish projects that fit the budget."""
    rng = random.Random(f"{seed}-{num_voters}-{num_projects}")
    costs = [int(round(10 ** rng.uniform(4, 5.7), -2)) for _ in range(num_projects)]
    budget = sum(costs) // 4
    weights = [rng.paretovariate(1.2) for _ in range(num_projects)]
    ids = list(range(1, num_projects + 1))
    ballots = []
    for _ in range(num_voters):
        size = min(num_projects, 1 + int(rng.expovariate(1 / 4)))
        chosen: set[int] = set()
        spent = 0
        for project in rng.choices(ids, weights=weights, k=size):
            if project not in chosen and spent + costs[project - 1] <= budget:
                chosen.add(project)
                spent += costs[project - 1]
        ballots.append(frozenset(chosen))
    return Instance(dict(zip(ids, costs, strict=True)), ballots, budget)


def commit() -> str:
    """The checked-out commit, read from .git (no git process), or "unknown"."""
    try:
        git = ROOT / ".git"
        if git.is_file():  # a worktree: "gitdir: <path>"
            git = (ROOT / git.read_text().split(":", 1)[1].strip()).resolve()
        head = (git / "HEAD").read_text().strip()
        if not head.startswith("ref:"):
            return head
        ref = head.split(":", 1)[1].strip()
        for base in (git, git.parent.parent if git.parent.name == "worktrees" else git):
            if (base / ref).is_file():
                return (base / ref).read_text().strip()
            packed = base / "packed-refs"
            if packed.is_file():
                for line in packed.read_text().splitlines():
                    if line.endswith(" " + ref):
                        return line.split()[0]
    except OSError:
        pass
    return "unknown"


def timed(function: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


# --------------------------------------------------------------------------------------------
# pabutools, in a child process


def _pabutools_worker(instance: Instance, rule: str, connection: Any) -> None:
    from pabutools.election import ApprovalBallot, ApprovalProfile, Cost_Sat
    from pabutools.election import Instance as PInstance
    from pabutools.election import Project as PProject
    from pabutools.rules import greedy_utilitarian_welfare, method_of_equal_shares
    from pabutools.tiebreaking import TieBreakingRule

    ours = TieBreakingRule(
        lambda i, p, project: (project.cost, rules.project_order_key(project.name))
    )
    named = {p: PProject(str(p), cost) for p, cost in instance.projects.items()}
    election = PInstance(named.values(), budget_limit=instance.budget)
    profile = ApprovalProfile([ApprovalBallot(named[p] for p in b) for b in instance.ballots])
    profile = profile.as_multiprofile()
    start = time.perf_counter()
    if rule == "greedy":
        outcome = greedy_utilitarian_welfare(
            election, profile, sat_class=Cost_Sat, tie_breaking=ours
        )
    else:
        outcome = method_of_equal_shares(
            election,
            profile,
            sat_class=Cost_Sat,
            tie_breaking=ours,
            voter_budget_increment=1 if rule == "equal-shares-add1" else None,
        )
    seconds = time.perf_counter() - start
    connection.send((seconds, [int(p.name) for p in outcome]))
    connection.close()


def pabutools_time(instance: Instance, rule: str, timeout: float) -> tuple[float | None, Any]:
    """(seconds, winners) of pabutools' rule, or (None, None) if it timed out or is missing."""
    try:
        import pabutools  # noqa: F401
    except ImportError:
        return None, None
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_pabutools_worker, args=(instance, rule, sender))
    child.start()
    sender.close()
    try:
        if receiver.poll(timeout):
            return receiver.recv()
        return None, None
    except EOFError:
        return None, None
    finally:
        if child.is_alive():
            child.terminate()
        child.join()


# --------------------------------------------------------------------------------------------


def bench_size(voters: int, projects: int, timeout: float, repeat: int) -> dict[str, Any]:
    start = time.perf_counter()
    instance = generate(voters, projects)
    generated = time.perf_counter() - start
    args = (instance.projects, instance.ballots, instance.budget)
    rows: dict[str, Any] = {}

    def voted(winners: list[int]) -> list[int]:
        return [p for p in winners if any(p in b for b in instance.ballots)]

    cases = [
        ("greedy", lambda: rules.greedy(*args), "greedy", True),
        ("equal-shares (plain)", lambda: rules.equal_shares(*args), "equal-shares", True),
        (
            "equal-shares + completion",
            lambda: rules.equal_shares_completed(*args),
            "equal-shares-add1",
            False,
        ),
    ]
    for name, ours, theirs, same_rule in cases:
        ours_s, result = timed(ours, repeat)
        pabu_s, pabu_winners = pabutools_time(instance, theirs, timeout)
        row: dict[str, Any] = {
            "ours_s": round(ours_s, 4),
            "pabutools_rule": theirs,
            "pabutools_s": None if pabu_s is None else round(pabu_s, 4),
            "ratio": None if not pabu_s else round(ours_s / pabu_s, 5),
            "winners": len(result.winners),
            "total_cost": result.total_cost,
        }
        if result.raise_per_voter is not None:
            row["raise_per_voter"] = result.raise_per_voter
        if same_rule and pabu_winners is not None:
            if theirs == "greedy":
                pabu_winners = voted(pabu_winners)  # pabutools also funds unvoted projects
            row["winners_match"] = list(result.winners) == pabu_winners
        rows[name] = row
    return {
        "voters": voters,
        "projects": projects,
        "budget": instance.budget,
        "distinct_ballots": len(set(instance.ballots)),
        "generate_s": round(generated, 3),
        "rules": rows,
    }


def _versions() -> dict[str, str | None]:
    import numpy

    try:
        from importlib.metadata import version

        import pabutools  # noqa: F401

        pabutools_version: str | None = version("pabutools")
    except ImportError:
        pabutools_version = None
    return {
        "python": platform.python_version(),
        "numpy": numpy.__version__,
        "pabutools": pabutools_version,
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench rules", description=__doc__)
    parser.add_argument("--sizes", default="20000x100,100000x200")
    parser.add_argument("--timeout", type=float, default=180.0, help="per pabutools run")
    parser.add_argument("--repeat", type=int, default=3, help="runs of ours (median)")
    options = parser.parse_args(argv)
    sizes = [tuple(int(x) for x in size.split("x")) for size in options.sizes.split(",")]
    report: dict[str, Any] = {
        "bench": "rules",
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": commit(),
        "machine": platform.platform(),
        "cpus": os.cpu_count(),
        "load_average_before": os.getloadavg(),
        "seed": SEED,
        "timeout_s": options.timeout,
        "repeat": options.repeat,
        **_versions(),
        "sizes": [],
    }
    print(f"{'size':>12}  {'rule':<26} {'ours s':>9} {'pabutools s':>12} {'ratio':>8}  winners")
    mismatch = False
    for voters, projects in sizes:
        measured = bench_size(voters, projects, options.timeout, options.repeat)
        report["sizes"].append(measured)
        for name, row in measured["rules"].items():
            pabu = "timeout" if row["pabutools_s"] is None else f"{row['pabutools_s']:.3f}"
            ratio = "-" if row["ratio"] is None else f"{row['ratio']:.4f}"
            match = {True: "identical", False: "DIFFER", None: "(other rule)"}[
                row.get("winners_match")
            ]
            mismatch = mismatch or row.get("winners_match") is False
            print(
                f"{voters:>6}x{projects:<5}  {name:<26} {row['ours_s']:>9.3f} {pabu:>12}"
                f" {ratio:>8}  {match}"
            )
    report["load_average_after"] = os.getloadavg()
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = RESULTS / f"rules-{stamp}.json"
    path.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"written {path.relative_to(ROOT)}")
    return 1 if mismatch else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
