"""Views of the privacy feature."""

from app.privacy import bp  # noqa: F401
