"""Voting pages: support buttons, the budget ballot (draft, confirmation, cast, receipt,
withdraw), the moderators' paper ballots and their import of Pabulib files. Everything works
without JavaScript."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge
from wtforms.fields.choices import SelectChoice

from app.accounts.models import User
from app.auth.permissions import can_manage_city, deny_unless, login_required
from app.cities.models import City
from app.cities.services import city_pathway, get_city_or_404
from app.consultations.services import get_consultation_or_404, may, timeline
from app.db_types import utcnow
from app.extensions import db
from app.hooks import hooks
from app.i18n import content_language_choices, language_name
from app.proposals.models import Proposal
from app.translations.reading import reader
from app.urls import safe_next
from app.voting import bp, interchange, panels, services
from app.voting.forms import (
    BallotForm,
    CastForm,
    PabulibImportForm,
    PaperBatchForm,
    SupportForm,
    WithdrawBallotForm,
    parse_ids,
)
from app.voting.models import Ballot
from app.voting.services import AlreadyCast, VotingError

# This feature's panels on the city, step and consultation pages (app/cities/panels.py).
bp.record_once(panels.register)


# Refusals that are about who the voter is or when they ask (403), not about what they sent.
# Refusals of who may act (not of what was sent): 403. A block is one of them.
PERMISSION_REASONS = {"sign_in", "confirm_email", "not_resident", "phase", "blocked"}


def _status(error: VotingError) -> int:
    return 403 if error.reason in PERMISSION_REASONS else 422


def _back(target: str | None, fallback: str) -> str:
    """Back where the button was pressed, if that is a page of this site."""
    if target and safe_next(target) == target:
        return target
    return fallback


def _refused(consultation, messages: list[str], back: str, status: int, *, heading: str):
    return render_template(
        "voting/refused.html",
        consultation=consultation,
        messages=messages,
        back=back,
        heading=heading,
    ), status


# Supports


def _proposal_and_consultation(proposal_id: int):
    proposal = db.session.get(Proposal, proposal_id)
    if proposal is None:
        abort(404)
    consultation = get_consultation_or_404(proposal.consultation_id)
    return proposal, consultation


@bp.route("/proposals/<id:proposal_id>/support", methods=["POST"])
@login_required
def support(proposal_id: int):
    proposal, consultation = _proposal_and_consultation(proposal_id)
    form = SupportForm()
    back = _back(form.next.data, url_for("proposals.show", proposal_id=proposal.id))
    heading = _("Your support could not be recorded")
    if not form.validate_on_submit():
        return _refused(
            consultation,
            [_("The form has expired. Please send it again.")],
            back,
            422,
            heading=heading,
        )
    try:
        services.support(proposal, current_user)
    except VotingError as error:
        return _refused(consultation, error.messages, back, _status(error), heading=heading)
    flash(_("You support “%(title)s”.", title=proposal.title), "success")
    return redirect(back)


@bp.route("/proposals/<id:proposal_id>/support/withdraw", methods=["POST"])
@login_required
def withdraw_support(proposal_id: int):
    proposal, consultation = _proposal_and_consultation(proposal_id)
    form = SupportForm()
    back = _back(form.next.data, url_for("proposals.show", proposal_id=proposal.id))
    heading = _("Your support could not be withdrawn")
    if not form.validate_on_submit():
        return _refused(
            consultation,
            [_("The form has expired. Please send it again.")],
            back,
            422,
            heading=heading,
        )
    try:
        withdrawn = services.withdraw_support(proposal, current_user)
    except VotingError as error:
        return _refused(consultation, error.messages, back, _status(error), heading=heading)
    if withdrawn:
        flash(_("You no longer support “%(title)s”.", title=proposal.title), "success")
    else:
        flash(_("You did not support “%(title)s”.", title=proposal.title), "info")
    return redirect(back)


# Budget ballots


def _budget_consultation_or_404(consultation_id: int):
    consultation = get_consultation_or_404(consultation_id)
    if consultation.voting_method != "budget":
        abort(404)
    return consultation


def _render_ballot(consultation, form, *, chosen: set[int], errors: list[str], status: int = 200):
    proposals = services.ballot_proposals(consultation)
    total = sum(services.cost_of(p) for p in proposals if p.id in chosen)
    budget = consultation.budget_amount or 0
    permission = may(current_user, consultation, "ballot")
    return render_template(
        "voting/ballot.html",
        consultation=consultation,
        form=form,
        withdraw_form=WithdrawBallotForm(),
        proposals=proposals,
        tr=reader(proposals),
        chosen=chosen,
        total=total,
        remaining=budget - total,
        minimum=services.minimum_spend(consultation),
        ballot=services.ballot_of(consultation, current_user),
        permission=permission,
        refusal=None
        if permission
        else services.refusal_message(permission, consultation, "ballot"),
        timeline=timeline(consultation),
        errors=errors,
    ), status


@bp.route("/consultations/<id:consultation_id>/ballot", methods=["GET", "POST"])
@login_required
def ballot(consultation_id: int):
    consultation = _budget_consultation_or_404(consultation_id)
    form = BallotForm()
    if request.method == "GET":
        own = services.ballot_of(consultation, current_user)
        chosen = {item.proposal_id for item in own.items} if own else set()
        return _render_ballot(consultation, form, chosen=chosen, errors=[])
    ids = parse_ids(request.form.getlist("proposals"))
    if not form.validate_on_submit() or ids is None:
        return _render_ballot(
            consultation,
            form,
            chosen=set(ids or []),
            errors=[_("The form could not be read. Please try again.")],
            status=422,
        )
    try:
        _ballot, choice = services.save_draft(
            consultation, current_user, ids, ready_to_cast=bool(form.review.data)
        )
    except VotingError as error:
        return _render_ballot(
            consultation, form, chosen=set(ids), errors=error.messages, status=_status(error)
        )
    if form.review.data:
        return redirect(url_for("voting.cast", consultation_id=consultation.id))
    flash(
        _(
            "Your choice is saved: %(total)s, %(remaining)s left. It is not cast yet.",
            total=services.money(choice.total, consultation),
            remaining=services.money(
                (consultation.budget_amount or 0) - choice.total, consultation
            ),
        ),
        "success",
    )
    return redirect(url_for("voting.ballot", consultation_id=consultation.id) + "#ballot-total")


@bp.route("/consultations/<id:consultation_id>/ballot/cast", methods=["GET", "POST"])
@login_required
def cast(consultation_id: int):
    consultation = _budget_consultation_or_404(consultation_id)
    ballot_page = url_for("voting.ballot", consultation_id=consultation.id)
    form = CastForm()
    if request.method == "GET":
        own = services.ballot_of(consultation, current_user)
        if own is not None and own.status == "cast":
            return redirect(url_for("voting.receipt", consultation_id=consultation.id))
        permission = may(current_user, consultation, "ballot")
        if not permission:
            flash(services.refusal_message(permission, consultation, "ballot"), "error")
            return redirect(ballot_page)
        ids = sorted(item.proposal_id for item in own.items) if own else []
        choice = services.check_choice(consultation, ids, to_cast=True)
        if choice.problems:
            for problem in choice.problems:
                flash(problem, "error")
            return redirect(ballot_page)
        form.choice.data = ",".join(str(i) for i in choice.ids)
        return render_template(
            "voting/confirm.html",
            consultation=consultation,
            form=form,
            choice=choice,
            remaining=(consultation.budget_amount or 0) - choice.total,
            timeline=timeline(consultation),
        )
    heading = _("Your ballot could not be cast")
    ids = parse_ids([v for v in (form.choice.data or "").split(",") if v])
    if not form.validate_on_submit() or ids is None:
        return _refused(
            consultation,
            [_("The form could not be read. Please try again.")],
            ballot_page,
            422,
            heading=heading,
        )
    try:
        services.cast_ballot(consultation, current_user, ids)
    except AlreadyCast:
        flash(_("Your ballot is already cast: here is its receipt."), "info")
        return redirect(url_for("voting.receipt", consultation_id=consultation.id))
    except VotingError as error:
        return _refused(consultation, error.messages, ballot_page, _status(error), heading=heading)
    flash(_("Your ballot is cast. Thank you for taking part!"), "success")
    return redirect(url_for("voting.receipt", consultation_id=consultation.id))


@bp.route("/consultations/<id:consultation_id>/ballot/withdraw", methods=["POST"])
@login_required
def withdraw_ballot(consultation_id: int):
    consultation = _budget_consultation_or_404(consultation_id)
    ballot_page = url_for("voting.ballot", consultation_id=consultation.id)
    form = WithdrawBallotForm()
    heading = _("Your ballot could not be withdrawn")
    if not form.validate_on_submit():
        return _refused(
            consultation,
            [_("The form has expired. Please send it again.")],
            ballot_page,
            422,
            heading=heading,
        )
    try:
        withdrawn = services.withdraw_ballot(consultation, current_user)
    except VotingError as error:
        return _refused(consultation, error.messages, ballot_page, _status(error), heading=heading)
    if withdrawn:
        flash(
            _(
                "Your ballot is withdrawn and no longer counted. Change your choice and cast it "
                "again before voting ends."
            ),
            "success",
        )
    else:
        flash(_("You have no cast ballot to withdraw."), "info")
    return redirect(ballot_page)


@bp.route("/consultations/<id:consultation_id>/ballot/receipt")
@login_required
def receipt(consultation_id: int):
    consultation = _budget_consultation_or_404(consultation_id)
    own = services.ballot_of(consultation, current_user)
    cast_ballot = own if own is not None and own.status == "cast" else None
    proposals = []
    if cast_ballot is not None:
        ids = [item.proposal_id for item in cast_ballot.items]
        proposals = list(
            db.session.scalars(
                sa.select(Proposal).where(Proposal.id.in_(ids)).order_by(Proposal.id)
            )
        )
    return render_template(
        "voting/receipt.html",
        consultation=consultation,
        ballot=cast_ballot,
        proposals=proposals,
        may_change=bool(may(current_user, consultation, "ballot")),
        withdraw_form=WithdrawBallotForm(),
        timeline=timeline(consultation),
    )


# Paper ballots (moderators)


# The meetings a batch may come from: each hook gives (meeting id, label) of a consultation's
# meetings (app/meetings fills it).
PAPER_MEETINGS_HOOK = "voting.paper_meetings"


def _paper_meetings(consultation) -> list[tuple[int, str]]:
    return [choice for offer in hooks(PAPER_MEETINGS_HOOK) for choice in offer(consultation)]


def _paper_form(consultation, meetings) -> PaperBatchForm:
    form = PaperBatchForm()
    form.language.choices = [("", _("Not recorded"))] + [
        (code, language_name(code)) for code in consultation.languages
    ]
    form.meeting.choices = [("", _("None"))] + [(str(mid), label) for mid, label in meetings]
    return form


@bp.route("/consultations/<id:consultation_id>/paper", methods=["GET", "POST"])
@login_required
def paper(consultation_id: int):
    consultation = get_consultation_or_404(consultation_id)
    deny_unless(can_manage_city(current_user, consultation.city))
    meetings = _paper_meetings(consultation)
    form = _paper_form(consultation, meetings)
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        status = 422
        if form.validate_on_submit():
            try:
                batch = services.enter_paper_batch(
                    consultation,
                    author=current_user,
                    session_label=form.session_label.data,
                    text=form.ballots.data,
                    language=form.language.data or "",
                    meeting_id=int(form.meeting.data) if form.meeting.data else None,
                )
            except VotingError as error:
                errors = error.messages
            else:
                flash(
                    ngettext(
                        "%(num)s paper ballot entered and counted.",
                        "%(num)s paper ballots entered and counted.",
                        batch.ballots_count,
                    ),
                    "success",
                )
                return redirect(
                    url_for(
                        "voting.paper_batch", consultation_id=consultation.id, batch_id=batch.id
                    )
                )
    return render_template(
        "voting/paper.html",
        consultation=consultation,
        form=form,
        errors=errors,
        open_for_paper=services.may_enter_paper(current_user, consultation),
        batches=services.paper_batches(consultation),
        meeting_labels={str(mid): label for mid, label in meetings},
        timeline=timeline(consultation),
    ), status


@bp.route("/consultations/<id:consultation_id>/paper/<id:batch_id>")
@login_required
def paper_batch(consultation_id: int, batch_id: int):
    consultation = get_consultation_or_404(consultation_id)
    deny_unless(can_manage_city(current_user, consultation.city))
    batch = services.get_batch_or_404(consultation, batch_id)
    return render_template(
        "voting/paper_batch.html",
        consultation=consultation,
        batch=batch,
        entered_by=db.session.get(User, batch.entered_by_id) if batch.entered_by_id else None,
        ballots=services.batch_ballots(batch),
    )


# Pabulib import (moderators): a .pb file becomes a closed consultation of the city


def _import_form(city, *, blank: bool = False) -> PabulibImportForm:
    """The import form with the city's steps; `blank` ignores what was sent (unreadable)."""
    form = PabulibImportForm(formdata=None) if blank else PabulibImportForm()
    locale = str(get_locale())
    steps = city_pathway(city)
    form.city_step.choices = [
        SelectChoice(step.id, f"{step.step.position}. {step.step.text(locale).title}")
        for step in steps
    ]
    form.language.choices = [SelectChoice(c, n) for c, n in content_language_choices(locale)]
    if request.method == "GET" or blank:
        # The step of consultations by default ("Consult and deliberate"), the writer's language.
        form.city_step.data = next(
            (step.id for step in steps if step.step.position == 8),
            steps[0].id if steps else None,
        )
        form.language.data = (current_user.content_language_codes or [locale])[0]
    return form


