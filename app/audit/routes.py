"""Views of the audit feature."""

from app.audit import bp  # noqa: F401
