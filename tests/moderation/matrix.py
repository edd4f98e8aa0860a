"""Every route of the moderation blueprint × every visitor (see tests/matrix.py)."""

from __future__ import annotations

CASES: dict = {}
