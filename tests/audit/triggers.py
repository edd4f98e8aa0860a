"""The database triggers that keep audit_entries append-only, as the migration creates them.

The migration's upgrade runs UPGRADE[dialect] (after creating the table) and its downgrade
DOWNGRADE[dialect] (before dropping it). The tests install the same statements inside their
rolled-back transaction while no migration exists, so what the lead pastes is what was tested.

An entry never changes, with one exception the foreign keys need: when a user (or a city) row is
deleted, ON DELETE SET NULL empties actor_id (city_id). So: no DELETE; no UPDATE of the entry's
own columns; actor_id and city_id may only become NULL.
"""

from __future__ import annotations

import sqlalchemy as sa

GUARDED = "id, created_at, action, target_type, target_id, reason, details"
REASSIGNED = (
    "(NEW.actor_id IS NOT NULL AND NEW.actor_id {differs} OLD.actor_id) "
    "OR (NEW.city_id IS NOT NULL AND NEW.city_id {differs} OLD.city_id)"
)
MESSAGE = "audit entries are append-only"

UPGRADE = {
    "postgresql": [
        "CREATE FUNCTION audit_entries_append_only() RETURNS trigger "
        f"LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '{MESSAGE}'; END; $$",
        "CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON audit_entries "
        "FOR EACH ROW EXECUTE FUNCTION audit_entries_append_only()",
        "CREATE TRIGGER audit_entries_no_truncate BEFORE TRUNCATE ON audit_entries "
        "FOR EACH STATEMENT EXECUTE FUNCTION audit_entries_append_only()",
        f"CREATE TRIGGER audit_entries_no_update BEFORE UPDATE OF {GUARDED} ON audit_entries "
        "FOR EACH ROW EXECUTE FUNCTION audit_entries_append_only()",
        "CREATE TRIGGER audit_entries_no_reassign BEFORE UPDATE OF actor_id, city_id "
        f"ON audit_entries FOR EACH ROW WHEN ({REASSIGNED.format(differs='IS DISTINCT FROM')}) "
        "EXECUTE FUNCTION audit_entries_append_only()",
    ],
    "sqlite": [
        "CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON audit_entries "
        f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
        f"CREATE TRIGGER audit_entries_no_update BEFORE UPDATE OF {GUARDED} ON audit_entries "
        f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
        "CREATE TRIGGER audit_entries_no_reassign BEFORE UPDATE OF actor_id, city_id "
        f"ON audit_entries WHEN {REASSIGNED.format(differs='IS NOT')} "
        f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
    ],
}

DOWNGRADE = {
    "postgresql": [
        "DROP TRIGGER IF EXISTS audit_entries_no_reassign ON audit_entries",
        "DROP TRIGGER IF EXISTS audit_entries_no_update ON audit_entries",
        "DROP TRIGGER IF EXISTS audit_entries_no_truncate ON audit_entries",
        "DROP TRIGGER IF EXISTS audit_entries_no_delete ON audit_entries",
        "DROP FUNCTION IF EXISTS audit_entries_append_only()",
    ],
    "sqlite": [
        "DROP TRIGGER IF EXISTS audit_entries_no_reassign",
        "DROP TRIGGER IF EXISTS audit_entries_no_update",
        "DROP TRIGGER IF EXISTS audit_entries_no_delete",
    ],
}


def installed(connection: sa.Connection) -> set[str]:
    """The names of the triggers on audit_entries."""
    if connection.dialect.name == "postgresql":
        rows = connection.exec_driver_sql(
            "SELECT tgname FROM pg_trigger "
            "WHERE tgrelid = 'audit_entries'::regclass AND NOT tgisinternal"
        )
    else:
        rows = connection.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_entries'"
        )
    return {name for (name,) in rows}
