"""Models of the moderation feature."""
