"""Views of the observatory feature."""

from app.observatory import bp  # noqa: F401