def _render_import(city, form, errors: list[str], status: int):
    return render_template(
        "voting/import_pabulib.html",
        city=city,
        form=form,
        errors=errors,
    ), status


def _too_large_message() -> str:
    return _(
        "The file is too large: at most %(size)s MB can be imported.",
        size=interchange.MAX_UPLOAD_BYTES // (1024 * 1024),
    )


@bp.url_value_preprocessor
def _allow_large_upload(endpoint, _values) -> None:
    # The upload limit must be raised before anything reads the body, and the CSRF check
    # (a before_request hook) reads it: URL value preprocessors run before those hooks.
    if endpoint == "voting.import_pabulib":
        request.max_content_length = interchange.MAX_UPLOAD_BYTES + 64 * 1024


@bp.errorhandler(RequestEntityTooLarge)
def _upload_too_large(error: RequestEntityTooLarge):
    """A file over the limit: the import page says so, in words, for those who may import."""
    db.session.rollback()
    slug = (request.view_args or {}).get("slug")
    city = db.session.scalar(sa.select(City).where(City.slug == slug)) if slug else None
    if (
        request.endpoint != "voting.import_pabulib"
        or city is None
        or not can_manage_city(current_user, city)
    ):
        return render_template("errors/generic.html", error=error, code=413), 413
    return _render_import(city, _import_form(city, blank=True), [_too_large_message()], 413)


