"""Permission cases of this feature's routes (merged by tests/auth/test_permissions.py)."""

from tests.matrix import Case

CASES: dict[str, Case] = {}
