"""Routes of the pathway feature (to be written)."""
