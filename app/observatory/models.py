"""The observatory reads participation, supports, comments and translations (see services.py);
it stores only a cache of bridging scores, so the proposal list can sort by them."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.db_types import UTCDateTime, utcnow
from app.extensions import db


class BridgingScore(db.Model):
    """A supported proposal's bridging score, scaled to an integer (score × 10¹²) so that the
    list's keyset cursor stays exact. Proposals nobody supported have no row."""

    __tablename__ = "bridging_scores"
    __table_args__ = (
        sa.CheckConstraint("score_key > 0", name="score_key_positive"),
        # The "supported across languages" order: a backward walk of this index.
        sa.Index(
            "ix_bridging_scores_consultation_score", "consultation_id", "score_key", "proposal_id"
        ),
    )

    proposal_id: Mapped[int] = mapped_column(
        sa.ForeignKey("proposals.id", ondelete="CASCADE"), primary_key=True
    )
    consultation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("consultations.id", ondelete="CASCADE")
    )
    score_key: Mapped[int] = mapped_column(sa.BigInteger)


class BridgingRefresh(db.Model):
    """When a consultation's bridging scores were computed, and from which supports: the count
    and the highest id of its supports (any new or withdrawn support changes one of them)."""

    __tablename__ = "bridging_refreshes"
    __table_args__ = (sa.CheckConstraint("supports_count >= 0", name="supports_count_positive"),)

    consultation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("consultations.id", ondelete="CASCADE"), primary_key=True
    )
    supports_count: Mapped[int] = mapped_column(sa.Integer, default=0)
    last_support_id: Mapped[int] = mapped_column(sa.Integer, default=0)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ObservatoryFigures(db.Model):
    """The observatory's counts of one page (the network, a city or a consultation), as computed
    by `services.raw_*` at `computed_at`: pages read them instead of counting every support and
    comment again, so their cost does not grow with the data. Counts are kept before suppression
    (the minimum group size is applied when a page shows them); `flask observatory refresh`
    recomputes them, and a page recomputes its own when they are older than OBSERVATORY_MAX_AGE.
    """

    __tablename__ = "observatory_figures"

    # "network", "city:<id>" or "consultation:<id>".
    scope: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    data: Mapped[dict] = mapped_column(sa.JSON)
