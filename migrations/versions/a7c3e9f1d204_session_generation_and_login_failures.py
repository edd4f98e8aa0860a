"""Sessions end when they should (users.session_generation) and the log-in throttle counts
wrong passwords per account and address in the database (login_failures).

Revision ID: a7c3e9f1d204
Revises: e5a1c7d93b20
Create Date: 2026-12-06 21:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "a7c3e9f1d204"
down_revision = "e5a1c7d93b20"
branch_labels = None
depends_on = None


def upgrade():
    # Existing sessions and remember-me cookies hold a plain id, read as generation 0: they
    # stay valid until the account's first log-out, password or e-mail change.
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("session_generation", sa.Integer(), server_default="0", nullable=False)
        )
    op.create_table(
        "login_failures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_key", sa.String(length=64), nullable=False),
        sa.Column("address_key", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("failures > 0", name=op.f("ck_login_failures_failures_positive")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_failures")),
        sa.UniqueConstraint(
            "account_key",
            "address_key",
            name=op.f("uq_login_failures_account_key_address_key"),
        ),
    )


def downgrade():
    op.drop_table("login_failures")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("session_generation")
