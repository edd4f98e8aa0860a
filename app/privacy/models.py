"""Models of the privacy feature."""
