"""Budgets, costs and ballot totals carry cents: consultations.budget_amount,
proposals.cost and ballots.total_cost become NUMERIC(14, 2) (they were whole currency units in
BIGINT columns; every existing value is kept as is).

Revision ID: c4d8e2a61b57
Revises: a7c3e9f1d204
Create Date: 2026-12-06 22:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "c4d8e2a61b57"
down_revision = "a7c3e9f1d204"
branch_labels = None
depends_on = None

COLUMNS = (
    ("consultations", "budget_amount", True),
    ("proposals", "cost", True),
    ("ballots", "total_cost", False),
)


def upgrade():
    for table, column, nullable in COLUMNS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column(
                column,
                existing_type=sa.BigInteger(),
                type_=sa.Numeric(14, 2),
                existing_nullable=nullable,
            )


def downgrade():
    # Amounts with cents are rounded to whole units (the old columns cannot hold cents).
    for table, column, nullable in COLUMNS:
        op.execute(sa.text(f"UPDATE {table} SET {column} = ROUND({column}, 0)"))  # noqa: S608
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column(
                column,
                existing_type=sa.Numeric(14, 2),
                type_=sa.BigInteger(),
                existing_nullable=nullable,
                postgresql_using=f"{column}::bigint",
            )
