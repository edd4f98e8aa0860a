"""Review pages: the board, appointing reviewers, assigning, assessing, merging, answering."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from app.accounts.models import User
from app.auth.permissions import deny_unless, login_required
from app.consultations import services as consultations
from app.consultations.forms import PHASE_LABELS
from app.extensions import db
from app.i18n import content_language_choices
from app.ids import id_arg
from app.proposals import services as proposals
from app.proposals.models import Proposal
from app.review import bp, panels, permissions, services
from app.review.forms import AnswerForm, AppointForm, AssessmentForm, AssignForm, MergeForm
from app.translations.reading import reader

bp.record_once(panels.register)


def _refusal(reason: str) -> str:
    messages = {
        "already": _("This person already reviews this consultation."),
        "voting_began": _("Voting has begun: the review can no longer change."),
        "phase": _("Proposals are assessed only during the review phase."),
        "not_reviewer": _("Only the city's moderators and this consultation's reviewers assess."),
        "not_published": _("Only published proposals can be assessed, assigned or merged."),
        "explanation_missing": _("Explain why the proposal is not feasible."),
        "cost_missing": _("Enter the city's estimate of the cost."),
        "cost_out_of_range": _("The cost must be between zero and the consultation's budget."),
        "same": _("A proposal cannot be merged into itself."),
        "other_consultation": _("Both proposals must belong to the same consultation."),
        "not_author": _("Only the author of the proposal can answer."),
        "unassessed": _("The proposal is not assessed yet."),
        "answered": _("You already answered this assessment: an answer is given once."),
        "empty": _("Write your answer."),
    }
    return messages.get(reason, _("This is not possible."))


def _languages() -> list[SelectChoice]:
    return [SelectChoice(code, name) for code, name in content_language_choices(str(get_locale()))]


def _reviewer_choices(consultation) -> list[SelectChoice]:
    choices = [SelectChoice("", _("Nobody"))]
    for reviewer in services.reviewers_of(consultation):
        choices.append(SelectChoice(str(reviewer.user_id), reviewer.user.display_name))
    if current_user.is_authenticated and all(c.value != str(current_user.id) for c in choices):
        choices.append(SelectChoice(str(current_user.id), _("Me")))
    return choices


@bp.route("/consultations/<id:consultation_id>/review")
@login_required
def board(consultation_id: int):
    consultation = consultations.get_consultation_or_404(consultation_id)
    deny_unless(permissions.may_review(current_user, consultation))
    shown = request.args.get("show", "all")
    if shown not in services.FILTERS:
        shown = "all"
    found = services.board(
        consultation, user=current_user, shown=shown, reviewer_id=id_arg("reviewer")
    )
    assign_form = AssignForm()
    assign_form.reviewer.choices = _reviewer_choices(consultation)
    return render_template(
        "review/board.html",
        consultation=consultation,
        board=found,
        shown=shown,
        reviewer_id=id_arg("reviewer"),
        manages=permissions.may_manage_review(current_user, consultation),
        assess_open=permissions.assess_phase_open(consultation),
        appoint_form=AppointForm(),
        assign_form=assign_form,
        phase_labels=PHASE_LABELS,
        tr=reader([consultation]),
    )


@bp.route("/consultations/<id:consultation_id>/review/reviewers", methods=["POST"])
@login_required
def appoint(consultation_id: int):
    consultation = consultations.get_consultation_or_404(consultation_id)
    deny_unless(permissions.may_manage_review(current_user, consultation))
    form = AppointForm()
    if form.validate_on_submit():
        account = services.account_by_email(form.email.data)
        if account is None:
            flash(
                _("No registered account uses this e-mail address: ask the person to register."),
                "error",
            )
        else:
            try:
                services.appoint_reviewer(consultation, account, by=current_user)
            except services.Refused as refusal:
                flash(_refusal(refusal.reason), "error")
            else:
                flash(
                    _("%(name)s now reviews this consultation.", name=account.display_name),
                    "success",
                )
    else:
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "error")
    return redirect(url_for("review.board", consultation_id=consultation.id))


@bp.route(
    "/consultations/<id:consultation_id>/review/reviewers/<id:user_id>/remove", methods=["POST"]
)
@login_required
def remove(consultation_id: int, user_id: int):
    consultation = consultations.get_consultation_or_404(consultation_id)
    deny_unless(permissions.may_manage_review(current_user, consultation))
    if services.remove_reviewer(consultation, user_id, by=current_user):
        flash(_("The reviewer is removed."), "success")
    return redirect(url_for("review.board", consultation_id=consultation.id))


@bp.route("/proposals/<id:proposal_id>/review/assign", methods=["POST"])
@login_required
def assign(proposal_id: int):
    proposal = proposals.get_proposal_or_404(proposal_id)
    consultation = consultations.get_consultation_or_404(proposal.consultation_id)
    deny_unless(permissions.may_manage_review(current_user, consultation))
    form = AssignForm()
    form.reviewer.choices = _reviewer_choices(consultation)
    if form.validate_on_submit():
        reviewer = db.session.get(User, int(form.reviewer.data)) if form.reviewer.data else None
        try:
            services.assign(proposal, reviewer, by=current_user)
        except services.Refused as refusal:
            flash(_refusal(refusal.reason), "error")
        else:
            flash(_("Proposal no. %(number)s is assigned.", number=proposal.id), "success")
    else:
        flash(_("Choose a reviewer of this consultation."), "error")
    return redirect(url_for("review.board", consultation_id=consultation.id))


@bp.route("/proposals/<id:proposal_id>/assessment", methods=["GET", "POST"])
@login_required
def assess(proposal_id: int):
    proposal = proposals.get_proposal_or_404(proposal_id)
    consultation = consultations.get_consultation_or_404(proposal.consultation_id)
    deny_unless(permissions.may_review(current_user, consultation))
    current = services.assessment_of(proposal)
    form = AssessmentForm(obj=None)
    form.language.choices = _languages()
    if request.method == "GET":
        form.language.data = current.language if current else consultation.language
        if current is not None and current.assessed:
            form.feasible.data = "yes" if current.feasible else "no"
            form.explanation.data = current.explanation
            form.city_cost.data = current.city_cost
            form.eligible.data = {True: "yes", False: "no"}.get(current.eligible, "unknown")
            form.budget_area.data = current.budget_area
            form.note.data = current.eligibility_note
        elif proposal.author_cost is not None or proposal.cost is not None:
            form.city_cost.data = (
                proposal.author_cost if proposal.author_cost is not None else proposal.cost
            )
    status = 200
    if form.validate_on_submit():
        try:
            services.assess(
                proposal,
                feasible=form.feasible.data == "yes",
                explanation=form.explanation.data or "",
                language=form.language.data,
                city_cost=form.city_cost.data,
                eligible={"yes": True, "no": False}.get(form.eligible.data),
                note=form.note.data,
                budget_area=form.budget_area.data,
                by=current_user,
            )
        except services.Refused as refusal:
            form.feasible.errors = [_refusal(refusal.reason)]
            status = 422
        else:
            flash(_("The assessment is saved and its author told."), "success")
            return redirect(url_for("proposals.show", proposal_id=proposal.id))
    elif request.method == "POST":
        status = 422
    return (
        render_template(
            "review/assess.html",
            proposal=proposal,
            consultation=consultation,
            form=form,
            assess_open=permissions.assess_phase_open(consultation),
            tr=reader([consultation, proposal]),
        ),
        status,
    )


@bp.route("/proposals/<id:proposal_id>/merge", methods=["POST"])
@login_required
def merge(proposal_id: int):
    proposal = proposals.get_proposal_or_404(proposal_id)
    consultation = consultations.get_consultation_or_404(proposal.consultation_id)
    deny_unless(permissions.may_manage_review(current_user, consultation))
    form = MergeForm()
    if form.validate_on_submit():
        into = db.session.get(Proposal, form.into.data)
        if into is None:
            flash(_("There is no proposal no. %(number)s.", number=form.into.data), "error")
        else:
            try:
                services.merge(proposal, into, by=current_user)
            except services.Refused as refusal:
                flash(_refusal(refusal.reason), "error")
            else:
                flash(
                    _("Proposal no. %(a)s is merged into no. %(b)s.", a=proposal.id, b=into.id),
                    "success",
                )
                return redirect(url_for("proposals.show", proposal_id=into.id))
    else:
        flash(_("Enter a proposal number."), "error")
    return redirect(url_for("proposals.show", proposal_id=proposal.id))


@bp.route("/proposals/<id:proposal_id>/assessment/answer", methods=["POST"])
@login_required
def answer(proposal_id: int):
    proposal = proposals.get_proposal_or_404(proposal_id)
    assessment = services.assessment_of(proposal)
    deny_unless(proposal.author_id == current_user.id and assessment is not None)
    form = AnswerForm()
    form.language.choices = _languages()
    if form.validate_on_submit():
        try:
            services.answer(assessment, form.body.data, form.language.data, by=current_user)
        except services.Refused as refusal:
            flash(_refusal(refusal.reason), "error")
        else:
            flash(_("Your answer is published."), "success")
    else:
        flash(_("Write your answer."), "error")
    return redirect(url_for("proposals.show", proposal_id=proposal.id, _anchor="assessment"))
