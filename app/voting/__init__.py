"""Voting: supports, budget ballots, results (the pure rules live in rules.py and pabulib.py)."""
