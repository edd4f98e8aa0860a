"""Where the hardening tests run: `make test` runs the suite twice (SQLite, then PostgreSQL side
by side), and these tests are the slowest of it, so each runs once, on the database where it
finds the most: the fuzzing of forms on PostgreSQL (it refuses what SQLite stores: a value too long
for its column, an integer out of range); the hostile query strings (parsed before any query) and
the XSS corpus (escaping does not depend on the database) on SQLite. LC_HARDENING_EVERYWHERE=1 runs both on whichever database the run uses."""

from __future__ import annotations

import os

import pytest

ON_POSTGRESQL = (os.environ.get("LC_TEST_DATABASE_URL") or "").startswith("postgresql")
EVERYWHERE = os.environ.get("LC_HARDENING_EVERYWHERE") == "1"


def pytest_collection_modifyitems(config, items):
    for item in items:
        module = getattr(getattr(item, "module", None), "__name__", "")
        if not module.startswith("tests.hardening."):
            continue
        module = module.rsplit(".", 1)[-1]
        if EVERYWHERE:
            continue
        if module == "test_fuzz" and item.name.startswith("test_get_route"):
            if ON_POSTGRESQL:
                item.add_marker(pytest.mark.skip(reason="hostile queries run in the SQLite run"))
        elif module == "test_fuzz" and not ON_POSTGRESQL:
            item.add_marker(pytest.mark.skip(reason="the fuzzing runs in the PostgreSQL run"))
        if module == "test_xss" and ON_POSTGRESQL and item.name.startswith("test_payloads"):
            item.add_marker(pytest.mark.skip(reason="the XSS corpus runs in the SQLite run"))
