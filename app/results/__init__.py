"""Results: snapshots and municipal responses."""
