"""Closed budget consultations whose winners became projects (through the real close)."""

from __future__ import annotations

import sqlalchemy as sa

from app.extensions import db
from app.projects.models import Project
from tests.consultations.factories import with_phases
from tests.results.factories import budget_consultation, cast, closed, proposal


def funded(city, *, voters=(), by=None):
    """A greedy budget of 100 over A (60), B (50), C (40): ballots [A, C], [A, C], [B] fund A
    and C (B no longer fits). `voters`: the users of those three ballots (else new ones)."""
    consultation, (a, b, c) = budget_consultation(city, rule="greedy", budget=100)
    people = list(voters) + [None] * (3 - len(voters))
    cast(consultation, [a, c], user=people[0])
    cast(consultation, [a, c], user=people[1])
    cast(consultation, [b], user=people[2])
    closed(consultation, by=by)
    return consultation, (a, b, c)


def many(city, count: int):
    """A budget consultation whose `count` proposals all win (one ballot chooses them all)."""
    consultation = with_phases(
        city, phase="voting", voting_method="budget", budget_amount=count, budget_rule="greedy"
    )
    items = [proposal(consultation, f"Progetto {n}", 1) for n in range(count)]
    cast(consultation, items)
    closed(consultation)
    return consultation


def projects_of(consultation) -> list[Project]:
    return list(
        db.session.scalars(
            sa.select(Project)
            .where(Project.consultation_id == consultation.id)
            .order_by(Project.id)
        )
    )


def a_project(world) -> Project:
    """The first project of a funded consultation of `world.here`."""
    consultation, _ = funded(world.here)
    return projects_of(consultation)[0]
