"""Start-up: the command line as whole processes, what cron and an operator wait for.

    python -m bench startup [--runs 10] [--voters 20000] [--projects 100]

Runs, alternately so both see the same load: ``python -m flask --version`` (the floor: Python,
Flask and its command line, no application), ``python -m flask --app wsgi --help`` (the
application created, its commands listed) and ``python -m flask --app wsgi pabulib winners
--rule equal-shares`` on a deterministic Pabulib file of ``--voters`` × ``--projects`` (written
by app/voting/pabulib.py from bench/rules.py's generator). Each run is a new process; reported:
wall-clock median and minimum, CPU time (user + system) median, and the median ÷ the floor's.
The winners printed must be those of ``rules.equal_shares_completed`` on the same file.

Targets: ``--help`` under 0.5 s and ``pabulib winners`` under 1 s (median wall-clock). Writes
bench/results/startup-<UTC time>.json and prints a table; exits 1 if a target is missed or the
winners differ.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from bench.rules import RESULTS, ROOT, commit, generate

TARGETS = {"help": 0.5, "winners": 1.0}


def write_pabulib(path: Path, voters: int, projects: int) -> list[str]:
    """Write the instance as a Pabulib file; return its equal-shares winners, computed here."""
    from app.voting import pabulib, rules

    instance = generate(voters, projects)
    listed = [
        pabulib.Project(str(project), Decimal(cost)) for project, cost in instance.projects.items()
    ]
    votes = [
        pabulib.Vote(f"v{number}", tuple(str(p) for p in sorted(ballot)))
        for number, ballot in enumerate(instance.ballots, 1)
        if ballot
    ]
    meta = {"description": "bench startup", "budget": str(instance.budget), "vote_type": "approval"}
    parsed = pabulib.build(meta, listed, votes)
    path.write_text(pabulib.dumps(parsed), encoding="utf-8")
    result = rules.equal_shares_completed(parsed.costs, parsed.ballots(), parsed.budget)
    return [str(project) for project in result.winners]


def run_once(command: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """(wall seconds, CPU seconds, stdout) of one process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, check=False, timeout=300
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{done.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.stdout


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench startup", description=__doc__)
    parser.add_argument("--runs", type=int, default=10, help="timed runs of each process")
    parser.add_argument("--voters", type=int, default=20000)
    parser.add_argument("--projects", type=int, default=100)
    options = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="lc-bench-startup-") as folder:
        pb_file = Path(folder) / f"{options.voters}x{options.projects}.pb"
        expected = write_pabulib(pb_file, options.voters, options.projects)
        # The commands never touch a real database or outbox.
        env = {
            **os.environ,
            "LC_DATABASE_URL": f"sqlite:///{Path(folder) / 'startup.sqlite'}",
            "LC_MAIL_OUTBOX": str(Path(folder) / "outbox.jsonl"),
        }
        env.pop("FLASK_APP", None)
        # Cron and gunicorn run from compiled bytecode: the warm-up run writes it (__pycache__,
        # git-ignored) even where the shell says not to.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        flask = [sys.executable, "-m", "flask"]
        commands = {
            "floor": [*flask, "--version"],
            "help": [*flask, "--app", "wsgi", "--help"],
            "winners": [
                *flask,
                *("--app", "wsgi", "pabulib", "winners", "--rule", "equal-shares"),
                str(pb_file),
            ],
        }
        report: dict[str, Any] = {
            "bench": "startup",
            "started": datetime.now(UTC).isoformat(timespec="seconds"),
            "commit": commit(),
            "machine": platform.platform(),
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "load_average_before": os.getloadavg(),
            "runs": options.runs,
            "file": {"voters": options.voters, "projects": options.projects},
            "targets_s": TARGETS,
        }
        walls: dict[str, list[float]] = {name: [] for name in commands}
        cpus: dict[str, list[float]] = {name: [] for name in commands}
        winners_match = True
        for command in commands.values():  # warm-up: the file system cache, .pyc files
            run_once(command, env)
        for _ in range(options.runs):
            for name, command in commands.items():
                wall, cpu, out = run_once(command, env)
                walls[name].append(wall)
                cpus[name].append(cpu)
                if name == "winners" and out.split() != expected:
                    winners_match = False
        report["load_average_after"] = os.getloadavg()

    floor = statistics.median(walls["floor"])
    rows: dict[str, dict[str, Any]] = {}
    missed = []
    print(f"{'process':<10} {'median s':>9} {'min s':>7} {'cpu s':>7} {'÷floor':>7} {'target':>7}")
    for name in commands:
        median = statistics.median(walls[name])
        target = TARGETS.get(name)
        met = None if target is None else median < target
        if met is False:
            missed.append(name)
        rows[name] = {
            "command": " ".join(commands[name][1:]).replace(str(pb_file), pb_file.name),
            "median_s": round(median, 4),
            "min_s": round(min(walls[name]), 4),
            "cpu_median_s": round(statistics.median(cpus[name]), 4),
            "floor_ratio": round(median / floor, 3),
            "target_s": target,
            "met": met,
            "wall_s": [round(w, 4) for w in walls[name]],
        }
        shown = "-" if target is None else f"<{target:g}{'' if met else ' MISSED'}"
        print(
            f"{name:<10} {median:>9.3f} {min(walls[name]):>7.3f}"
            f" {statistics.median(cpus[name]):>7.3f} {median / floor:>7.2f} {shown:>7}"
        )
    report["processes"] = rows
    report["winners_match"] = winners_match
    print(f"winners: {'identical' if winners_match else 'DIFFER'} ({len(expected)} projects)")
    if missed:
        print("missed:", ", ".join(f"{name} (target {TARGETS[name]:g} s)" for name in missed))
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = RESULTS / f"startup-{stamp}.json"
    path.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"written {path.relative_to(ROOT)}")
    return 1 if missed or not winners_match else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
