"""Every route of the privacy blueprint × every visitor (see tests/matrix.py)."""

from __future__ import annotations

CASES: dict = {}
