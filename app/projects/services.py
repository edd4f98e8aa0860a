"""Projects: created from a budget result, updated by the city, read by everyone.

Functions flush, never commit: the request (or the command) commits once. Every update is
audited, appended to the project's history (project_events), notifies the people who chose the
proposal, and, when the status changes, is appended to the city's step record: step 9 "Decide
and report back" (planned, in progress, cancelled) or step 10 "Evaluate and share" (done).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from flask import abort
from sqlalchemy.orm import joinedload

from app.accounts.models import User
from app.audit import services as audit
from app.cities.models import City
from app.cities.services import city_today, set_step_status
from app.consultations.models import Consultation
from app.db_types import utcnow
from app.expenditures.models import Expenditure
from app.extensions import db
from app.notifications.models import Follow
from app.notifications.services import write
from app.pathway.models import CityStep, PathwayStep
from app.pathway.records import append_entry
from app.projects.models import PROJECT_STATUSES, Project, ProjectEvent, ProjectMilestone
from app.proposals.models import Proposal
from app.results.models import ResultSnapshot
from app.voting.models import Ballot, BallotItem, Support

REPORT_STEP_KEY = "decide-report"  # step 9, "Decide and report back"
EVALUATE_STEP_KEY = "evaluate-share"  # step 10, "Evaluate and share"
MAX_TEXT = 5000
CENT = Decimal("0.01")


class ProjectError(ValueError):
    """An update that breaks a rule of projects; `code` names the rule (the forms check the
    same rules first and word them for people)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


# Creating projects from a result.


def winners_of(payload: dict) -> list[tuple[int, Decimal | None]]:
    """(proposal id, cost it was funded with) of each winner of a budget result, from the
    snapshot's canonical JSON (read), in the snapshot's order; [] for a supports result."""
    if payload.get("method") != "budget":
        return []
    costs = {item["project"]: item.get("cost") for item in payload.get("projects", [])}
    return [
        (pid, None if costs.get(pid) is None else Decimal(str(costs[pid])).quantize(CENT))
        for pid in payload.get("winners", [])
    ]


def create_projects(
    consultation: Consultation,
    snapshot: ResultSnapshot,
    *,
    now: datetime | None = None,
    by: User | None = None,
) -> list[Project]:
    """A project for each winner of the budget result that has none yet (idempotent): planned,
    0 %, funded with its cost in the result; each appended to the step-9 record."""
    payload = json.loads(snapshot.canonical_json)
    winners = winners_of(payload)
    if not winners:
        return []
    existing = set(
        db.session.scalars(
            sa.select(Project.proposal_id).where(
                Project.proposal_id.in_([pid for pid, _ in winners])
            )
        )
    )
    proposals = {
        p.id: p
        for p in db.session.scalars(
            sa.select(Proposal).where(
                Proposal.id.in_([pid for pid, _ in winners if pid not in existing]),
                Proposal.consultation_id == consultation.id,
            )
        )
    }
    created = []
    for proposal_id, cost in winners:
        proposal = proposals.get(proposal_id)
        if proposal is None:
            continue
        project = Project(
            consultation_id=consultation.id,
            proposal_id=proposal_id,
            city_id=consultation.city_id,
            status="planned",
            status_reason="",
            language=consultation.language,
            progress=0,
            department="",
            cost=cost,
            currency=payload.get("currency") or "EUR",
        )
        db.session.add(project)
        created.append((project, proposal))
    if not created:
        return []
    db.session.flush()
    actor_id = by.id if by else None
    # Every new project is planned: one record step for all of them (not a query each).
    city_step = record_step(created[0][0])
    for project, proposal in created:
        db.session.add(
            ProjectEvent(
                project_id=project.id,
                change="created",
                status="planned",
                progress=0,
                actor_id=actor_id,
                created_at=now or utcnow(),
            )
        )
        _record_status(project, proposal.title, proposal.language, by, at=now, city_step=city_step)
    audit.record(
        by,
        "projects.created",
        city=consultation.city_id,
        target_type="consultation",
        target_id=consultation.id,
        details={"title": consultation.title, "projects": len(created)},
    )
    db.session.flush()
    return [project for project, _ in created]


def on_results_published(
    consultation: Consultation, snapshot: ResultSnapshot, *, now: datetime
) -> None:
    """The "results.published" hook: the funded proposals become projects."""
    create_projects(consultation, snapshot, now=now)


def create_missing(now: datetime | None = None) -> int:
    """Projects for every closed budget consultation whose result has winners without one
    (results published before projects existed): how many were created."""
    rows = db.session.execute(
        sa.select(Consultation, ResultSnapshot)
        .join(ResultSnapshot, ResultSnapshot.consultation_id == Consultation.id)
        .where(Consultation.voting_method == "budget", Consultation.closed_at.is_not(None))
        .order_by(Consultation.id)
    ).all()
    return sum(len(create_projects(c, s, now=now)) for c, s in rows)


