"""Views of the translations feature."""

from app.translations import bp  # noqa: F401
