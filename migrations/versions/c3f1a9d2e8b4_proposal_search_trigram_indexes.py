"""Proposal search: trigram indexes on PostgreSQL

Search is a case-folded substring match (LIKE '%words%') on title and body, in any script. On
PostgreSQL, GIN trigram indexes on lower(title) and lower(body) make it use an index instead of
reading every proposal of the consultation. They need the pg_trgm extension (in Debian's
postgresql package; trusted since PostgreSQL 13, so the database owner may create it). Where it
cannot be created the migration goes on without the indexes and search still works, only slower.
SQLite has no such index; its search scans the consultation's proposals.

These indexes live only here, not in the models (SQLAlchemy cannot express operator classes on
expressions portably): migrations/env.py and the drift test skip names in MIGRATION_ONLY_INDEXES.

Revision ID: c3f1a9d2e8b4
Revises: a944696caf33
Create Date: 2026-11-25 15:00:00
"""

from alembic import op

revision = "c3f1a9d2e8b4"
down_revision = "a944696caf33"
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        """
        DO $$
        BEGIN
            CREATE EXTENSION IF NOT EXISTS pg_trgm;
        EXCEPTION WHEN OTHERS THEN
            RAISE NOTICE 'pg_trgm is not available: proposal search runs without an index';
        END $$;
        """
    )
    op.execute(
        """
        DO $$
        BEGIN
            IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
                CREATE INDEX IF NOT EXISTS ix_proposals_title_trgm
                    ON proposals USING gin (lower(title) gin_trgm_ops);
                CREATE INDEX IF NOT EXISTS ix_proposals_body_trgm
                    ON proposals USING gin (lower(body) gin_trgm_ops);
            END IF;
        END $$;
        """
    )


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX IF EXISTS ix_proposals_body_trgm")
    op.execute("DROP INDEX IF EXISTS ix_proposals_title_trgm")
    # The extension stays: other databases objects may use it, and it holds no data.
