"""Column types and helpers shared by the models."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(sa.types.TypeDecorator):
    """A timezone-aware UTC timestamp on every database.

    SQLite has no time zones: values are stored as naive UTC and given back their UTC tzinfo.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


# Search's schema lives only in the migrations (and app/proposals/search.create_schema), not in
# the models: PostgreSQL's tsvector column, its GIN and trigram indexes; SQLite's FTS5 table
# (and the tables FTS5 keeps behind it). Autogenerate and the drift test leave them out.
MIGRATION_ONLY_INDEXES = frozenset(
    {"ix_proposals_title_trgm", "ix_proposals_body_trgm", "ix_proposals_search_document"}
)
MIGRATION_ONLY_COLUMNS = frozenset({("proposals", "search_document")})
MIGRATION_ONLY_TABLE = "proposal_search"


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Alembic's ``include_object``: leave out the migration-only schema of search."""
    if type_ == "index":
        return name not in MIGRATION_ONLY_INDEXES
    if type_ == "column":
        return (getattr(obj.table, "name", None), name) not in MIGRATION_ONLY_COLUMNS
    if type_ == "table":
        return not (name == MIGRATION_ONLY_TABLE or name.startswith(MIGRATION_ONLY_TABLE + "_"))
    return True
