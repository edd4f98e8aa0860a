"""Routes of this feature (to be written)."""
