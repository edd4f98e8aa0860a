"""`python -m bench` runs every benchmark; `python -m bench rules …` runs one, with its options.

Each benchmark is a module of this package with a ``main(argv) -> int``; `python -m bench data` builds
the data set alone.
"""

from __future__ import annotations

import sys

from bench import data, pages, rules, startup, votes

# `data` only builds the data set (pages builds its own when needed): not run by default.
BENCHES = {
    "rules": rules.main,
    "pages": pages.main,
    "votes": votes.main,
    "startup": startup.main,
}
TOOLS = {"data": data.main}


def main(argv: list[str]) -> int:
    if argv and argv[0] in ("-h", "--help"):
        print(__doc__)
        print("benchmarks:", ", ".join(BENCHES))
        return 0
    if argv and argv[0] in BENCHES:
        return BENCHES[argv[0]](argv[1:])
    if argv and argv[0] in TOOLS:
        return TOOLS[argv[0]](argv[1:])
    if argv:
        print(f"unknown benchmark {argv[0]!r}; known: {', '.join(BENCHES)}", file=sys.stderr)
        return 2
    return max(bench([]) for bench in BENCHES.values())


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
