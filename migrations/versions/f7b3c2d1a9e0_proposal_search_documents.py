"""Proposal search: a full-text search document per proposal (PostgreSQL tsvector, SQLite FTS5)

PostgreSQL: the tsvector column proposals.search_document with its GIN index, and the trigram
index on lower(title) for typos (pg_trgm, trusted since PostgreSQL 13: the database owner may
create it). The trigram index on lower(body) goes: search no longer scans bodies by LIKE.
SQLite: the FTS5 table proposal_search (rowid = proposal id) and a trigger that forgets a
deleted proposal's words. How search works: app/proposals/search.py.

None of this is in the models (SQLAlchemy cannot declare a tsvector on one database and an FTS5
table on the other): migrations/env.py and the drift test skip it (app/db_types.py). The same
statements are in app/proposals/search.py for databases made by create_all.

Revision ID: f7b3c2d1a9e0
Revises: 5d2d1f4f6061
Create Date: 2026-12-07 05:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "f7b3c2d1a9e0"
down_revision = "5d2d1f4f6061"
branch_labels = None
depends_on = None

POSTGRESQL = (
    "ALTER TABLE proposals ADD COLUMN IF NOT EXISTS search_document tsvector",
    "CREATE INDEX IF NOT EXISTS ix_proposals_search_document"
    " ON proposals USING gin (search_document)",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS ix_proposals_title_trgm"
    " ON proposals USING gin (lower(title) gin_trgm_ops)",
    "DROP INDEX IF EXISTS ix_proposals_body_trgm",
)
SQLITE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS proposal_search USING fts5("
    "title, body, tokenize = 'unicode61 remove_diacritics 2')",
    "CREATE TRIGGER IF NOT EXISTS proposals_search_forget AFTER DELETE ON proposals"
    " BEGIN DELETE FROM proposal_search WHERE rowid = old.id; END",
)


def upgrade():
    bind = op.get_bind()
    statements = {"postgresql": POSTGRESQL, "sqlite": SQLITE}.get(bind.dialect.name, ())
    for statement in statements:
        op.execute(statement)
    # Existing proposals get their documents (a new database has none: nothing to do).
    if statements and bind.scalar(sa.text("SELECT EXISTS (SELECT 1 FROM proposals)")):
        from app.proposals.search import fill

        fill(bind)


def downgrade():
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute(
            "CREATE INDEX IF NOT EXISTS ix_proposals_body_trgm"
            " ON proposals USING gin (lower(body) gin_trgm_ops)"
        )
        op.execute("DROP INDEX IF EXISTS ix_proposals_search_document")
        op.execute("ALTER TABLE proposals DROP COLUMN IF EXISTS search_document")
        # ix_proposals_title_trgm and pg_trgm stay: the previous revision made them.
    elif bind.dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS proposals_search_forget")
        op.execute("DROP TABLE IF EXISTS proposal_search")
