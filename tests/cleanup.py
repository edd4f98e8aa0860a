"""Clean-up of what a test committed for real (concurrency tests need real commits).

Step records are append-only in the database: a test city's entries (opening a consultation
writes one) go past the trigger, switched off inside the clean-up's own transaction only.
"""

from __future__ import annotations

import sqlalchemy as sa

from app.extensions import db
from app.pathway.models import CityStep, StepRecordEntry

GUARD = "step_record_entries_no_delete"


def delete_step_records(city_ids: list[int]) -> None:
    steps = sa.select(CityStep.id).where(CityStep.city_id.in_(city_ids))
    db.session.execute(sa.text(f"ALTER TABLE step_record_entries DISABLE TRIGGER {GUARD}"))
    db.session.execute(sa.delete(StepRecordEntry).where(StepRecordEntry.city_step_id.in_(steps)))
    db.session.execute(sa.text(f"ALTER TABLE step_record_entries ENABLE TRIGGER {GUARD}"))
