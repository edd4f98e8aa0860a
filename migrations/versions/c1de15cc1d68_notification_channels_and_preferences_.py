"""Notifications by channel (site, e-mail at once, daily digest) with each person's choice per
kind, and the phase each consultation last announced.

Existing people keep what they had: with no choice stored, a kind goes to the daily digest when
users.email_digest says so, else it stays on the site; existing notifications get the channel
that setting gave them. Consultations get the phase they are in now as already announced (closed
ones: results), so the first run after this migration does not announce phases begun long ago.

Revision ID: c1de15cc1d68
Revises: a543c180135e
Create Date: 2026-12-06 20:15:22
"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "c1de15cc1d68"
down_revision = "a543c180135e"
branch_labels = None
depends_on = None

PHASES = ("information", "proposals", "deliberation", "voting", "results")


def upgrade():
    op.create_table(
        "notification_preferences",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("channel", sa.String(length=8), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "channel IN ('site', 'email', 'digest', 'never')",
            name=op.f("ck_notification_preferences_channel_known"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_notification_preferences_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification_preferences")),
        sa.UniqueConstraint(
            "user_id", "kind", name=op.f("uq_notification_preferences_user_id_kind")
        ),
    )
    with op.batch_alter_table("consultations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("announced_phase", sa.String(length=16), nullable=True))

    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("channel", sa.String(length=8), server_default="site", nullable=False)
        )
        batch_op.add_column(sa.Column("emailed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("data", sa.JSON(), nullable=True))
        batch_op.create_index(
            "ix_notifications_channel_emailed_at", ["channel", "emailed_at"], unique=False
        )
        batch_op.create_check_constraint(
            op.f("ck_notifications_channel_known"), "channel IN ('site', 'email', 'digest')"
        )

    op.execute(
        sa.text(
            "UPDATE notifications SET channel = 'digest' "
            "WHERE user_id IN (SELECT id FROM users WHERE email_digest)"
        )
    )
    _mark_current_phases_announced()


def _mark_current_phases_announced():
    bind = op.get_bind()
    now = datetime.now(UTC)
    consultations = sa.table(
        "consultations",
        sa.column("id", sa.Integer),
        sa.column("closed_at", sa.DateTime(timezone=True)),
        sa.column("announced_phase", sa.String),
    )
    phases = sa.table(
        "consultation_phases",
        sa.column("consultation_id", sa.Integer),
        sa.column("kind", sa.String),
        sa.column("starts_at", sa.DateTime(timezone=True)),
    )
    announced: dict[int, str] = {
        cid: "results"
        for (cid,) in bind.execute(
            sa.select(consultations.c.id).where(consultations.c.closed_at.is_not(None))
        )
    }
    for cid, kind, starts_at in bind.execute(
        sa.select(phases.c.consultation_id, phases.c.kind, phases.c.starts_at)
    ):
        if starts_at.tzinfo is None:  # SQLite keeps naive UTC
            starts_at = starts_at.replace(tzinfo=UTC)
        # Results are announced by the close (which publishes them), not here.
        if announced.get(cid) == "results" or kind == "results" or starts_at > now:
            continue
        if cid not in announced or PHASES.index(kind) > PHASES.index(announced[cid]):
            announced[cid] = kind
    for cid, kind in announced.items():
        bind.execute(
            sa.update(consultations).where(consultations.c.id == cid).values(announced_phase=kind)
        )


def downgrade():
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_notifications_channel_known"), type_="check")
        batch_op.drop_index("ix_notifications_channel_emailed_at")
        batch_op.drop_column("data")
        batch_op.drop_column("emailed_at")
        batch_op.drop_column("channel")

    with op.batch_alter_table("consultations", schema=None) as batch_op:
        batch_op.drop_column("announced_phase")

    op.drop_table("notification_preferences")
