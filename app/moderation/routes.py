"""Views of the moderation feature."""

from app.moderation import bp  # noqa: F401
