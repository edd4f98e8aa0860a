"""Your city first: users.home_city_id, the member city a person says they live in (optional,
self-declared, it grants nothing). Existing accounts get none: nobody was asked yet. Deleting
the city empties it (ON DELETE SET NULL); the index serves that.

Revision ID: 45561f46b0a1
Revises: c1de15cc1d68
Create Date: 2026-12-06 20:45:00
"""

import sqlalchemy as sa
from alembic import op

revision = "45561f46b0a1"
down_revision = "c1de15cc1d68"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("home_city_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_users_home_city_id"), ["home_city_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_users_home_city_id_cities"),
            "cities",
            ["home_city_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_users_home_city_id_cities"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_users_home_city_id"))
        batch_op.drop_column("home_city_id")
