"""A proposal's own "changed on" date (proposals.edited_at), set only when its author or a
moderator edits it: updated_at also moves with its counters (supports, comments).

Existing rows get NULL: an updated_at later than created_at may come from a support, a
withdrawal or moderation as well as an edit, and the database cannot tell which, so no
existing proposal is labelled "changed" on a guess.

Revision ID: a543c180135e
Revises: c4d8e2a61b57
Create Date: 2026-12-06 20:13:58
"""

import sqlalchemy as sa
from alembic import op

revision = "a543c180135e"
down_revision = "c4d8e2a61b57"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("proposals", schema=None) as batch_op:
        batch_op.add_column(sa.Column("edited_at", sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table("proposals", schema=None) as batch_op:
        batch_op.drop_column("edited_at")
