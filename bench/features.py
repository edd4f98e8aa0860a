"""The bench data of the features added after the first data set: the signed-in roles, the
city's review of the budget proposals, the funded projects' milestones and history, the
expenditure plans, meetings with their registrations, a questionnaire with its answers, the
Manifesto's versions, signatures and endorsements, and good practices.

Bulk inserts of row lists, like bench/data.py, sized by the same `Size` (see `FeatureSize`), with
an RNG of its own so this part does not change the rows bench/data.py makes before it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import sqlalchemy as sa

# The signed-in roles of the benchmarks, each a real account that logs in through the form.
PASSWORD = "bench-password-0123456789"  # noqa: S105 - a throw-away password of bench data
ROLES = ("citizen", "organisation", "moderator", "observer", "admin")


def role_email(role: str) -> str:
    return f"{role}@bench.example.org"


@dataclass(frozen=True)
class FeatureSize:
    meetings_per_city: int
    meetings_big_city: int
    registrations_per_meeting: int
    questionnaire_answers: int
    endorsements: int
    practices: int
    expenditures_per_city: int
    milestones_per_project: int


def feature_size(size) -> FeatureSize:
    """The features' counts follow the big consultation's scale (small: ×1, large: ×100)."""
    scale = max(1, size.proposals // 1_000)
    return FeatureSize(
        meetings_per_city=2 + min(scale, 10),
        # More than a city's list shows (app.meetings.services.LIST_LIMIT, 50 coming and 50
        # past) at every size, so "large vs small" compares full lists.
        meetings_big_city=120 + 4 * min(scale, 20),
        registrations_per_meeting=min(size.users // 4, 120),
        questionnaire_answers=min(size.users, 100 * scale + 200),
        endorsements=min(size.users, 40 * scale + 100),
        practices=20 + 3 * scale,
        expenditures_per_city=4 + min(scale, 20),
        milestones_per_project=3,
    )


def _insert(model, rows: list[dict]) -> None:
    from bench.data import _insert as insert

    insert(model, rows)


def role_users(city_id: int, admin_id: int) -> dict[str, int]:
    """The role accounts (the admin exists already): a citizen, an organisation's manager, the
    first city's moderator, the association's observer. All share PASSWORD."""
    from app.accounts.models import Organisation, OrganisationMembership, User, UserContentLanguage
    from app.accounts.services import hash_password
    from app.cities.models import ModeratorAppointment
    from app.db_types import utcnow
    from app.extensions import db

    hashed = hash_password(PASSWORD)
    now = utcnow()
    admin = db.session.get(User, admin_id)
    admin.email = role_email("admin")
    admin.password_hash = hashed
    ids = {"admin": admin_id}
    for role in ROLES[:-1]:
        user = User(
            email=role_email(role),
            display_name=role.capitalize(),
            password_hash=hashed,
            confirmed_at=now,
            locale="en",
            association_role="observer" if role == "observer" else None,
        )
        db.session.add(user)
        db.session.flush()
        db.session.add(UserContentLanguage(user_id=user.id, position=0, language="it"))
        ids[role] = user.id
    organisation = Organisation(
        slug="bench-association",
        name="Associazione del quartiere",
        kind="association",
        city_id=city_id,
        description="Un'associazione di quartiere.",
        description_language="it",
    )
    db.session.add(organisation)
    db.session.flush()
    db.session.add(
        OrganisationMembership(
            organisation_id=organisation.id, user_id=ids["organisation"], role="manager"
        )
    )
    db.session.add(ModeratorAppointment(city_id=city_id, user_id=ids["moderator"]))
    db.session.flush()
    return ids


def build(size, *, cities, user_ids: list[int], roles: dict[str, int], budget_id: int,
          big_id: int, seed: int) -> dict[str, int]:  # fmt: skip
    """Everything of this module, after bench/data.py built its part (the budget consultation
    closed, its projects created by the real close). Returns the rows made, per kind."""
    rng = random.Random(f"{seed}-{size.name}-features")
    counts = feature_size(size)
    made: dict[str, int] = {}
    made |= review(budget_id, user_ids, roles, rng)
    made |= projects(budget_id, roles, counts, rng)
    made |= expenditures(cities, roles, counts, rng)
    made |= meetings(cities, big_id, user_ids, roles, counts, rng)
    made |= questionnaire(big_id, user_ids, roles, counts, rng)
    made |= manifesto(cities, user_ids, roles, counts, rng)
    made |= practices(cities, user_ids, roles, counts, rng)
    return made


def review(budget_id: int, user_ids, roles, rng) -> dict[str, int]:
    """The city's review of every budget proposal: a reviewer appointed, each proposal assessed
    (nine in ten feasible, at its cost), and one author in ten answering."""
    from app.db_types import utcnow
    from app.extensions import db
    from app.proposals.models import Proposal
    from app.review.models import AssessmentAnswer, ConsultationReviewer, ProposalAssessment

    now = utcnow()
    db.session.add(
        ConsultationReviewer(
            consultation_id=budget_id, user_id=roles["citizen"], appointed_by_id=roles["moderator"]
        )
    )
    proposals = db.session.execute(
        sa.select(Proposal.id, Proposal.cost, Proposal.author_id)
        .where(Proposal.consultation_id == budget_id)
        .order_by(Proposal.id)
    ).all()
    assessments, answers = [], []
    first = (db.session.scalar(sa.select(sa.func.max(ProposalAssessment.id))) or 0) + 1
    for n, (pid, cost, author) in enumerate(proposals):
        feasible = n % 10 != 9
        assessments.append(
            {
                "id": first + n,
                "proposal_id": pid,
                "consultation_id": budget_id,
                "assigned_to_id": roles["citizen"],
                "feasible": feasible,
                "explanation": "Fattibile: il costo comprende la manutenzione per due anni."
                if feasible
                else "Non fattibile: l'area non è del Comune.",
                "language": "it",
                "city_cost": Decimal(cost or 0),
                "eligible": feasible,
                "budget_area": ("Verde pubblico", "Mobilità", "Scuole", "Cultura")[n % 4],
                "assessed_by_id": roles["citizen"],
                "assessed_at": now - timedelta(days=20, minutes=n),
                "created_at": now - timedelta(days=25),
            }
        )
        if n % 10 == 3:
            answers.append(
                {
                    "proposal_id": pid,
                    "assessment_id": first + n,
                    "author_id": author,
                    "body": "Grazie della valutazione: la proposta resta valida.",
                    "language": "it",
                    "created_at": now - timedelta(days=18, minutes=n),
                }
            )
    _insert(ProposalAssessment, assessments)
    _insert(AssessmentAnswer, answers)
    return {"assessments": len(assessments), "assessment_answers": len(answers)}


def projects(budget_id: int, roles, counts: FeatureSize, rng) -> dict[str, int]:
    """The funded projects (made by the close) carried out: status and progress, milestones
    (some done), and their history."""
    from app.db_types import utcnow
    from app.extensions import db
    from app.projects.models import Project, ProjectEvent, ProjectMilestone

    now = utcnow()
    today = now.date()
    ids = db.session.scalars(
        sa.select(Project.id).where(Project.consultation_id == budget_id).order_by(Project.id)
    ).all()
    milestones, events = [], []
    for n, pid in enumerate(ids):
        status = ("planned", "in_progress", "in_progress", "done")[n % 4]
        progress = {"planned": 0, "in_progress": 20 + rng.randrange(60), "done": 100}[status]
        db.session.execute(
            sa.update(Project)
            .where(Project.id == pid)
            .values(
                status=status,
                progress=progress,
                starts_on=today - timedelta(days=30),
                ends_on=today + timedelta(days=120 + n),
                department=("Settore Verde", "Lavori pubblici", "Cultura")[n % 3],
                status_reason="Il cantiere procede come previsto." if status != "planned" else "",
            )
        )
        for k in range(counts.milestones_per_project):
            on = today + timedelta(days=30 * k - 30)
            milestones.append(
                {
                    "project_id": pid,
                    "on_date": on,
                    "title": f"Tappa {k + 1}",
                    "body": "Lavori eseguiti secondo il progetto.",
                    "language": "it",
                    "done_at": now - timedelta(days=1) if on < today else None,
                    "created_by_id": roles["moderator"],
                    "created_at": now - timedelta(days=40),
                    "updated_at": now - timedelta(days=40),
                }
            )
        for k, (change, state, value) in enumerate(
            [("created", "planned", 0), ("updated", status, progress)]
        ):
            events.append(
                {
                    "project_id": pid,
                    "change": change,
                    "status": state,
                    "progress": value,
                    "reason": "",
                    "language": "it",
                    "data": {"fields": ["status", "progress"]} if k else None,
                    "actor_id": roles["moderator"],
                    "created_at": now - timedelta(days=40 - 10 * k),
                }
            )
    _insert(ProjectMilestone, milestones)
    _insert(ProjectEvent, events)
    return {"projects": len(ids), "milestones": len(milestones), "project_events": len(events)}


def expenditures(cities, roles, counts: FeatureSize, rng) -> dict[str, int]:
    """Each city's expenditure plan, on its budget step; the first city's items pay for its
    projects."""
    from app.db_types import utcnow
    from app.expenditures.models import Expenditure
    from app.expenditures.services import find_budget_step
    from app.extensions import db
    from app.projects.models import Project

    now = utcnow()
    rows = []
    for index, city in enumerate(cities):
        step = find_budget_step(city)
        if step is None:
            continue
        project_ids = db.session.scalars(
            sa.select(Project.id).where(Project.city_id == city.id).order_by(Project.id)
        ).all()
        for k in range(counts.expenditures_per_city):
            status = ("planned", "committed", "spent")[k % 3]
            planned = Decimal(10_000 + rng.randrange(200) * 500)
            spent = (
                Decimal(0)
                if status == "planned"
                else (planned * Decimal("0.4")).quantize(Decimal("0.01"))
            )
            rows.append(
                {
                    "city_id": city.id,
                    "city_step_id": step.id,
                    "title": f"Voce di spesa {k + 1}",
                    "description": "Spesa prevista dal piano.",
                    "language": "it",
                    "currency": "EUR",
                    "planned_amount": planned,
                    "spent_amount": spent,
                    "status": status,
                    "project_id": project_ids[k] if index == 0 and k < len(project_ids) else None,
                    "created_by_id": roles["moderator"],
                    "created_at": now - timedelta(days=k),
                    "updated_at": now - timedelta(days=k),
                }
            )
    _insert(Expenditure, rows)
    return {"expenditures": len(rows)}


def meetings(cities, big_id: int, user_ids, roles, counts: FeatureSize, rng) -> dict[str, int]:
    """Meetings in every city (past ones with minutes, coming ones open), the first city's many
    of them about the big consultation, each with registrations (a waiting list when full)."""
    from app.db_types import utcnow
    from app.extensions import db
    from app.meetings.models import Meeting, MeetingRegistration
    from app.pathway.models import CityStep

    now = utcnow()
    first = (db.session.scalar(sa.select(sa.func.max(Meeting.id))) or 0) + 1
    rows, registrations = [], []
    for index, city in enumerate(cities):
        steps = db.session.scalars(
            sa.select(CityStep.id).where(CityStep.city_id == city.id).order_by(CityStep.id)
        ).all()
        many = counts.meetings_big_city if index == 0 else counts.meetings_per_city
        for k in range(many):
            mid = first + len(rows)
            starts = now + timedelta(days=k - many // 2, hours=rng.randrange(8))
            past = starts < now
            capacity = 30 + 10 * (k % 5)
            rows.append(
                {
                    "id": mid,
                    "city_id": city.id,
                    "city_step_id": steps[7 if index == 0 else k % len(steps)],
                    "consultation_id": big_id if index == 0 else None,
                    "title": f"Assemblea di quartiere {k + 1}",
                    "description": "Parliamo delle proposte del quartiere.",
                    "accessibility": "Sala al piano terra, accessibile.",
                    "language": "it",
                    "mode": ("in_person", "online", "hybrid")[k % 3],
                    "starts_at": starts,
                    "ends_at": starts + timedelta(hours=2),
                    "address": "Piazza del Municipio 1",
                    "room": "Sala consiliare",
                    "online_url": "" if k % 3 == 0 else "https://meet.example.org/quartiere",
                    "languages": ["it", "ar"],
                    "interpretation": ["ar"] if k % 2 else [],
                    "capacity": capacity,
                    "registration_open": not past,
                    "minutes": "Si è discusso delle proposte." if past else "",
                    "outcomes": "Tre proposte nuove." if past else "",
                    "minutes_language": "it" if past else None,
                    "minutes_published_at": starts + timedelta(days=1) if past else None,
                    "sequence": 0,
                    "created_by_id": roles["moderator"],
                    "created_at": now - timedelta(days=60),
                    "updated_at": now - timedelta(days=60),
                }
            )
            people = rng.sample(user_ids, min(len(user_ids), counts.registrations_per_meeting))
            for n, uid in enumerate(people):
                waiting = n >= capacity
                registrations.append(
                    {
                        "meeting_id": mid,
                        "user_id": uid,
                        "status": "waiting" if waiting else "registered",
                        "waiting_since": now - timedelta(days=5, minutes=-n) if waiting else None,
                        "needs": "",
                        "attended": (n % 4 != 0) if past and not waiting else None,
                        "created_at": now - timedelta(days=10, minutes=-n),
                        "updated_at": now - timedelta(days=10, minutes=-n),
                    }
                )
    _insert(Meeting, rows)
    _insert(MeetingRegistration, registrations)
    return {"meetings": len(rows), "meeting_registrations": len(registrations)}


def questionnaire(big_id: int, user_ids, roles, counts: FeatureSize, rng) -> dict[str, int]:
    """A questionnaire on the big consultation (answered during its proposals phase) with one
    question of each kind and `questionnaire_answers` answer sets."""
    from app.db_types import utcnow
    from app.extensions import db
    from app.questionnaires.models import (
        Answer,
        AnswerSet,
        Question,
        Questionnaire,
        QuestionOption,
    )

    now = utcnow()
    form = Questionnaire(
        consultation_id=big_id,
        title="Come vivi il tuo quartiere?",
        intro="Cinque domande, due minuti.",
        language="it",
        answered_during="proposals",
        created_by_id=roles["moderator"],
    )
    db.session.add(form)
    db.session.flush()
    kinds = ("single", "multiple", "ranking", "scale", "text")
    options: dict[int, list[int]] = {}
    questions = []
    for position, kind in enumerate(kinds):
        question = Question(
            questionnaire_id=form.id,
            position=position,
            kind=kind,
            text=f"Domanda {position + 1} ({kind})",
            language="it",
            mandatory=position == 0,
            max_choices=2 if kind == "multiple" else None,
        )
        db.session.add(question)
        db.session.flush()
        questions.append(question)
        if kind in ("single", "multiple", "ranking"):
            made = []
            for k in range(4):
                option = QuestionOption(
                    question_id=question.id, position=k, text=f"Scelta {k + 1}", language="it"
                )
                db.session.add(option)
                made.append(option)
            db.session.flush()
            options[question.id] = [o.id for o in made]
    first_set = (db.session.scalar(sa.select(sa.func.max(AnswerSet.id))) or 0) + 1
    sets, answers = [], []
    for n, uid in enumerate(user_ids[: counts.questionnaire_answers]):
        sid = first_set + n
        sets.append(
            {
                "id": sid,
                "questionnaire_id": form.id,
                "user_id": uid,
                "respondent": n + 1,
                "created_at": now - timedelta(minutes=n),
                "updated_at": now - timedelta(minutes=n),
            }
        )

        def row(question, sid=sid, **value):
            base = {"option_id": None, "rank": None, "scale": None, "text": None}
            return {"answer_set_id": sid, "question_id": question.id, "language": None,
                    "created_at": now, **base, **value}  # fmt: skip

        single, multiple, ranking, scale, text = questions
        answers.append(row(single, option_id=rng.choice(options[single.id])))
        for option in rng.sample(options[multiple.id], 1 + n % 2):
            answers.append(row(multiple, option_id=option))
        for rank, option in enumerate(rng.sample(options[ranking.id], 3), start=1):
            answers.append(row(ranking, option_id=option, rank=rank))
        answers.append(row(scale, scale=1 + rng.randrange(5)))
        if n % 5 == 0:
            answers.append(row(text, text=f"Più panchine, grazie ({n}).", language="it"))
    _insert(AnswerSet, sets)
    _insert(Answer, answers)
    form.answers_count = len(sets)
    return {"questionnaire_answer_sets": len(sets), "questionnaire_answers": len(answers)}


def manifesto(cities, user_ids, roles, counts: FeatureSize, rng) -> dict[str, int]:
    """Two published versions of the Manifesto (texts in six locales), signed by two cities in
    three, and endorsed by residents of the first cities."""
    from app.db_types import utcnow
    from app.extensions import db
    from app.manifesto.models import (
        ManifestoEndorsement,
        ManifestoSignature,
        ManifestoText,
        ManifestoVersion,
    )

    now = utcnow()
    versions = []
    for number in (1, 2):
        version = ManifestoVersion(
            number=number,
            published_at=now - timedelta(days=400 - 200 * number),
            author_id=roles["admin"],
            change_note="Prima versione" if number == 1 else "Aggiornata",
            change_note_language="it",
        )
        db.session.add(version)
        db.session.flush()
        for locale in ("en", "it", "fr", "de", "es", "ar"):
            db.session.add(
                ManifestoText(
                    version_id=version.id,
                    locale=locale,
                    title=f"Manifesto ({locale})",
                    body="## Principi\n\nOgni persona impara per tutta la vita.\n" * 8,
                )
            )
        versions.append(version)
    db.session.flush()
    signatures = [
        {
            "city_id": city.id,
            "version_id": versions[index % 2].id,
            "signed_on": (now - timedelta(days=100 + index)).date(),
            "council_resolution": f"Delibera n. {100 + index}",
            "recorded_by_id": roles["admin"],
            "created_at": now,
        }
        for index, city in enumerate(cities)
        if index % 3 != 2
    ]
    _insert(ManifestoSignature, signatures)
    endorsements = []
    chosen = rng.sample(user_ids, counts.endorsements)
    for n, uid in enumerate(chosen):
        endorsements.append(
            {
                "city_id": cities[n % min(3, len(cities))].id,
                "user_id": uid,
                "show_name": n % 3 == 0,
                "created_at": now - timedelta(minutes=n),
            }
        )
    _insert(ManifestoEndorsement, endorsements)
    return {"manifesto_signatures": len(signatures), "manifesto_endorsements": len(endorsements)}


def practices(cities, user_ids, roles, counts: FeatureSize, rng) -> dict[str, int]:
    """Good practices of the network's cities (most approved, a few waiting), in several
    languages, each tied to one or two pathway steps and tags."""
    from app.db_types import utcnow
    from app.extensions import db
    from app.pathway.models import PathwayStep
    from app.practices.models import (
        GoodPractice,
        GoodPracticeLanguage,
        PracticeTag,
        good_practice_steps,
        good_practice_tags,
    )

    now = utcnow()
    step_ids = db.session.scalars(sa.select(PathwayStep.id).order_by(PathwayStep.id)).all()
    tags = [PracticeTag(name=name) for name in ("scuola", "giovani", "anziani", "lingue", "verde")]
    db.session.add_all(tags)
    db.session.flush()
    first = (db.session.scalar(sa.select(sa.func.max(GoodPractice.id))) or 0) + 1
    rows, languages, steps, tagged = [], [], [], []
    for n in range(counts.practices):
        pid = first + n
        status = "submitted" if n % 10 == 0 else "approved"
        rows.append(
            {
                "id": pid,
                "title": f"Buona pratica {n + 1}",
                "summary": "Un corso di lingua per genitori nelle scuole del quartiere.",
                "body": "Come è nato, chi lo fa, che cosa ha cambiato.\n\n" * 4,
                "language": ("it", "fr", "de", "es", "en")[n % 5],
                "network": "Learning Cities",
                "city_id": cities[n % len(cities)].id,
                "place": "",
                "status": status,
                "rejection_reason": "",
                "submitted_by_id": user_ids[n % len(user_ids)],
                "reviewed_by_id": roles["admin"] if status == "approved" else None,
                "created_at": now - timedelta(days=n),
                "reviewed_at": now - timedelta(days=n) if status == "approved" else None,
                "search_text": f"buona pratica {n + 1} corso lingua genitori scuole",
            }
        )
        languages.append({"practice_id": pid, "language": ("it", "fr", "de", "es", "en")[n % 5]})
        steps.append({"practice_id": pid, "step_id": step_ids[n % len(step_ids)]})
        tagged.append({"practice_id": pid, "tag_id": tags[n % len(tags)].id})
    _insert(GoodPractice, rows)
    _insert(GoodPracticeLanguage, languages)
    db.session.execute(sa.insert(good_practice_steps), steps)
    db.session.execute(sa.insert(good_practice_tags), tagged)
    return {"good_practices": len(rows)}
