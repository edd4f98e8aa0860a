"""Consultations with phases, as a moderator would set them up."""

from __future__ import annotations

from datetime import datetime, timedelta

from app.consultations.phases import PhaseWindow
from app.consultations.services import ConsultationData, save_consultation
from app.db_types import utcnow
from tests import factories


def with_phases(
    city,
    *,
    phase: str = "proposals",
    now: datetime | None = None,
    voting_method: str = "supports",
    author=None,
    review: bool = False,
    questionnaire: bool = False,
    **settings,
):
    """A consultation whose `phase` is running at `now` (each phase lasts a week); `review`
    adds the review phase between deliberation and voting, `questionnaire` the questionnaire
    phase between information and proposals."""
    now = now or utcnow()
    order = ["information", "proposals", "deliberation", "voting", "results"]
    if review or phase == "review":
        order.insert(3, "review")
    if questionnaire or phase == "questionnaire":
        order.insert(1, "questionnaire")
    week = timedelta(days=7)
    start = now - week / 2 - order.index(phase) * week
    windows = []
    for index, kind in enumerate(order):
        begins = start + index * week
        windows.append(PhaseWindow(kind, begins, None if kind == "results" else begins + week))
    step = next(s for s in city.steps if s.step.position == 8)
    if voting_method == "budget":
        settings.setdefault("budget_amount", 100_000)
        settings.setdefault("budget_rule", "greedy")
    data = ConsultationData(
        city_step=step,
        title=settings.pop("title", "Un parco per il quartiere"),
        description=settings.pop("description", "Che cosa vorresti nel nuovo parco?"),
        language=settings.pop("language", "it"),
        languages=settings.pop("languages", ["it", "ar"]),
        windows=windows,
        voting_method=voting_method,
        **settings,
    )
    return save_consultation(data, author=author or factories.user())
