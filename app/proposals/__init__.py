"""Proposals and their deliberation."""
