"""The observatory stores nothing of its own: it reads participation, supports, comments and
translations (see services.py)."""
