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


# Indexes that only migrations create (PostgreSQL trigram indexes for search): autogenerate and
# the drift test ignore them, since the models do not declare them.
MIGRATION_ONLY_INDEXES = frozenset({"ix_proposals_title_trgm", "ix_proposals_body_trgm"})


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Alembic's ``include_object``: leave out the migration-only indexes."""
    return not (type_ == "index" and name in MIGRATION_ONLY_INDEXES)
