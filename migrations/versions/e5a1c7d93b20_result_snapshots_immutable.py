"""Result snapshots are immutable in the database: no update of what they say, no delete.

Revision ID: e5a1c7d93b20
Revises: 83030dd94440
Create Date: 2026-12-06 20:10:00
"""

from alembic import op

revision = "e5a1c7d93b20"
down_revision = "83030dd94440"
branch_labels = None
depends_on = None

GUARDED = "consultation_id, rule, canonical_json, digest, computed_at"
MESSAGE = "result snapshots are immutable"


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION result_snapshots_immutable() RETURNS trigger "
            f"LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '{MESSAGE}'; END; $$"
        )
        op.execute(
            "CREATE TRIGGER result_snapshots_no_delete BEFORE DELETE ON result_snapshots "
            "FOR EACH ROW EXECUTE FUNCTION result_snapshots_immutable()"
        )
        op.execute(
            "CREATE TRIGGER result_snapshots_no_truncate BEFORE TRUNCATE ON result_snapshots "
            "FOR EACH STATEMENT EXECUTE FUNCTION result_snapshots_immutable()"
        )
        op.execute(
            f"CREATE TRIGGER result_snapshots_no_update BEFORE UPDATE OF {GUARDED} "
            "ON result_snapshots FOR EACH ROW EXECUTE FUNCTION result_snapshots_immutable()"
        )
    else:
        op.execute(
            "CREATE TRIGGER result_snapshots_no_delete BEFORE DELETE ON result_snapshots "
            f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
        )
        op.execute(
            f"CREATE TRIGGER result_snapshots_no_update BEFORE UPDATE OF {GUARDED} "
            f"ON result_snapshots BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
        )


def downgrade():
    postgresql = op.get_bind().dialect.name == "postgresql"
    names = ["result_snapshots_no_update", "result_snapshots_no_delete"]
    if postgresql:
        names.append("result_snapshots_no_truncate")
    for name in names:
        op.execute(
            f"DROP TRIGGER IF EXISTS {name}" + (" ON result_snapshots" if postgresql else "")
        )
    if postgresql:
        op.execute("DROP FUNCTION IF EXISTS result_snapshots_immutable()")
