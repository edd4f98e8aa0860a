"""Proposals and their comments, with the city's assessment, response and project where they
exist. Hidden ones (moderation) appear only to those whose page shows their text: their
authors and the city's managers."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from flask import abort, url_for
from flask_babel import get_locale
from flask_login import current_user
from pydantic import ConfigDict, Field
from sqlalchemy import orm

from app.api.consultations import consultation_or_404
from app.api.framework import Reply, endpoint, keyset_page, newest
from app.api.schema import Schema
from app.api.texts import TextInfo, Texts
from app.auth.permissions import can_manage_city
from app.consultations.models import Consultation
from app.extensions import db
from app.moderation.routes import sees_hidden
from app.projects.models import Project
from app.proposals.models import Comment, Proposal
from app.proposals.services import comment_people, proposal_people
from app.results.models import MunicipalResponse
from app.review.models import ProposalAssessment


class Author(Schema):
    name: str | None = Field(description="The author's public name (none: a former participant).")
    organisation: str | None = Field(description="The organisation it was posted as, if any.")


class Comments(Schema):
    """How many comments of each alignment."""

    model_config = ConfigDict(serialize_by_alias=True, populate_by_name=True)

    for_: int = Field(alias="for")
    against: int
    neutral: int


class Assessment(Schema):
    """The city's assessment of the proposal (once assessed)."""

    feasible: bool
    explanation: str
    texts: TextInfo
    city_cost: Decimal | None
    eligible: bool | None
    budget_area: str | None
    assessed_at: datetime


class Response(Schema):
    """The municipality's public response (step 9, report back)."""

    status: str = Field(description="accepted, rejected, evaluating or implemented.")
    body: str
    texts: TextInfo
    updated_at: datetime


class ProjectStatus(Schema):
    """The funded project that follows the proposal to completion."""

    status: str = Field(description="planned, in_progress, done or cancelled.")
    progress: int = Field(description="Percent done.")
    page: str


class ProposalOut(Schema):
    id: int
    consultation: int
    title: str
    body: str = Field(description="Markdown, as written (or translated).")
    texts: TextInfo
    category: str | None
    cost: Decimal | None = Field(description="What the ballot counts (budget consultations).")
    status: str = Field(description="published, withdrawn or merged.")
    merged_into: int | None
    hidden: bool = Field(
        description="Hidden by moderation (only its author and the city's managers see it)."
    )
    supports: int
    comments: Comments
    author: Author
    assessment: Assessment | None
    response: Response | None
    project: ProjectStatus | None
    created_at: datetime
    edited_at: datetime | None
    url: str
    comments_url: str
    page: str


class ProposalList(Schema):
    items: list[ProposalOut]
    next: str | None = Field(description="The next page (absent on the last page).")


class CommentOut(Schema):
    id: int
    proposal: int
    parent: int | None = Field(description="The comment this one answers.")
    depth: int
    alignment: str = Field(description="for, against or neutral.")
    body: str
    texts: TextInfo
    hidden: bool = Field(
        description="Hidden by moderation (only its author and the city's managers see it)."
    )
    author: Author
    created_at: datetime
    edited_at: datetime | None


class CommentList(Schema):
    items: list[CommentOut]
    next: str | None = Field(description="The next page (absent on the last page).")


def _author(item: Proposal | Comment) -> Author:
    return Author(
        name=item.author.public_name if item.author is not None else None,
        organisation=item.organisation.name if item.organisation is not None else None,
    )


def _hidden_filter(model, consultation: Consultation, user) -> list:
    """Hidden items are listed only for their authors and the city's managers."""
    if can_manage_city(user, consultation.city):
        return []
    if getattr(user, "is_authenticated", False):
        return [sa.or_(model.hidden_at.is_(None), model.author_id == user.id)]
    return [model.hidden_at.is_(None)]


def _extras(proposals: list[Proposal]):
    """Assessments, responses and projects of the page's proposals: three statements."""
    ids = [p.id for p in proposals]
    if not ids:
        return {}, {}, {}
    assessments = {
        a.proposal_id: a
        for a in db.session.scalars(
            sa.select(ProposalAssessment).where(
                ProposalAssessment.proposal_id.in_(ids), ProposalAssessment.assessed_at.is_not(None)
            )
        )
        if a.assessed
    }
    responses = {
        r.proposal_id: r
        for r in db.session.scalars(
            sa.select(MunicipalResponse)
            .where(MunicipalResponse.proposal_id.in_(ids))
            .options(orm.lazyload(MunicipalResponse.author))
        )
    }
    projects = {
        p.proposal_id: p
        for p in db.session.scalars(
            sa.select(Project).where(Project.proposal_id.in_(ids)).order_by(Project.id)
        )
    }
    return assessments, responses, projects


