"""This feature's places on other pages: a section on the proposal page (the assessment, the
author's answer, the forms for those who may use them) and a panel on the consultation page
(the link to the review board; once closed, which assessments shaped the ballot)."""

from __future__ import annotations

from flask.blueprints import BlueprintSetupState

from app.cities.panels import Panel, register_panel
from app.hooks import add_hook
from app.proposals.routes import PROPOSAL_SECTION_HOOK
from app.review import permissions, services
from app.review.rules import has_review


def proposal_section(proposal, consultation, user) -> Panel | None:
    """The assessment on the proposal page (three queries at most)."""
    assessment = services.assessment_of(proposal)
    reviewing = permissions.may_review(user, consultation)
    merged_here = services.merged_here(proposal)
    if not has_review(consultation) and assessment is None and not merged_here and not reviewing:
        return None
    answer = services.answer_of(proposal) if assessment is not None else None
    return Panel(
        template="review/_proposal_section.html",
        context={
            "assessment": assessment if assessment is not None and assessment.assessed else None,
            "answer": answer,
            "merged_here": merged_here,
            "may_answer": permissions.may_answer(user, proposal, assessment, answer is not None),
            "may_assess": reviewing and permissions.assess_phase_open(consultation),
            "may_merge": permissions.may_manage_review(user, consultation)
            and proposal.status == "published",
        },
        texts=[text for text in (assessment, answer) if text is not None and text.id],
    )


def consultation_panel(consultation, user) -> Panel | None:
    if not has_review(consultation):
        return None
    reviewing = permissions.may_review(user, consultation)
    summary = services.summary(consultation) if consultation.closed_at is not None else None
    if not reviewing and summary is None:
        return None
    return Panel(
        template="review/_consultation_panel.html",
        context={"reviewing": reviewing, "summary": summary},
        texts=summary.texts if summary is not None else [],
    )


def register(state: BlueprintSetupState) -> None:
    add_hook(state.app, PROPOSAL_SECTION_HOOK, proposal_section)
    register_panel(state.app, "consultation", "review", consultation_panel, position=15)
