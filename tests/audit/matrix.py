"""Every route of the audit blueprint × every visitor (see tests/matrix.py)."""

from __future__ import annotations

CASES: dict = {}