# Updating.


def get_project_or_404(project_id: int) -> Project:
    project = db.session.get(Project, project_id)
    if project is None:
        abort(404)
    return project


def get_milestone_or_404(milestone_id: int) -> ProjectMilestone:
    milestone = db.session.get(ProjectMilestone, milestone_id)
    if milestone is None:
        abort(404)
    return milestone


def check_rules(
    status: str,
    reason: str,
    reason_language: str | None,
    progress: int | None,
    starts_on: date | None,
    ends_on: date | None,
) -> None:
    """The rules the database also checks (raise ProjectError)."""
    if status not in PROJECT_STATUSES:
        raise ProjectError("status")
    if progress is None or not 0 <= progress <= 100:
        raise ProjectError("progress")
    if starts_on is not None and ends_on is not None and ends_on < starts_on:
        raise ProjectError("dates")
    if status == "cancelled" and not reason.strip():
        raise ProjectError("reason")
    if reason.strip() and not reason_language:
        raise ProjectError("language")
    if len(reason) > MAX_TEXT:
        raise ProjectError("length")


def _lock(project: Project) -> Project:
    """Hold the project's row until the transaction ends (two moderators' updates queue up),
    reading it again as it is now."""
    return db.session.execute(
        sa.select(Project)
        .where(Project.id == project.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one()


def update_project(
    project: Project,
    *,
    status: str,
    reason: str = "",
    reason_language: str | None = None,
    progress: int,
    starts_on: date | None,
    ends_on: date | None,
    department: str,
    by: User | None,
    now: datetime | None = None,
) -> bool:
    """Change the project in one go; False when nothing changed. Audited, in its history,
    notified; a change of status goes into the step record too."""
    reason = (reason or "").strip()
    department = (department or "").strip()[:200]
    check_rules(status, reason, reason_language, progress, starts_on, ends_on)
    project = _lock(project)
    new = {
        "status": status,
        "status_reason": reason,
        "progress": progress,
        "starts_on": starts_on,
        "ends_on": ends_on,
        "department": department,
    }
    if reason:
        new["language"] = reason_language
    changed = [name for name, value in new.items() if getattr(project, name) != value]
    if not changed:
        return False
    previous = project.status
    for name in changed:
        setattr(project, name, new[name])
    now = now or utcnow()
    db.session.add(
        ProjectEvent(
            project_id=project.id,
            change="updated",
            status=project.status,
            progress=project.progress,
            reason=reason,
            language=project.language if reason else None,
            data={"changed": changed},
            actor_id=by.id if by else None,
            created_at=now,
        )
    )
    db.session.flush()
    audit.record(
        by,
        "projects.updated",
        city=project.city_id,
        target_type="project",
        target_id=project.id,
        details={
            "title": project.proposal.title,
            "changed": changed,
            "status": project.status,
            "progress": project.progress,
            **({"from": previous} if previous != project.status else {}),
        },
    )
    if previous != project.status:
        _record_status(
            project,
            project.proposal.title,
            project.language if reason else project.proposal.language,
            by,
            previous=previous,
            reason=reason,
            at=now,
        )
    notify(project, change="status" if previous != project.status else "updated", by=by, now=now)
    return True


def add_milestone(
    project: Project,
    *,
    on: date,
    title: str,
    body: str = "",
    language: str,
    by: User | None,
    done: bool = False,
    now: datetime | None = None,
) -> ProjectMilestone:
    """A dated milestone of the project (done or still ahead); audited and notified."""
    title, body = (title or "").strip(), (body or "").strip()
    if not title or len(title) > 200 or len(body) > MAX_TEXT or not language:
        raise ProjectError("milestone")
    now = now or utcnow()
    project = _lock(project)
    milestone = ProjectMilestone(
        project_id=project.id,
        on_date=on,
        title=title,
        body=body,
        language=language,
        done_at=now if done else None,
        created_by_id=by.id if by else None,
    )
    db.session.add(milestone)
    db.session.flush()
    _milestone_event(project, milestone, "milestone_added", by, now)
    return milestone


def edit_milestone(
    milestone: ProjectMilestone,
    *,
    on: date,
    title: str,
    body: str = "",
    language: str,
    done: bool,
    by: User | None,
    now: datetime | None = None,
) -> bool:
    """Change a milestone (its date, texts, done or not); False when nothing changed."""
    title, body = (title or "").strip(), (body or "").strip()
    if not title or len(title) > 200 or len(body) > MAX_TEXT or not language:
        raise ProjectError("milestone")
    now = now or utcnow()
    project = _lock(milestone.project)
    before = (milestone.on_date, milestone.title, milestone.body, milestone.language)
    was_done = milestone.done
    if before == (on, title, body, language) and was_done == done:
        return False
    milestone.on_date, milestone.title, milestone.body, milestone.language = (
        on,
        title,
        body,
        language,
    )
    if done != was_done:
        milestone.done_at = now if done else None
    db.session.flush()
    _milestone_event(project, milestone, "milestone_changed", by, now)
    return True


def _milestone_event(
    project: Project, milestone: ProjectMilestone, action: str, by: User | None, now: datetime
) -> None:
    db.session.add(
        ProjectEvent(
            project_id=project.id,
            change="milestone",
            status=project.status,
            progress=project.progress,
            data={"milestone": milestone.id, "title": milestone.title, "done": milestone.done},
            language=milestone.language,
            actor_id=by.id if by else None,
            created_at=now,
        )
    )
    audit.record(
        by,
        f"projects.{action}",
        city=project.city_id,
        target_type="project",
        target_id=project.id,
        details={"title": milestone.title, "on": milestone.on_date.isoformat()},
    )
    notify(project, change="milestone", by=by, now=now)


def recipients(project: Project) -> sa.Subquery:
    """Who hears of a project: the proposal's supporters, the voters whose cast ballot chose it,
    and the followers of the proposal and of its consultation (user ids, one select)."""
    return sa.union(
        sa.select(Support.user_id.label("user_id")).where(
            Support.proposal_id == project.proposal_id
        ),
        sa.select(Ballot.user_id.label("user_id"))
        .join(BallotItem, BallotItem.ballot_id == Ballot.id)
        .where(BallotItem.proposal_id == project.proposal_id, Ballot.status == "cast"),
        sa.select(Follow.user_id.label("user_id")).where(
            sa.or_(
                Follow.proposal_id == project.proposal_id,
                Follow.consultation_id == project.consultation_id,
            )
        ),
    ).subquery()


def notify(project: Project, *, change: str, by: User | None, now: datetime) -> None:
    """One INSERT … SELECT; never the actor (app/notifications/services.py `write`)."""
    write(
        "project_updated",
        recipients(project),
        actor_id=by.id if by else None,
        consultation_id=project.consultation_id,
        proposal_id=project.proposal_id,
        data={
            "project": project.id,
            "change": change,
            "status": project.status,
            "progress": project.progress,
        },
        now=now,
    )


def _step(city_id: int, key: str) -> CityStep | None:
    return db.session.scalar(
        sa.select(CityStep)
        .join(PathwayStep, PathwayStep.id == CityStep.step_id)
        .where(CityStep.city_id == city_id, PathwayStep.key == key)
    )


def record_step(project: Project) -> CityStep:
    """Step 10 when the project is done, else step 9 (by the template's keys, not positions);
    the consultation's own step when the city has neither."""
    key = EVALUATE_STEP_KEY if project.status == "done" else REPORT_STEP_KEY
    return _step(project.city_id, key) or project.consultation.city_step


def _record_status(
    project: Project,
    title: str,
    language: str,
    by: User | None,
    *,
    previous: str | None = None,
    reason: str = "",
    at: datetime | None = None,
    city_step: CityStep | None = None,
) -> None:
    """The status in the step record, dated at the change's moment (`at`: the demo replays
    changes of the past; a request's change is now). A step that had not started has now: the
    city is reporting back (step 9) or evaluating (step 10). `city_step`: the record's step when
    the caller knows it already (record_step(project))."""
    city_step = city_step or record_step(project)
    if city_step.status == "not_started":
        set_step_status(
            city_step,
            "in_progress",
            city_today(project.city, at),
            author=by,
            language=language,
            at=at,
        )
    append_entry(
        city_step,
        "note",
        language=language,
        author=by,
        title=title[:200],
        body=reason if project.status == "cancelled" else "",
        data={
            "project": project.id,
            "proposal": project.proposal_id,
            "consultation": project.consultation_id,
            "project_status": project.status,
            "progress": project.progress,
            **({"from": previous} if previous else {}),
        },
        at=at,
    )


# Reading.


@dataclass
class ProjectRow:
    """A project as the lists show it: its money (sums of linked expenditures by status) and its
    next milestone."""

    project: Project
    committed: Decimal
    spent: Decimal
    next_milestone: ProjectMilestone | None


def _money(value) -> Decimal:
    return Decimal(str(value or 0)).quantize(CENT)


def money_of(project_ids: list[int]) -> dict[int, tuple[Decimal, Decimal]]:
    """{project: (committed, spent)} in one query: committed counts the planned amount of the
    linked expenditures committed or spent; spent, what was spent."""
    if not project_ids:
        return {}
    committed = sa.case(
        (Expenditure.status.in_(("committed", "spent")), Expenditure.planned_amount),
        else_=sa.literal(0),
    )
    rows = db.session.execute(
        sa.select(
            Expenditure.project_id,
            sa.func.coalesce(sa.func.sum(committed), 0),
            sa.func.coalesce(sa.func.sum(Expenditure.spent_amount), 0),
        )
        .where(Expenditure.project_id.in_(project_ids))
        .group_by(Expenditure.project_id)
    ).all()
    return {pid: (_money(c), _money(s)) for pid, c, s in rows}


def next_milestones(project_ids: list[int]) -> dict[int, ProjectMilestone]:
    """Each project's first milestone not done yet, in one query."""
    if not project_ids:
        return {}
    found: dict[int, ProjectMilestone] = {}
    for milestone in db.session.scalars(
        sa.select(ProjectMilestone)
        .where(ProjectMilestone.project_id.in_(project_ids), ProjectMilestone.done_at.is_(None))
        .order_by(ProjectMilestone.project_id, ProjectMilestone.on_date, ProjectMilestone.id)
    ):
        found.setdefault(milestone.project_id, milestone)
    return found


def _rows(query) -> list[ProjectRow]:
    projects = list(
        db.session.scalars(
            query.options(joinedload(Project.proposal), joinedload(Project.consultation))
        ).unique()
    )
    ids = [p.id for p in projects]
    money, upcoming = money_of(ids), next_milestones(ids)
    zero = (Decimal("0.00"), Decimal("0.00"))
    return [ProjectRow(p, *money.get(p.id, zero), upcoming.get(p.id)) for p in projects]


def projects_of_consultation(consultation: Consultation) -> list[ProjectRow]:
    """The consultation's projects in the result's order of proposals (by id): four queries."""
    return _rows(
        sa.select(Project).where(Project.consultation_id == consultation.id).order_by(Project.id)
    )


def projects_of_city(city: City, status: str | None = None) -> list[ProjectRow]:
    """The city's projects across its consultations, newest consultation first."""
    query = sa.select(Project).where(Project.city_id == city.id)
    if status in PROJECT_STATUSES:
        query = query.where(Project.status == status)
    return _rows(query.order_by(Project.consultation_id.desc(), Project.id))


def status_counts(city_id: int | None = None, consultation_id: int | None = None) -> dict:
    """{status: count} of a city's or a consultation's projects, in one query."""
    query = sa.select(Project.status, sa.func.count()).group_by(Project.status)
    if city_id is not None:
        query = query.where(Project.city_id == city_id)
    if consultation_id is not None:
        query = query.where(Project.consultation_id == consultation_id)
    return dict(db.session.execute(query).all())


def milestones_of(project: Project) -> list[ProjectMilestone]:
    return list(
        db.session.scalars(
            sa.select(ProjectMilestone)
            .where(ProjectMilestone.project_id == project.id)
            .order_by(ProjectMilestone.on_date, ProjectMilestone.id)
        )
    )


def history_of(project: Project) -> list[ProjectEvent]:
    return list(
        db.session.scalars(
            sa.select(ProjectEvent)
            .where(ProjectEvent.project_id == project.id)
            .order_by(ProjectEvent.created_at, ProjectEvent.id)
        )
    )


def linkable(city: City) -> list[tuple[int, str]]:
    """The "expenditures.projects" hook: this city's projects as (id, label), one query."""
    return [
        (pid, f"#{pid} · {title}")
        for pid, title in db.session.execute(
            sa.select(Project.id, Proposal.title)
            .join(Proposal, Proposal.id == Project.proposal_id)
            .where(Project.city_id == city.id, Project.status != "cancelled")
            .order_by(Project.id)
        )
    ]


def export_rows(rows: list[ProjectRow]) -> list[dict]:
    """The lists' rows as plain values for the CSV and JSON exports."""
    return [
        {
            "project": row.project.id,
            "consultation": row.project.consultation_id,
            "proposal": row.project.proposal_id,
            "title": row.project.proposal.title,
            "language": row.project.proposal.language,
            "status": row.project.status,
            "status_reason": row.project.status_reason,
            "progress": row.project.progress,
            "starts_on": row.project.starts_on.isoformat() if row.project.starts_on else None,
            "ends_on": row.project.ends_on.isoformat() if row.project.ends_on else None,
            "department": row.project.department,
            "currency": row.project.currency,
            "cost": None if row.project.cost is None else str(row.project.cost),
            "committed": str(row.committed),
            "spent": str(row.spent),
            "next_milestone": row.next_milestone.on_date.isoformat()
            if row.next_milestone
            else None,
        }
        for row in rows
    ]