def proposals_out(proposals: list[Proposal]) -> list[ProposalOut]:
    assessments, responses, projects = _extras(proposals)
    texts = Texts([*proposals, *assessments.values(), *responses.values()], str(get_locale()))
    items = []
    for proposal in proposals:
        assessment = assessments.get(proposal.id)
        response = responses.get(proposal.id)
        project = projects.get(proposal.id)
        items.append(
            ProposalOut(
                id=proposal.id,
                consultation=proposal.consultation_id,
                title=texts.field(proposal, "title"),
                body=texts.field(proposal, "body"),
                texts=texts.info(proposal),
                category=proposal.category,
                cost=proposal.cost,
                status=proposal.status,
                merged_into=proposal.merged_into_id,
                hidden=proposal.hidden_at is not None,
                supports=proposal.supports_count,
                comments=Comments(
                    **{
                        "for": proposal.comments_for,
                        "against": proposal.comments_against,
                        "neutral": proposal.comments_neutral,
                    }
                ),
                author=_author(proposal),
                assessment=Assessment(
                    feasible=bool(assessment.feasible),
                    explanation=texts.field(assessment, "explanation"),
                    texts=texts.info(assessment),
                    city_cost=assessment.city_cost,
                    eligible=assessment.eligible,
                    budget_area=assessment.budget_area,
                    assessed_at=assessment.assessed_at,
                )
                if assessment is not None and assessment.assessed_at is not None
                else None,
                response=Response(
                    status=response.status,
                    body=texts.field(response, "body"),
                    texts=texts.info(response),
                    updated_at=response.updated_at,
                )
                if response is not None
                else None,
                project=ProjectStatus(
                    status=project.status,
                    progress=project.progress,
                    page=url_for("projects.show", project_id=project.id, _external=True),
                )
                if project is not None
                else None,
                created_at=proposal.created_at,
                edited_at=proposal.edited_at,
                url=url_for("api.proposal", proposal_id=proposal.id, _external=True),
                comments_url=url_for("api.comments", proposal_id=proposal.id, _external=True),
                page=url_for("proposals.show", proposal_id=proposal.id, _external=True),
            )
        )
    return items


def _changed(items: Iterable[Proposal | Comment]) -> datetime | None:
    return newest(*(getattr(i, "updated_at", None) or i.edited_at or i.created_at for i in items))


@endpoint(
    "/v1/consultations/<id:consultation_id>/proposals",
    response=ProposalList,
    summary="A consultation's proposals",
    description="Oldest first; texts in the asked language; hidden ones left out.",
    tag="proposals",
    paginated=True,
)
def proposals(consultation_id: int) -> Reply:
    consultation = consultation_or_404(consultation_id)
    page = keyset_page(
        sa.select(Proposal)
        .where(
            Proposal.consultation_id == consultation.id,
            *_hidden_filter(Proposal, consultation, current_user),
        )
        .options(*proposal_people()),
        Proposal.id,
        # The index on (consultation, created_at, id): a page costs the same in a consultation
        # of 100,000 proposals.
        by=Proposal.created_at,
    )
    return Reply(
        ProposalList(items=proposals_out(page.rows), next=page.next_url),
        last_modified=_changed(page.rows),
    )


def proposal_or_404(proposal_id: int) -> Proposal:
    """A proposal whose text this visitor may read (a hidden one: its author, the managers)."""
    proposal = db.session.get(Proposal, proposal_id, options=proposal_people())
    if proposal is None:
        abort(404)
    consultation = db.session.get(Consultation, proposal.consultation_id)
    if proposal.hidden_at is not None and not sees_hidden(proposal, consultation.city):
        abort(404)
    return proposal


@endpoint(
    "/v1/proposals/<id:proposal_id>",
    response=ProposalOut,
    summary="One proposal",
    tag="proposals",
)
def proposal(proposal_id: int) -> Reply:
    found = proposal_or_404(proposal_id)
    return Reply(proposals_out([found])[0], last_modified=found.updated_at)


@endpoint(
    "/v1/proposals/<id:proposal_id>/comments",
    response=CommentList,
    summary="A proposal's comments",
    description="Oldest first, replies included (each with its parent); hidden ones left out.",
    tag="proposals",
    paginated=True,
)
def comments(proposal_id: int) -> Reply:
    found = proposal_or_404(proposal_id)
    consultation = db.session.get(Consultation, found.consultation_id)
    page = keyset_page(
        sa.select(Comment)
        .where(
            Comment.proposal_id == found.id,
            Comment.status == "published",
            *_hidden_filter(Comment, consultation, current_user),
        )
        .options(*comment_people()),
        Comment.id,
        # The index on (proposal, created_at, id).
        by=Comment.created_at,
    )
    texts = Texts(page.rows, str(get_locale()))
    items = [
        CommentOut(
            id=comment.id,
            proposal=comment.proposal_id,
            parent=comment.parent_id,
            depth=comment.depth,
            alignment=comment.alignment,
            body=texts.field(comment, "body"),
            texts=texts.info(comment),
            hidden=comment.hidden_at is not None,
            author=_author(comment),
            created_at=comment.created_at,
            edited_at=comment.edited_at,
        )
        for comment in page.rows
    ]
    return Reply(
        CommentList(items=items, next=page.next_url),
        last_modified=newest(*(c.edited_at or c.created_at for c in page.rows)),
    )