@bp.route("/cities/<slug>/consultations/import-pabulib", methods=["GET", "POST"])
@login_required
def import_pabulib(slug: str):
    city = get_city_or_404(slug)
    deny_unless(can_manage_city(current_user, city))
    form = _import_form(city)
    if request.method == "GET":
        return _render_import(city, form, [], 200)
    if not form.validate_on_submit():
        return _render_import(city, form, [], 422)
    upload = form.file.data
    data = upload.read(interchange.MAX_UPLOAD_BYTES + 1)
    if len(data) > interchange.MAX_UPLOAD_BYTES:
        return _render_import(city, form, [_too_large_message()], 413)
    city_step = next(s for s in city_pathway(city) if s.id == form.city_step.data)
    try:
        consultation = interchange.import_file(
            city,
            city_step,
            data,
            form.language.data,
            form.title.data or "",
            current_user,
            utcnow(),
            rule=form.rule.data,
            source=upload.filename or "",
        )
    except interchange.ImportRefused as refused:
        messages = [
            _("Line %(line)s: %(message)s", line=line, message=message)
            if line is not None
            else message
            for line, message in refused.errors
        ]
        return _render_import(city, form, messages, 422)
    flash(
        ngettext(
            "The file is imported as a closed consultation with %(num)s paper ballot.",
            "The file is imported as a closed consultation with %(num)s paper ballots.",
            db.session.scalar(
                sa.select(sa.func.count())
                .select_from(Ballot)
                .where(Ballot.consultation_id == consultation.id)
            )
            or 0,
        ),
        "success",
    )
    return redirect(url_for("results.show", consultation_id=consultation.id))
