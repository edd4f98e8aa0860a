"""Per-object permissions (issue 7): the route matrix says *who* may use a route; these cases say
*on what*. Each case names a request, who sends it, the status it must get, and proves that
nothing was written (row counts of every table a participation or a moderator's act writes,
plus the state the request would change).

The cases are tables: to cover a new route, add a row.

- another city's objects: a moderator of "here" acting on "elsewhere"'s consultation, proposal,
  response, paper batch, closing, moderation queue item, blocks, audit log, pathway, plan…
  (also through a URL that mixes this city's address with another city's item);
- another person's objects: proposals and comments only their author changes; an organisation
  member posts only as their own organisation;
- hidden items: not shown to citizens (the reason is, in place); shown to their author and the
  city's moderators; not supported, commented on, replied to or reported;
- a closed phase: posting, changing, commenting, supporting, casting or withdrawing a ballot
  after their phase or after the close are refused with a clear message;
- a blocked person: refused in the city (everywhere when blocked by the association admin).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEntry
from app.cities.models import CityChange
from app.consultations.models import Consultation, ConsultationPhase, ResidentConfirmation
from app.consultations.services import close_if_due, confirm_resident
from app.db_types import utcnow
from app.expenditures.models import Expenditure
from app.extensions import db
from app.manifesto.models import ManifestoEndorsement, ManifestoSignature
from app.moderation.models import Block, Report
from app.notifications.models import Follow, Notification
from app.pathway.models import PathwaySubStep, StepRecordEntry
from app.proposals.models import Comment, Proposal
from app.results.models import MunicipalResponse
from app.voting.models import Ballot, BallotItem, PaperBatch, Support
from tests import factories
from tests.consultations.factories import with_phases
from tests.expenditures.factories import expenditure
from tests.moderation import factories as mf
from tests.pathway import factories as pathway_factories
from tests.proposals import factories as pf
from tests.results import factories as rf
from tests.voting import factories as vf

# Every table a participant's or a moderator's act writes to.
WRITTEN = (
    Proposal,
    Comment,
    Support,
    Ballot,
    BallotItem,
    PaperBatch,
    MunicipalResponse,
    Report,
    Block,
    ResidentConfirmation,
    Consultation,
    ConsultationPhase,
    Expenditure,
    StepRecordEntry,
    PathwaySubStep,
    ManifestoSignature,
    ManifestoEndorsement,
    Follow,
    Notification,
    AuditEntry,
    CityChange,
)


def row_counts() -> dict[str, int]:
    return {
        model.__tablename__: db.session.scalar(sa.select(sa.func.count()).select_from(model))
        for model in WRITTEN
    }


class Scene:
    """What the cases act on, built on first use (so each case builds only what it needs).

    "there" is the world's other city (`world.elsewhere`), whose moderator is
    `moderator_elsewhere`; "here" is the city `moderator_here` moderates.
    """

    def __init__(self, world) -> None:
        self.world = world
        self.here = world.here
        self.there = world.elsewhere
        self.users = world.users

    # People.

    @cached_property
    def author(self):
        """Someone who posts: the proposals and comments below are theirs."""
        return factories.user("author@example.org", name="Yasmine Haddad", languages=("fr",))

    # In the other city.

    @cached_property
    def consultation_there(self):
        return with_phases(
            self.there, phase="proposals", title="Un jardin partagé", author=self.moderator_there
        )

    @property
    def moderator_there(self):
        return self.users["moderator_elsewhere"]

    @cached_property
    def proposal_there(self):
        return pf.proposal(self.consultation_there, self.author)

    @cached_property
    def comment_there(self):
        return pf.comment(self.proposal_there, self.author)

    @cached_property
    def reported_there(self):
        item = pf.proposal(self.consultation_there, self.author, title="Un marché de nuit")
        mf.reports("proposal", item, 1)
        return item

    @cached_property
    def hidden_there(self):
        return mf.hidden_proposal(self.there, self.users["moderator_elsewhere"], author=self.author)

    @cached_property
    def budget_there(self):
        consultation = vf.budget_consultation(self.there)
        return consultation, vf.proposal(consultation, cost=30_000)

    @cached_property
    def batch_there(self):
        from app.voting.services import enter_paper_batch

        consultation, project = self.budget_there
        return enter_paper_batch(
            consultation,
            author=self.users["moderator_elsewhere"],
            session_label="Maison de quartier",
            text=str(project.id),
        )

    @cached_property
    def closed_there(self):
        consultation, projects = rf.budget_consultation(self.there)
        rf.closed(consultation, by=self.users["moderator_elsewhere"])
        return consultation, projects

    @cached_property
    def block_there(self):
        return mf.block(
            self.users["moderator_elsewhere"],
            self.users["citizen"],
            self.there,
            reason="Messages répétés",
        )

    @cached_property
    def network_block(self):
        """Given by the association admin, in every city."""
        return mf.block(self.users["admin"], factories.user(), None)

    @cached_property
    def resident_there(self):
        person = factories.user("resident.there@example.org")
        confirm_resident(self.there, person, by=self.users["moderator_elsewhere"])
        return person

    @cached_property
    def expenditure_there(self):
        return expenditure(self.there)

    @cached_property
    def sub_step_there(self):
        return pathway_factories.sub_step(pathway_factories.city_step(self.there, 6))

    @cached_property
    def entry_there(self):
        return pathway_factories.entry(pathway_factories.city_step(self.there, 3))

    @cached_property
    def practice_there(self):
        """Submitted for review by the author, not approved yet."""
        from tests.practices.factories import practice

        return practice(
            title="Cafés des langues", city=self.there, status="submitted", submitted_by=self.author
        )

    @cached_property
    def operators(self):
        """Two operators, each with an engagement: (operator, the other's engagement)."""
        from app.operators.models import OperatorEngagement
        from tests.operators.factories import operator

        first = operator(worked=((self.here, 2, 2024),))
        second = operator(worked=((self.there, 2, 2023),))
        engagement = db.session.scalar(
            sa.select(OperatorEngagement).where(OperatorEngagement.operator_id == second.id)
        )
        return first, engagement

    # In this city.

    @cached_property
    def budget_here(self):
        consultation = vf.budget_consultation(self.here)
        return consultation, vf.proposal(consultation, cost=30_000)

    @cached_property
    def proposal_here(self):
        """The author's proposal, in a consultation taking proposals."""
        return pf.proposal(with_phases(self.here, phase="proposals"), self.author)

    @cached_property
    def comment_here(self):
        return pf.comment(self.proposal_here, self.author)

    @cached_property
    def other_organisation(self):
        return factories.organisation(city=self.here)


@dataclass
class Act:
    """One request, by one visitor, and what must come of it."""

    method: str
    url: Callable[[Scene], str]
    visitor: str
    status: int
    data: Callable[[Scene], dict] | dict | None = None
    # A value that the request must not change (read before and after).
    state: Callable[[Scene], Any] | None = None
    # Words the answer must contain (a clear message).
    says: tuple[str, ...] = ()
    # The same request by someone who may: proves the case's data is good (the refusal is the
    # permission's, not a form error's).
    control: tuple[str, int] | None = None
    marks: list = field(default_factory=list)


def _send(client, log_in_as, scene: Scene, act: Act, visitor: str):
    url = act.url(scene)
    data = act.data(scene) if callable(act.data) else act.data
    log_in_as(visitor)
    response = client.open(url, method=act.method, data=data)
    response.close()
    return response


def _main(response) -> str:
    """The page's own content, for assertion messages."""
    text = response.get_data(as_text=True)
    return text[text.find("<main") :][:1500]


def _check(client, login_as, scene: Scene, act: Act) -> None:
    act.url(scene)  # build what the request acts on before counting
    if callable(act.data):
        act.data(scene)
    before_state = act.state(scene) if act.state else None
    before = row_counts()
    response = _send(client, login_as, scene, act, act.visitor)
    assert response.status_code == act.status, _main(response)
    assert row_counts() == before
    if act.state:
        db.session.expire_all()
        assert act.state(scene) == before_state
    text = response.get_data(as_text=True)
    for words in act.says:
        assert words in text, words


@pytest.fixture
def scene(world) -> Scene:
    return Scene(world)


def _params(table: dict[str, Act]):
    return [pytest.param(act, id=name, marks=act.marks) for name, act in table.items()]


def _controls(table: dict[str, Act]):
    return [
        pytest.param(act, id=name, marks=act.marks)
        for name, act in table.items()
        if act.control is not None
    ]


# Another city's objects: a moderator of "here" is a citizen in "elsewhere".

RESPONSE = {"status": "accepted", "body": "La città lo farà nel 2026.", "language": "it"}
SIGNATURE = {
    "signed_on": "2024-03-18",
    "council_resolution": "Délibération n° 45/2024",
    "document_url": "https://example.org/deliberation.pdf",
}
ENTRY = {"kind": "note", "title": "Réunion", "body": "Compte rendu", "language": "fr"}
SUB_STEP = {"title": "Atelier", "description": "", "language": "fr", "experts": ""}
PLAN_ITEM = {
    "title": "Médiation culturelle",
    "description": "",
    "language": "fr",
    "currency": "EUR",
    "planned_amount": "9600",
    "spent_amount": "0",
    "status": "planned",
}


def _plan_item(scene: Scene) -> dict:
    return {**PLAN_ITEM, "city_step": str(pathway_factories.city_step(scene.there, 2).id)}


def _signature(scene: Scene) -> dict:
    from tests.manifesto import factories as manifesto_factories

    if "_version" not in vars(scene):
        scene._version = manifesto_factories.version().number
    return {**SIGNATURE, "version": str(scene._version)}


def _item(scene: Scene, slug_of: str, suffix: str = "", item: str = "reported_there") -> str:
    city = scene.here if slug_of == "here" else scene.there
    return f"/moderation/cities/{city.slug}/items/proposal/{getattr(scene, item).id}{suffix}"


M = "moderator_here"
OWNER = ("moderator_elsewhere", 302)

ANOTHER_CITY: dict[str, Act] = {
    "consultation edit page": Act(
        "GET", lambda s: f"/consultations/{s.consultation_there.id}/edit", M, 403
    ),
    "consultation edit": Act(
        "POST",
        lambda s: f"/consultations/{s.consultation_there.id}/edit",
        M,
        403,
        {"title": "Hijacked"},
        state=lambda s: s.consultation_there.title,
    ),
    "consultation close page": Act(
        "GET", lambda s: f"/consultations/{s.consultation_there.id}/close", M, 403
    ),
    "consultation close": Act(
        "POST",
        lambda s: f"/consultations/{s.consultation_there.id}/close",
        M,
        403,
        {"confirm": "yes"},
        state=lambda s: s.consultation_there.closed_at,
        control=OWNER,
    ),
    "consultation create": Act(
        "POST", lambda s: f"/consultations/cities/{s.there.slug}/new", M, 403, {"title": "X"}
    ),
    "consultation create on another city's step": Act(
        "POST",
        lambda s: f"/consultations/cities/{s.here.slug}/new",
        M,
        422,
        lambda s: {
            "city_step": str(pathway_factories.city_step(s.there, 8).id),
            "title": "Una piazza",
            "description": "Come la vogliamo?",
            "language": "it",
            "voting_method": "supports",
        },
    ),
    "residents page": Act(
        "GET", lambda s: f"/consultations/cities/{s.there.slug}/residents", M, 403
    ),
    "resident confirm": Act(
        "POST",
        lambda s: f"/consultations/cities/{s.there.slug}/residents",
        M,
        403,
        lambda s: {"email": s.users["citizen"].email},
        control=OWNER,
    ),
    "resident remove": Act(
        "POST",
        lambda s: f"/consultations/cities/{s.there.slug}/residents/{s.resident_there.id}/remove",
        M,
        403,
        {},
        control=OWNER,
    ),
    "resident of another city removed through this city's address": Act(
        "POST",
        lambda s: f"/consultations/cities/{s.here.slug}/residents/{s.resident_there.id}/remove",
        M,
        302,
        {},
    ),
    "paper ballots page": Act(
        "GET", lambda s: f"/consultations/{s.budget_there[0].id}/paper", M, 403
    ),
    "paper ballots entry": Act(
        "POST",
        lambda s: f"/consultations/{s.budget_there[0].id}/paper",
        M,
        403,
        lambda s: {"session_label": "Biblioteca", "ballots": str(s.budget_there[1].id)},
        control=OWNER,
    ),
    "paper batch": Act(
        "GET",
        lambda s: f"/consultations/{s.budget_there[0].id}/paper/{s.batch_there.id}",
        M,
        403,
    ),
    "paper batch of another consultation": Act(
        "GET",
        lambda s: f"/consultations/{s.budget_here[0].id}/paper/{s.batch_there.id}",
        M,
        404,
    ),
    "pabulib import": Act(
        "GET", lambda s: f"/cities/{s.there.slug}/consultations/import-pabulib", M, 403
    ),
    "municipal response page": Act(
        "GET", lambda s: f"/proposals/{s.closed_there[1][0].id}/response", M, 403
    ),
    "municipal response": Act(
        "POST",
        lambda s: f"/proposals/{s.closed_there[1][0].id}/response",
        M,
        403,
        RESPONSE,
        control=OWNER,
    ),
    "moderation queue": Act("GET", lambda s: f"/moderation/cities/{s.there.slug}", M, 403),
    "report threshold": Act(
        "POST",
        lambda s: f"/moderation/cities/{s.there.slug}/threshold",
        M,
        403,
        {"report_threshold": "9"},
        state=lambda s: s.there.report_threshold,
        control=OWNER,
    ),
    "queue item": Act("GET", lambda s: _item(s, "there"), M, 403),
    "queue item through this city's address": Act("GET", lambda s: _item(s, "here"), M, 404),
    "hide": Act(
        "POST",
        lambda s: _item(s, "there", "/hide"),
        M,
        403,
        {"hide-reason": "Pubblicità", "hide-language": "it"},
        state=lambda s: s.reported_there.hidden_at,
        control=OWNER,
    ),
    "hide through this city's address": Act(
        "POST",
        lambda s: _item(s, "here", "/hide"),
        M,
        404,
        {"hide-reason": "Pubblicità", "hide-language": "it"},
        state=lambda s: s.reported_there.hidden_at,
    ),
    "unhide": Act(
        "POST",
        lambda s: _item(s, "there", "/unhide", "hidden_there"),
        M,
        403,
        {"unhide-reason": "Errore"},
        state=lambda s: s.hidden_there.hidden_at,
        control=OWNER,
    ),
    "unhide through this city's address": Act(
        "POST",
        lambda s: _item(s, "here", "/unhide", "hidden_there"),
        M,
        404,
        {"unhide-reason": "Errore"},
        state=lambda s: s.hidden_there.hidden_at,
    ),
    "dismiss": Act("POST", lambda s: _item(s, "there", "/dismiss"), M, 403, {}, control=OWNER),
    "dismiss through this city's address": Act(
        "POST", lambda s: _item(s, "here", "/dismiss"), M, 404, {}
    ),
    "blocks page": Act("GET", lambda s: f"/moderation/cities/{s.there.slug}/blocks", M, 403),
    "block": Act(
        "POST",
        lambda s: f"/moderation/cities/{s.there.slug}/blocks/new/{s.author.id}",
        M,
        403,
        {"reason": "Spam", "language": "it", "duration": "7"},
        control=OWNER,
    ),
    "lift a block": Act(
        "POST",
        lambda s: f"/moderation/blocks/{s.block_there.id}/lift",
        M,
        403,
        {"reason": "Chiarito"},
        state=lambda s: s.block_there.lifted_at,
        control=OWNER,
    ),
    "lift the association's block": Act(
        "POST",
        lambda s: f"/moderation/blocks/{s.network_block.id}/lift",
        M,
        403,
        {"reason": "Chiarito"},
        state=lambda s: s.network_block.lifted_at,
        control=("admin", 302),
    ),
    "audit log": Act("GET", lambda s: f"/audit/cities/{s.there.slug}", M, 403),
    "audit export": Act("GET", lambda s: f"/audit/cities/{s.there.slug}/export.csv", M, 403),
    "step status": Act(
        "POST",
        lambda s: f"/cities/{s.there.slug}/steps/3/status",
        M,
        403,
        {"status": "completed"},
        control=OWNER,
    ),
    "step record entry": Act(
        "POST",
        lambda s: f"/cities/{s.there.slug}/steps/3/entries",
        M,
        403,
        ENTRY,
        control=OWNER,
    ),
    "correcting another city's entry": Act(
        "POST",
        lambda s: f"/cities/{s.here.slug}/steps/3/entries",
        M,
        422,
        lambda s: {**ENTRY, "corrects_id": str(s.entry_there.id)},
    ),
    "tailored pathway sub-step": Act(
        "POST",
        lambda s: f"/pathway/cities/{s.there.slug}/tailored/new",
        M,
        403,
        lambda s: {**SUB_STEP, "city_step": str(pathway_factories.city_step(s.there, 6).id)},
    ),
    "sub-step edit": Act(
        "POST",
        lambda s: f"/pathway/cities/{s.there.slug}/tailored/{s.sub_step_there.id}",
        M,
        403,
        SUB_STEP,
        state=lambda s: s.sub_step_there.title,
    ),
    # Tailored pathways are the association admin's: the admin, at the wrong address.
    "sub-step of another city through this city's address": Act(
        "POST",
        lambda s: f"/pathway/cities/{s.here.slug}/tailored/{s.sub_step_there.id}",
        "admin",
        404,
        SUB_STEP,
        state=lambda s: s.sub_step_there.title,
    ),
    "sub-step status": Act(
        "POST",
        lambda s: f"/pathway/cities/{s.there.slug}/sub-steps/{s.sub_step_there.id}/status",
        M,
        403,
        {"status": "completed"},
        state=lambda s: s.sub_step_there.status,
        control=OWNER,
    ),
    "sub-step status through this city's address": Act(
        "POST",
        lambda s: f"/pathway/cities/{s.here.slug}/sub-steps/{s.sub_step_there.id}/status",
        M,
        404,
        {"status": "completed"},
        state=lambda s: s.sub_step_there.status,
    ),
    "expenditure plan item": Act(
        "POST",
        lambda s: f"/expenditures/cities/{s.there.slug}/new",
        M,
        403,
        _plan_item,
        control=OWNER,
    ),
    "expenditure edit": Act(
        "POST",
        lambda s: f"/expenditures/{s.expenditure_there.id}/edit",
        M,
        403,
        _plan_item,
        state=lambda s: s.expenditure_there.title,
        control=OWNER,
    ),
    "expenditure status": Act(
        "POST",
        lambda s: f"/expenditures/{s.expenditure_there.id}/status",
        M,
        403,
        {"status": "committed"},
        state=lambda s: s.expenditure_there.status,
        control=OWNER,
    ),
    "expenditure on another city's step": Act(
        "POST",
        lambda s: f"/expenditures/cities/{s.here.slug}/new",
        M,
        422,
        _plan_item,
    ),
    "Manifesto signature": Act(
        "POST", lambda s: f"/manifesto/cities/{s.there.slug}/sign", M, 403, _signature
    ),
    "queue comment through this city's address": Act(
        "GET",
        lambda s: f"/moderation/cities/{s.here.slug}/items/comment/{s.comment_there.id}",
        M,
        404,
    ),
    "ballot with another city's project": Act(
        "POST",
        lambda s: f"/consultations/{s.budget_here[0].id}/ballot/cast",
        "citizen",
        422,
        lambda s: {"choice": str(s.budget_there[1].id)},
    ),
    "ballot draft with another city's project": Act(
        "POST",
        lambda s: f"/consultations/{s.budget_here[0].id}/ballot",
        "citizen",
        422,
        lambda s: {"proposals": str(s.budget_there[1].id)},
    ),
    "good practice submitted in another city": Act(
        "GET",
        lambda s: f"/good-practices/{s.practice_there.id}",
        M,
        404,
        control=("moderator_elsewhere", 200),
    ),
    # Operators are the association admin's: the admin, at a mismatched address.
    "another operator's engagement": Act(
        "POST",
        lambda s: f"/operators/{s.operators[0].id}/engagements/{s.operators[1].id}/edit",
        "admin",
        404,
        {"city": "", "year": "2020", "description": "Altro", "language": "it"},
        state=lambda s: (s.operators[1].year, s.operators[1].description),
    ),
    "another operator's engagement deleted": Act(
        "POST",
        lambda s: f"/operators/{s.operators[0].id}/engagements/{s.operators[1].id}/delete",
        "admin",
        404,
        {},
    ),
}


@pytest.mark.parametrize("act", _params(ANOTHER_CITY))
def test_another_citys_objects(client, login_as, scene, act):
    _check(client, login_as, scene, act)


@pytest.mark.parametrize("act", _controls(ANOTHER_CITY))
def test_another_citys_objects_control(client, login_as, scene, act):
    """The same request by the city's own moderator (or the admin) does go through."""
    visitor, status = act.control
    response = _send(client, login_as, scene, act, visitor)
    assert response.status_code == status


# Another person's objects.

PROPOSAL_EDIT = {"title": "Cambiato da altri", "body": "Testo cambiato", "language": "it"}
COMMENT = {"body": "Commento", "alignment": "for", "language": "it"}

ANOTHER_PERSON: dict[str, Act] = {
    **{
        f"proposal edit page by {visitor}": Act(
            "GET", lambda s: f"/proposals/{s.proposal_here.id}/edit", visitor, 403
        )
        for visitor in ("citizen", "organisation", "moderator_here", "admin")
    },
    **{
        f"proposal edit by {visitor}": Act(
            "POST",
            lambda s: f"/proposals/{s.proposal_here.id}/edit",
            visitor,
            403,
            PROPOSAL_EDIT,
            state=lambda s: (s.proposal_here.title, s.proposal_here.body),
        )
        for visitor in ("citizen", "moderator_here", "admin")
    },
    **{
        f"proposal withdraw by {visitor}": Act(
            "POST",
            lambda s: f"/proposals/{s.proposal_here.id}/withdraw",
            visitor,
            403,
            {},
            state=lambda s: s.proposal_here.status,
        )
        for visitor in ("citizen", "moderator_here", "admin")
    },
    **{
        f"comment edit by {visitor}": Act(
            "POST",
            lambda s: f"/comments/{s.comment_here.id}/edit",
            visitor,
            403,
            {"body": "Cambiato da altri", "language": "it"},
            state=lambda s: s.comment_here.body,
        )
        for visitor in ("citizen", "moderator_here", "admin")
    },
    "proposal as an organisation one is not a member of": Act(
        "POST",
        lambda s: f"/consultations/{s.proposal_here.consultation_id}/proposals/new",
        "organisation",
        422,
        lambda s: {**PROPOSAL_EDIT, "organisation": str(s.other_organisation.id)},
    ),
    "proposal as an organisation by a citizen": Act(
        "POST",
        lambda s: f"/consultations/{s.proposal_here.consultation_id}/proposals/new",
        "citizen",
        422,
        lambda s: {**PROPOSAL_EDIT, "organisation": str(s.world.organisation.id)},
    ),
    "comment as an organisation one is not a member of": Act(
        "POST",
        lambda s: f"/proposals/{s.proposal_here.id}/comments",
        "organisation",
        422,
        lambda s: {**COMMENT, "organisation": str(s.other_organisation.id)},
    ),
    "reply to a comment of another proposal": Act(
        "POST",
        lambda s: f"/proposals/{_second_proposal(s).id}/comments",
        "citizen",
        422,
        lambda s: {
            "reply-body": "Risposta",
            "reply-alignment": "for",
            "reply-language": "it",
            "reply-parent_id": str(s.comment_here.id),
        },
    ),
    "report of one's own proposal": Act(
        "POST",
        lambda s: f"/moderation/report/proposal/{_own_proposal(s).id}",
        "citizen",
        403,
        {"category": "spam", "language": "it"},
        says=("You cannot report yourself or what you wrote.",),
    ),
    "withdrawing another person's support": Act(
        "POST",
        lambda s: f"/proposals/{_supported(s).id}/support/withdraw",
        "citizen",
        302,
        {},
        state=lambda s: _supported(s).supports_count,
    ),
    "withdrawing another person's ballot": Act(
        "POST",
        lambda s: f"/consultations/{_cast_by_author(s).id}/ballot/withdraw",
        "citizen",
        302,
        {},
        state=lambda s: [b.status for b in _ballots(_cast_by_author(s))],
    ),
}


def _second_proposal(scene: Scene) -> Proposal:
    if "_second" not in vars(scene):
        scene._second = pf.proposal(scene.proposal_here.consultation, scene.author)
    return scene._second


def _own_proposal(scene: Scene) -> Proposal:
    if "_own" not in vars(scene):
        scene._own = pf.proposal(scene.proposal_here.consultation, scene.users["citizen"])
    return scene._own


def _supported(scene: Scene):
    """A proposal of a consultation taking supports, supported by the author."""
    if "_supported" not in vars(scene):
        consultation = vf.supports_consultation(scene.here)
        item = vf.proposal(consultation)
        rf.support(consultation, item, user=scene.author)
        scene._supported = item
    return scene._supported


def _cast_by_author(scene: Scene):
    if "_cast" not in vars(scene):
        consultation, project = scene.budget_here
        rf.cast(consultation, [project], user=scene.author)
        scene._cast = consultation
    return scene._cast


def _ballots(consultation) -> list[Ballot]:
    return list(
        db.session.scalars(sa.select(Ballot).where(Ballot.consultation_id == consultation.id))
    )


@pytest.mark.parametrize("act", _params(ANOTHER_PERSON))
def test_another_persons_objects(client, login_as, scene, act):
    _check(client, login_as, scene, act)


def test_the_author_may_change_their_own(client, login_as, scene):
    """The control of the table above: the same forms do work for the author."""
    from tests.conftest import log_in

    log_in(client, scene.author)
    response = client.post(f"/proposals/{scene.proposal_here.id}/edit", data=PROPOSAL_EDIT)
    assert response.status_code == 302
    response = client.post(
        f"/comments/{scene.comment_here.id}/edit", data={"body": "Cambiato", "language": "it"}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert scene.proposal_here.title == PROPOSAL_EDIT["title"]
    assert scene.comment_here.body == "Cambiato"


def test_a_member_posts_as_their_organisation(client, login_as, scene):
    """The control of the organisation cases above."""
    login_as("organisation")
    consultation_id = scene.proposal_here.consultation_id
    response = client.post(
        f"/consultations/{consultation_id}/proposals/new",
        data={**PROPOSAL_EDIT, "organisation": str(scene.world.organisation.id)},
    )
    assert response.status_code == 302
    posted = db.session.scalar(sa.select(Proposal).where(Proposal.title == PROPOSAL_EDIT["title"]))
    assert posted.organisation_id == scene.world.organisation.id


# Hidden items.


@dataclass
class Hidden:
    proposal: Proposal
    comment: Comment
    visible: Proposal


@pytest.fixture
def hidden(scene) -> Hidden:
    """A hidden proposal (by the author) and a hidden comment on a visible proposal, in a
    consultation of "here" taking proposals and comments."""
    consultation = with_phases(scene.here, phase="proposals")
    item = pf.proposal(consultation, scene.author, body="Testo segreto della proposta")
    visible = pf.proposal(consultation, factories.user(), title="Una proposta visibile")
    note = pf.comment(visible, scene.author, body="Testo segreto del commento")
    moderator = scene.users["moderator_here"]
    from app.moderation import services

    services.hide(moderator, mf.target("proposal", item), reason="Pubblicità", language="it")
    services.hide(moderator, mf.target("comment", note), reason="Insulti", language="it")
    db.session.flush()
    return Hidden(item, note, visible)


READERS = ("author", "moderator_here", "admin")
NOT_READERS = ("anonymous", "citizen", "organisation", "moderator_elsewhere", "observer")


def _as(client, login_as, scene, who: str):
    from tests.conftest import log_in

    if who == "author":
        return log_in(client, scene.author)
    return login_as(who)


@pytest.mark.parametrize("who", READERS + NOT_READERS)
def test_a_hidden_proposal_shows_its_reason_in_place(client, login_as, scene, hidden, who):
    _as(client, login_as, scene, who)
    page = client.get(f"/proposals/{hidden.proposal.id}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Hidden by moderation:" in text
    assert "Pubblicità" in text
    assert ("Testo segreto della proposta" in text) == (who in READERS)
    assert ("Una biblioteca di quartiere" in text) == (who in READERS)


@pytest.mark.parametrize("page", ["proposals", ""])
@pytest.mark.parametrize("who", READERS + NOT_READERS)
def test_a_hidden_proposal_in_the_list(client, login_as, scene, hidden, who, page):
    """The proposal list and the consultation page's most supported proposals."""
    _as(client, login_as, scene, who)
    url = f"/consultations/{hidden.proposal.consultation_id}/{page}".rstrip("/")
    text = client.get(url).get_data(as_text=True)
    assert "Una proposta visibile" in text
    # Readers see the title marked "Hidden"; the others the reason in its place.
    assert ("Una biblioteca di quartiere" in text) == (who in READERS)
    assert ("Pubblicità" in text) == (who not in READERS)


@pytest.mark.parametrize("who", READERS + NOT_READERS)
def test_a_hidden_comment_shows_its_reason_in_place(client, login_as, scene, hidden, who):
    _as(client, login_as, scene, who)
    text = client.get(f"/proposals/{hidden.visible.id}").get_data(as_text=True)
    assert "Insulti" in text
    assert ("Testo segreto del commento" in text) == (who in READERS)


def _hidden_supportable(scene: Scene) -> Proposal:
    """A hidden proposal in a consultation taking supports."""
    if "_hidden_supportable" not in vars(scene):
        consultation = vf.supports_consultation(scene.here)
        item = vf.proposal(consultation, author=scene.author)
        from app.moderation import services

        services.hide(
            scene.users["moderator_here"],
            mf.target("proposal", item),
            reason="Pubblicità",
            language="it",
        )
        scene._hidden_supportable = item
    return scene._hidden_supportable


def _hidden_project(scene: Scene) -> tuple[Consultation, Proposal]:
    consultation, project = scene.budget_here
    from app.moderation import services

    if project.hidden_at is None:
        services.hide(
            scene.users["moderator_here"],
            mf.target("proposal", project),
            reason="Pubblicità",
            language="it",
        )
    return consultation, project


HIDDEN_ITEMS: dict[str, Act] = {
    "support": Act(
        "POST",
        lambda s: f"/proposals/{_hidden_supportable(s).id}/support",
        "citizen",
        422,
        {},
        says=("hidden by moderation",),
    ),
    "choose on a ballot": Act(
        "POST",
        lambda s: f"/consultations/{_hidden_project(s)[0].id}/ballot/cast",
        "citizen",
        422,
        lambda s: {"choice": str(_hidden_project(s)[1].id)},
        says=("hidden by moderation",),
    ),
    "comment": Act(
        "POST",
        lambda s: f"/proposals/{s._hidden.proposal.id}/comments",
        "citizen",
        403,
        COMMENT,
    ),
    "reply to a hidden comment": Act(
        "POST",
        lambda s: f"/proposals/{s._hidden.visible.id}/comments",
        "citizen",
        422,
        lambda s: {
            "reply-body": "Risposta",
            "reply-alignment": "for",
            "reply-language": "it",
            "reply-parent_id": str(s._hidden.comment.id),
        },
    ),
    "report": Act(
        "POST",
        lambda s: f"/moderation/report/proposal/{s._hidden.proposal.id}",
        "citizen",
        403,
        {"category": "spam", "language": "it"},
        says=("hidden by moderation",),
    ),
}


@pytest.mark.parametrize("act", _params(HIDDEN_ITEMS))
def test_hidden_items_are_not_acted_on(client, login_as, scene, hidden, act):
    scene._hidden = hidden
    _check(client, login_as, scene, act)


# A closed phase: refused with a clear message, nothing written.


def _past(scene: Scene, phase: str, method: str = "supports"):
    """A consultation of "here" now in `phase`, with the citizen's proposal, support or ballot."""
    key = f"_past_{phase}_{method}"
    if key not in vars(scene):
        citizen = scene.users["citizen"]
        consultation = with_phases(
            scene.here, phase=phase, voting_method=method, support_limit=None
        )
        item = rf.proposal(consultation, "Orti urbani", cost=40)
        item.author_id = citizen.id
        own_comment = pf.comment(item, citizen) if phase == "proposals" else None
        if method == "supports":
            rf.support(consultation, item, user=citizen)
        else:
            rf.cast(consultation, [item], user=citizen)
        setattr(scene, key, (consultation, item, own_comment))
    return getattr(scene, key)


def _closed_early(scene: Scene, method: str):
    """Closed by a moderator during voting (the voting phase's dates have not ended)."""
    key = f"_closed_{method}"
    if key not in vars(scene):
        consultation, item, _comment = _past(scene, "voting", method)
        rf.closed(consultation, by=scene.users["moderator_here"])
        setattr(scene, key, (consultation, item))
    return getattr(scene, key)


def _due(scene: Scene, method: str):
    """The voting phase is over by the dates. Such a consultation closes itself on its first
    access (publishing its results: writes of its own); that happens here, before the request
    whose writes are counted."""
    consultation, item, _comment = _past(scene, "results", method)
    close_if_due(consultation, utcnow())
    return consultation, item


C = "citizen"
OVER = ("That time is over.",)

CLOSED_PHASE: dict[str, Act] = {
    "post a proposal in deliberation": Act(
        "POST",
        lambda s: f"/consultations/{_past(s, 'deliberation')[0].id}/proposals/new",
        C,
        403,
        PROPOSAL_EDIT,
        says=OVER,
    ),
    "edit a proposal in voting": Act(
        "POST",
        lambda s: f"/proposals/{_past(s, 'voting')[1].id}/edit",
        C,
        403,
        PROPOSAL_EDIT,
        state=lambda s: _past(s, "voting")[1].title,
        says=OVER,
    ),
    "withdraw a proposal in deliberation": Act(
        "POST",
        lambda s: f"/proposals/{_past(s, 'deliberation')[1].id}/withdraw",
        C,
        403,
        {},
        state=lambda s: _past(s, "deliberation")[1].status,
        says=OVER,
    ),
    "comment in voting": Act(
        "POST",
        lambda s: f"/proposals/{_past(s, 'voting')[1].id}/comments",
        C,
        403,
        COMMENT,
        says=OVER,
    ),
    "comment after the close": Act(
        "POST",
        lambda s: f"/proposals/{_closed_early(s, 'supports')[1].id}/comments",
        C,
        403,
        COMMENT,
        says=OVER,
    ),
    "support before deliberation": Act(
        "POST",
        lambda s: f"/proposals/{_past(s, 'proposals')[1].id}/support",
        "organisation",
        403,
        {},
        says=("Supports are not open in this phase",),
    ),
    "support after the phase": Act(
        "POST",
        lambda s: f"/proposals/{_due(s, 'supports')[1].id}/support",
        "organisation",
        403,
        {},
        says=("Supports are not open in this phase",),
    ),
    "support after the close": Act(
        "POST",
        lambda s: f"/proposals/{_closed_early(s, 'supports')[1].id}/support",
        "organisation",
        403,
        {},
        says=("Supports are not open in this phase",),
    ),
    "withdraw a support after the close": Act(
        "POST",
        lambda s: f"/proposals/{_closed_early(s, 'supports')[1].id}/support/withdraw",
        C,
        403,
        {},
        state=lambda s: _closed_early(s, "supports")[1].supports_count,
        says=("Supports are not open in this phase",),
    ),
    "cast a ballot after the phase": Act(
        "POST",
        lambda s: f"/consultations/{_due(s, 'budget')[0].id}/ballot/cast",
        "organisation",
        403,
        lambda s: {"choice": str(_due(s, "budget")[1].id)},
        says=("Voting is not open in this phase",),
    ),
    "cast a ballot after the close": Act(
        "POST",
        lambda s: f"/consultations/{_closed_early(s, 'budget')[0].id}/ballot/cast",
        "organisation",
        403,
        lambda s: {"choice": str(_closed_early(s, "budget")[1].id)},
        says=("Voting is not open in this phase",),
    ),
    "save a ballot draft after the close": Act(
        "POST",
        lambda s: f"/consultations/{_closed_early(s, 'budget')[0].id}/ballot",
        "organisation",
        403,
        lambda s: {"proposals": str(_closed_early(s, "budget")[1].id)},
        says=("Voting is not open in this phase",),
    ),
    "withdraw a ballot after the phase": Act(
        "POST",
        lambda s: f"/consultations/{_due(s, 'budget')[0].id}/ballot/withdraw",
        C,
        403,
        {},
        state=lambda s: [b.status for b in _ballots(_due(s, "budget")[0])],
        says=("Voting is not open in this phase",),
    ),
    "withdraw a ballot after the close": Act(
        "POST",
        lambda s: f"/consultations/{_closed_early(s, 'budget')[0].id}/ballot/withdraw",
        C,
        403,
        {},
        state=lambda s: [b.status for b in _ballots(_closed_early(s, "budget")[0])],
        says=("Voting is not open in this phase",),
    ),
}


@pytest.mark.parametrize("act", _params(CLOSED_PHASE))
def test_closed_phase(client, login_as, scene, act):
    _check(client, login_as, scene, act)


# A blocked person.


def _blocked_citizen(scene: Scene, everywhere: bool = False):
    key = "_block_everywhere" if everywhere else "_block"
    if key not in vars(scene):
        by = scene.users["admin"] if everywhere else scene.users["moderator_here"]
        mf.block(by, scene.users["citizen"], None if everywhere else scene.here)
        setattr(scene, key, True)


def _in(city_of: str, phase: str, method: str = "supports", everywhere: bool = False):
    """A consultation in `phase` (in "here" or "there") with the citizen's own proposal, the
    citizen blocked (in "here" or everywhere)."""

    def build(scene: Scene):
        key = f"_in_{city_of}_{phase}_{method}"
        if key not in vars(scene):
            city = scene.here if city_of == "here" else scene.there
            consultation = with_phases(city, phase=phase, voting_method=method)
            item = rf.proposal(consultation, "Orti urbani", cost=40)
            item.author_id = scene.users["citizen"].id
            db.session.flush()
            setattr(scene, key, (consultation, item))
        _blocked_citizen(scene, everywhere)
        return getattr(scene, key)

    return build


BLOCK_SAYS = ("You are blocked from taking part in the consultations of",)

BLOCKED: dict[str, Act] = {
    "post a proposal": Act(
        "POST",
        lambda s: f"/consultations/{_in('here', 'proposals')(s)[0].id}/proposals/new",
        C,
        403,
        PROPOSAL_EDIT,
        says=BLOCK_SAYS,
    ),
    "edit one's proposal": Act(
        "POST",
        lambda s: f"/proposals/{_in('here', 'proposals')(s)[1].id}/edit",
        C,
        403,
        PROPOSAL_EDIT,
        state=lambda s: _in("here", "proposals")(s)[1].title,
        says=BLOCK_SAYS,
    ),
    "comment": Act(
        "POST",
        lambda s: f"/proposals/{_in('here', 'proposals')(s)[1].id}/comments",
        C,
        403,
        COMMENT,
        says=BLOCK_SAYS,
    ),
    "support": Act(
        "POST",
        lambda s: f"/proposals/{_in('here', 'voting')(s)[1].id}/support",
        C,
        403,
        {},
        says=BLOCK_SAYS,
    ),
    "cast a ballot": Act(
        "POST",
        lambda s: f"/consultations/{_in('here', 'voting', 'budget')(s)[0].id}/ballot/cast",
        C,
        403,
        lambda s: {"choice": str(_in("here", "voting", "budget")(s)[1].id)},
        says=BLOCK_SAYS,
    ),
    "support in another city when blocked everywhere": Act(
        "POST",
        lambda s: f"/proposals/{_in('there', 'voting', everywhere=True)(s)[1].id}/support",
        C,
        403,
        {},
        says=BLOCK_SAYS,
    ),
}


@pytest.mark.parametrize("act", _params(BLOCKED))
def test_a_blocked_person_is_refused(client, login_as, scene, act):
    _check(client, login_as, scene, act)


def test_a_block_in_one_city_is_not_a_block_in_another(client, login_as, scene):
    consultation, item = _in("there", "voting")(scene)
    login_as("citizen")
    response = client.post(f"/proposals/{item.id}/support", data={})
    assert response.status_code == 302
    assert (
        db.session.scalar(
            sa.select(sa.func.count()).select_from(Support).where(Support.proposal_id == item.id)
        )
        == 1
    )


# Pages that show objects: what one sees of what is not one's own.


@dataclass
class Page:
    url: Callable[[Scene], str]
    visitor: str
    shows: tuple[str, ...] = ()
    hides: tuple[str, ...] = ()
    status: int = 200


PAGES: dict[str, Page] = {
    "this city's moderation queue": Page(
        lambda s: (s.reported_there, f"/moderation/cities/{s.here.slug}")[1],
        M,
        hides=("Un marché de nuit",),
    ),
    "the other city's moderation queue (control)": Page(
        lambda s: (s.reported_there, f"/moderation/cities/{s.there.slug}")[1],
        "moderator_elsewhere",
        shows=("Un marché de nuit",),
    ),
    "this city's audit log": Page(
        lambda s: (s.consultation_there, f"/audit/cities/{s.here.slug}")[1],
        M,
        hides=("Un jardin partagé",),
    ),
    "this city's audit export": Page(
        lambda s: (s.consultation_there, f"/audit/cities/{s.here.slug}/export.csv")[1],
        M,
        hides=("Un jardin partagé",),
    ),
    "the other city's audit log (control)": Page(
        lambda s: (s.consultation_there, f"/audit/cities/{s.there.slug}")[1],
        "moderator_elsewhere",
        shows=("Un jardin partagé",),
    ),
    "one's blocks": Page(
        lambda s: (s.block_there, s.network_block, "/moderation/blocks/mine")[2],
        "citizen",
        shows=("Messages répétés",),
    ),
    "another's blocks are not one's own": Page(
        lambda s: (s.block_there, "/moderation/blocks/mine")[1],
        "organisation",
        hides=("Messages répétés",),
    ),
    "one's receipt, not another's": Page(
        lambda s: f"/consultations/{_cast_by_author(s).id}/ballot/receipt",
        "citizen",
        hides=("receipt-code",),
        shows=("You have not cast a ballot",),
    ),
    "one's data, not another's": Page(
        lambda s: (s.proposal_here, s.comment_here, "/privacy/my-data.json")[2],
        "citizen",
        hides=("Una biblioteca di quartiere", "author@example.org"),
        shows=("citizen@example.org",),
    ),
    "a good practice under review, signed out": Page(
        lambda s: f"/good-practices/{s.practice_there.id}",
        "anonymous",
        status=404,
    ),
}


@pytest.mark.parametrize("page", [pytest.param(p, id=name) for name, p in PAGES.items()])
def test_pages_show_only_what_one_may_see(client, login_as, scene, page):
    url = page.url(scene)
    if page.visitor == "author":
        from tests.conftest import log_in

        log_in(client, scene.author)
    else:
        login_as(page.visitor)
    response = client.get(url)
    assert response.status_code == page.status
    text = response.get_data(as_text=True)
    for words in page.shows:
        assert words in text, words
    for words in page.hides:
        assert words not in text, words


# The city step page: a constant number of statements (≤ 15 for a visitor, as in bench/pages).


def _fill_step(city, rows: int) -> None:
    """Step 8 of `city` with `rows` of everything its page shows: consultations (open and
    closed, with proposals and municipal responses), record entries, sub-steps, plan items,
    good practices and operators."""
    from app.results.services import respond
    from tests.operators.factories import operator
    from tests.practices.factories import practice

    step = pathway_factories.city_step(city, 8)
    moderator = factories.user(moderates=[city])
    for n in range(rows):
        with_phases(city, phase="proposals", title=f"Consultazione {n}")
        consultation, projects = rf.budget_consultation(city)
        rf.closed(consultation, by=moderator)
        respond(
            projects[0], status="accepted", body="Sì", language="it", author=moderator, now=utcnow()
        )
        pathway_factories.entry(step, title=f"Nota {n}")
        pathway_factories.sub_step(step, title=f"Atelier {n}")
        expenditure(city, step=8, title=f"Spesa {n}")
        practice(title=f"Pratica {n}", steps=(8,))
        operator(worked=((city, 8, 2024),), languages=("it",))
    db.session.flush()


def _step_page_statements(client, count_queries, url: str) -> int:
    client.get(url)  # templates and translations warmed up, as in a running server
    with count_queries() as statements:
        response = client.get(url)
    assert response.status_code == 200
    return len(statements)


@pytest.mark.parametrize("visitor", ["anonymous", "citizen", "moderator_here", "admin"])
def test_city_step_page_runs_constant_statements(client, world, login_as, count_queries, visitor):
    few, many = world.here, world.elsewhere
    _fill_step(few, 1)
    _fill_step(many, 12)
    login_as(visitor)
    counts = [
        _step_page_statements(client, count_queries, f"/cities/{city.slug}/steps/8")
        for city in (few, many)
    ]
    assert counts[0] == counts[1], counts
    if visitor == "anonymous":
        assert counts[0] <= 16, counts  # 16: the meetings panel (one query)
