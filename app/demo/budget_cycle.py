"""The demo's participatory budget from start to finish, as Bologna ran it: proposals in six
languages, the city's review (reviewers appointed, each proposal assessed, the city's costs, a
duplicate merged, a refused author answering), the vote on the feasible proposals, the result,
then the funded projects followed for two months (status, progress, milestones, photos, an
expenditure of the plan linked).

Everything goes through the services the pages call, at a moment when the phase allowed it,
so the review board, the notifications, the audit log and the step records show what real use
leaves. Idempotent like the rest of the demo: it runs only in the seed that created the
consultation.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from app.accounts.models import User
from app.attachments.files import demo_photo
from app.attachments.services import attach_image
from app.consultations import phases as phase_rules
from app.consultations.models import Consultation
from app.expenditures.services import create_expenditure
from app.extensions import db
from app.pathway.models import CityStep, PathwayStep
from app.projects.models import Project
from app.projects.services import add_milestone, edit_milestone, update_project
from app.proposals.models import Proposal
from app.review.services import answer, appoint_reviewer, assess, assessment_of, merge

TITLE = "Bilancio partecipativo: cortili, strade e biblioteche della Bolognina"
REVIEWER = "reviewer.bologna@learning-cities.demo"

# Proposal title → how the city assessed it: (feasible, the city's cost, eligible, budget
# area, explanation in Italian, by the reviewer (True) or the moderator (False)).
ASSESSMENTS: dict[str, tuple[bool, int | None, bool, str, str, bool]] = {
    "Un orto condiviso nel cortile delle Scuole Aldini": (
        True,
        46_000,
        True,
        "Verde pubblico",
        "Fattibile. Il costo del Comune comprende l'impianto di irrigazione e i cassoni rialzati "
        "accessibili in carrozzina, che la proposta non contava.",
        True,
    ),
    "حصص سباحة للنساء في مسبح الحي": (
        True,
        30_000,
        True,
        "Sport",
        "Fattibile: la piscina Cavina ha due fasce orarie libere il martedì e il giovedì. Il "
        "costo copre istruttrici e custodia dei bambini per un anno.",
        True,
    ),
    "Bănci și umbră în Parcul Nicholas Green": (
        True,
        26_000,
        True,
        "Verde pubblico",
        "Fattibile. Dieci panchine e otto alberi; il costo comprende la messa a dimora e due "
        "anni di cura degli alberi.",
        True,
    ),
    "Libri per bambini in tutte le lingue alla Biblioteca Lame": (
        True,
        18_000,
        True,
        "Biblioteche",
        "Fattibile. Unita alla proposta in cinese sugli albi illustrati: il costo comprende "
        "anche quei libri e le letture mensili con i genitori volontari.",
        False,
    ),
    "Parcheggio sotterraneo in Piazza dell'Unità": (
        False,
        None,
        False,
        "Mobilità",
        "Non fattibile in questo bilancio: un parcheggio sotterraneo costa oltre sei milioni di "
        "euro e richiede una variante urbanistica che dura più di un anno.",
        False,
    ),
    "Free wifi at the Corticella bus stops": (
        False,
        None,
        False,
        "Connettività",
        "Non è di competenza del Comune: le fermate degli autobus sono gestite da TPER. Abbiamo "
        "inoltrato la proposta all'azienda, che risponderà pubblicamente.",
        True,
    ),
}
# The duplicate and the proposal it was merged into.
MERGES = {"图书馆里的中文儿童绘本": "Libri per bambini in tutte le lingue alla Biblioteca Lame"}
# An author who answers the city's assessment (once): title → (language, answer).
ANSWERS = {
    "Parcheggio sotterraneo in Piazza dell'Unità": (
        "it",
        "Capisco il costo. Allora propongo più posti per le biciclette intorno alla piazza, "
        "nel prossimo bilancio partecipativo.",
    ),
}

# After the result: each funded project's story, in days after the close. (status, progress,
# start, end, department, milestones (day, title, body, done), photos (seed, caption, alt)).
PROJECTS: dict[str, dict] = {
    "Un orto condiviso nel cortile delle Scuole Aldini": {
        "updates": [(12, "in_progress", 20), (45, "in_progress", 60)],
        "dates": (10, 150),
        "department": "Settore Verde e Tutela del Suolo",
        "milestones": [
            (
                8,
                "Progetto esecutivo approvato",
                "Il progetto è stato discusso con le famiglie, gli insegnanti e l'Associazione "
                "Al-Nour, che curerà l'orto il sabato.",
                True,
            ),
            (40, "Cassoni rialzati e irrigazione installati", "", True),
            (110, "Festa d'apertura dell'orto con le famiglie", "", False),
        ],
        "photos": [
            (
                11,
                "Orto Aldini",
                "Cassoni rialzati di legno nel cortile della scuola, con le "
                "prime piantine di pomodoro",
            ),
        ],
        "expenditure": (Decimal("46000"), Decimal("21500.00"), "committed"),
    },
    "حصص سباحة للنساء في مسبح الحي": {
        "updates": [(5, "in_progress", 50), (50, "done", 100)],
        "dates": (5, 50),
        "department": "Ufficio Sport, Quartiere Navile",
        "milestones": [
            (4, "Accordo con la piscina Cavina", "Martedì e giovedì, dalle 18 alle 20.", True),
            (
                20,
                "بدء الحصص مع مدرّبتين",
                "انضمّت ثلاثون امرأة من ثماني جنسيات إلى الحصص في الأسبوع الأول.",
                True,
            ),
        ],
        "photos": [
            (
                23,
                "Piscina Cavina",
                "La vasca della piscina Cavina con le corsie riservate ai corsi delle donne",
            ),
        ],
    },
    "Bănci și umbră în Parcul Nicholas Green": {
        "updates": [],
        "dates": (70, 130),
        "department": "Settore Verde e Tutela del Suolo",
        "milestones": [(65, "Gara per le panchine e gli alberi", "", False)],
        "photos": [],
    },
    "Libri per bambini in tutte le lingue alla Biblioteca Lame": {
        "updates": [(15, "in_progress", 40)],
        "dates": (15, 90),
        "department": "Istituzione Biblioteche di Bologna",
        "milestones": [
            (30, "Primi 300 albi illustrati in sei lingue a scaffale", "", True),
            (75, "Letture del sabato con i genitori volontari", "", False),
        ],
        "photos": [
            (
                37,
                "Biblioteca Lame",
                "Uno scaffale basso di albi illustrati in arabo, cinese e "
                "rumeno nella sala ragazzi",
            ),
        ],
    },
}


def windows_with_review(windows: list, zone: ZoneInfo) -> list:
    """The demo's five phases with a review phase: deliberation's last days become review's,
    which opens at the city's office hour like every phase (its morning, 09:00)."""
    result = []
    for kind, starts, ends in windows:
        if kind != "deliberation":
            result.append((kind, starts, ends))
            continue
        first_day = starts.astimezone(zone).date()
        last_day = ends.astimezone(zone).date()
        split = first_day + timedelta(days=(last_day - first_day).days // 2)
        deliberation_ends = datetime.combine(split, ends.astimezone(zone).timetz())
        review_starts = datetime.combine(
            split + timedelta(days=1), starts.astimezone(zone).timetz()
        )
        result.append((kind, starts, deliberation_ends.astimezone(UTC)))
        result.append(("review", review_starts.astimezone(UTC), ends))
    return result


def _by_title(proposals: list[Proposal]) -> dict[str, Proposal]:
    return {proposal.title: proposal for proposal in proposals}


def review(
    consultation: Consultation, proposals: list[Proposal], moderator: User, now: datetime
) -> list[Proposal]:
    """The city's review of the proposals; returns those that go to the ballot."""
    if consultation.title != TITLE:
        return proposals
    reviewer = db.session.scalar(sa.select(User).where(User.email == REVIEWER))
    if reviewer is not None:
        appoint_reviewer(consultation, reviewer, by=moderator)
    found = _by_title(proposals)
    moments = phase_rules.spread(
        consultation.windows,
        "assess",
        consultation.voting_method,
        now,
        len(ASSESSMENTS) + len(MERGES) + len(ANSWERS),
    )
    if not moments:
        return proposals
    step = 0
    for duplicate, into in MERGES.items():
        if duplicate in found and into in found:
            merge(found[duplicate], found[into], by=moderator, now=moments[step])
            step += 1
    for title, (feasible, cost, eligible, area, why, by_reviewer) in ASSESSMENTS.items():
        proposal = found.get(title)
        if proposal is None:
            continue
        assess(
            proposal,
            feasible=feasible,
            explanation=why,
            language="it",
            city_cost=Decimal(cost) if cost is not None else None,
            eligible=eligible,
            budget_area=area,
            by=reviewer if by_reviewer and reviewer is not None else moderator,
            now=moments[step],
        )
        step += 1
    for title, (language, text) in ANSWERS.items():
        proposal = found.get(title)
        if proposal is not None and proposal.author is not None:
            assessment = assessment_of(proposal)
            answer(assessment, text, language, by=proposal.author, now=moments[step])
            step += 1
    db.session.flush()
    return [
        proposal
        for proposal in proposals
        if proposal.status == "published" and ASSESSMENTS.get(proposal.title, (True,))[0]
    ]


def close_moment(consultation: Consultation) -> datetime | None:
    """When the demo closes it: a few minutes after voting ended (the cron's next run)."""
    if consultation.title != TITLE:
        return None
    return consultation.ends_at + timedelta(minutes=5)


def follow_projects(consultation: Consultation, moderator: User, now: datetime) -> None:
    """Two months of a city following its funded projects (after the close)."""
    if consultation.title != TITLE or consultation.closed_at is None:
        return
    closed = consultation.closed_at
    projects = db.session.scalars(
        sa.select(Project).where(Project.consultation_id == consultation.id).order_by(Project.id)
    ).all()
    for project in projects:
        story = PROJECTS.get(project.proposal.title)
        if story is None:
            continue
        first, last = story["dates"]
        starts_on, ends_on = (
            (closed + timedelta(days=first)).date(),
            (closed + timedelta(days=last)).date(),
        )
        update_project(
            project,
            status="planned",
            progress=0,
            starts_on=starts_on,
            ends_on=ends_on,
            department=story["department"],
            by=moderator,
            now=min(closed + timedelta(days=2), now),
        )
        events: list[tuple[datetime, str, tuple]] = []
        for day, status, progress in story["updates"]:
            events.append((closed + timedelta(days=day), "update", (status, progress)))
        for index, (day, title, body, done) in enumerate(story["milestones"]):
            # A milestone is written when it is planned, and marked done on its day.
            written = closed + timedelta(days=min(day, 3))
            events.append((written, "milestone", (index, day, title, body)))
            if done:
                events.append((closed + timedelta(days=day), "done", (index, day, title, body)))
        written_milestones = {}
        for moment, what, values in sorted(events, key=lambda event: event[0]):
            if moment > now:
                continue
            if what == "update":
                status, progress = values
                update_project(
                    project,
                    status=status,
                    progress=progress,
                    starts_on=starts_on,
                    ends_on=ends_on,
                    department=story["department"],
                    by=moderator,
                    now=moment,
                )
            elif what == "milestone":
                index, day, title, body = values
                written_milestones[index] = add_milestone(
                    project,
                    on=(closed + timedelta(days=day)).date(),
                    title=title,
                    body=body,
                    language="ar" if _arabic(title) else "it",
                    by=moderator,
                    now=moment,
                )
            else:
                index, day, title, body = values
                edit_milestone(
                    written_milestones[index],
                    on=(closed + timedelta(days=day)).date(),
                    title=title,
                    body=body,
                    language="ar" if _arabic(title) else "it",
                    done=True,
                    by=moderator,
                    now=moment,
                )
        for seed, caption, alt in story["photos"]:
            attach_image(
                "project",
                project,
                demo_photo(seed, caption, size=(960, 640)),
                filename=f"{caption.lower().replace(' ', '-')}.jpg",
                alt=alt,
                alt_language="it",
                by=moderator,
            )
        expenditure = story.get("expenditure")
        if expenditure is not None:
            planned, spent, status = expenditure
            budget_step = db.session.scalar(
                sa.select(CityStep)
                .join(PathwayStep, PathwayStep.id == CityStep.step_id)
                .where(CityStep.city_id == project.city_id, PathwayStep.position == 2)
            )
            if budget_step is not None:
                create_expenditure(
                    project.city,
                    budget_step,
                    title=project.proposal.title,
                    description="Bilancio partecipativo della Bolognina: lavori e materiali.",
                    planned_amount=planned,
                    spent_amount=spent,
                    status=status,
                    language="it",
                    author=moderator,
                    project_id=project.id,
                )
    db.session.flush()


def _arabic(text: str) -> bool:
    return any("\u0600" <= char <= "\u06ff" for char in text)
