"""Proposal pages: the list, posting and editing, withdrawing, the proposal and its deliberation."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import format_currency, get_locale
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from app.accounts.models import Organisation
from app.attachments.registry import Attachable, manages_city, register_attachable
from app.auth.permissions import deny_unless, login_required
from app.consultations import services as consultations
from app.consultations.forms import PHASE_LABELS
from app.db_types import utcnow
from app.extensions import db
from app.hooks import hooks
from app.i18n import content_language_choices
from app.ids import id_arg, page_arg
from app.notifications import services as notifications
from app.proposals import bp, panels, search, services
from app.proposals.forms import (
    ALIGNMENT_LABELS,
    ButtonForm,
    CommentEditForm,
    CommentForm,
    ProposalForm,
)
from app.proposals.models import Comment, Proposal
from app.translations.reading import reader
from app.voting import panels as voting_panels

# This feature's panels on the city, step and consultation pages (app/cities/panels.py).
bp.record_once(panels.register)
# Search documents written with their texts (app/proposals/search.py).
bp.record_once(lambda _state: search.listen())

# Sections the features above this one add to a proposal's page (app/hooks.py):
# `make(proposal, consultation, user)` returns an app.cities.panels.Panel or None (a template,
# its context, the user texts it shows) and runs a constant number of queries.
PROPOSAL_SECTION_HOOK = "proposals.section"


def _may_attach(user, proposal: Proposal) -> bool:
    """Its author while they may still change it, and the city's moderators."""
    consultation = proposal.consultation
    if manages_city(user, consultation.city_id):
        return True
    if proposal.author_id is None or proposal.author_id != user.id:
        return False
    if proposal.status != "published" or proposal.hidden_at is not None:
        return False
    return bool(consultations.may(user, consultation, "edit_proposal")) or bool(
        consultations.may(user, consultation, "amend_proposal")
    )


@bp.record_once
def _attachments(state) -> None:
    """Photos and documents on proposals (app/attachments)."""
    register_attachable(
        state.app,
        "proposal",
        Attachable(
            model=Proposal,
            city_id=lambda proposal: proposal.consultation.city_id,
            may_attach=_may_attach,
            url=lambda proposal: url_for("proposals.show", proposal_id=proposal.id),
        ),
    )


SEED_KEY = "proposals_seed"


def _seed() -> int:
    """The visitor's seed for the random order: kept in the session, so paging is stable."""
    seed = session.get(SEED_KEY)
    if not isinstance(seed, int) or not 0 < seed < services.RANDOM_MODULUS:
        seed = services.new_random_seed()
        session[SEED_KEY] = seed
    return seed


def _list_query(args, default_sort: str = "supported") -> services.ListQuery:
    """The list's GET parameters; unknown values fall back to the defaults."""

    def text(name: str, limit: int) -> str | None:
        value = (args.get(name) or "").strip()
        return value[:limit] or None

    search = text("q", 200)
    # Best match first is the order of a search, unless another one is asked for.
    sort = args.get("sort") or "relevance"
    if sort not in services.LIST_SORTS or (sort == "relevance" and not search):
        sort = "relevance" if search else default_sort
    status = args.get("status", "published")
    return services.ListQuery(
        sort=sort,
        status=status if status in services.STATUSES else "published",
        category=text("category", 60),
        language=text("language", 8),
        search=search,
        cursor=text("cursor", 80),
        language_of_query=str(get_locale()),
    )


@bp.route("/consultations/<id:consultation_id>/proposals")
def index(consultation_id: int):
    consultation = consultations.get_consultation_or_404(consultation_id)
    # Budget consultations have no supports: their list starts with the newest proposals.
    query = _list_query(
        request.args, "newest" if consultation.voting_method == "budget" else "supported"
    )
    page = services.list_proposals(consultation, query, seed=_seed())
    kept = {
        "sort": query.sort,
        "status": query.status,
        "category": query.category,
        "language": query.language,
        "q": query.search,
    }
    kept = {name: value for name, value in kept.items() if value}
    return render_template(
        "proposals/list.html",
        consultation=consultation,
        query=query,
        # The order the form shows: best match unless another was chosen.
        chosen_sort=query.sort if request.args.get("sort") in services.LIST_SORTS else "relevance",
        page=page,
        page_url=lambda cursor: url_for(
            "proposals.index", consultation_id=consultation.id, cursor=cursor, **kept
        ),
        categories=services.categories_of(consultation),
        languages=services.languages_of(consultation),
        permission=consultations.may(current_user, consultation, "propose"),
        window=services.act_window(consultation, "propose"),
        voting=voting_panels.list_context(consultation, page.proposals, current_user),
        tr=reader([consultation, *page.proposals]),
    )


# Posting and editing.


def _refused(consultation, permission, act: str, status: int = 403, proposal=None):
    """The page that says, in plain words, why this cannot be done now."""
    return render_template(
        "proposals/refused.html",
        consultation=consultation,
        proposal=proposal,
        reason=permission.reason,
        act=act,
        window=_window_for(consultation, act),
    ), status


def _window_for(consultation, act: str):
    acts = {
        "propose": ("propose",),
        "edit": ("edit_proposal", "amend_proposal"),
        "withdraw": ("withdraw_proposal",),
        "comment": ("comment",),
    }.get(act, (act,))
    return services.act_window(consultation, *acts)


def _language_choices() -> list[SelectChoice]:
    return [SelectChoice(code, name) for code, name in content_language_choices(str(get_locale()))]


def _organisation_choices(user) -> list[SelectChoice]:
    return [SelectChoice(0, _("Myself (%(name)s)", name=user.display_name))] + [
        SelectChoice(organisation.id, organisation.name)
        for organisation in services.organisations_of(user)
    ]


def _chosen_organisation(form) -> Organisation | None:
    field = getattr(form, "organisation", None)
    if field is None or not field.data:
        return None
    return db.session.get(Organisation, field.data)


def _prepare_proposal_form(form: ProposalForm, consultation) -> None:
    form.language.choices = _language_choices()
    if consultation.voting_method == "budget":
        form.cost.label.text = _("Estimated cost in %(currency)s", currency=consultation.currency)
        form.cost.description = _(
            "In whole units, at most the budget of %(budget)s.",
            budget=format_currency(consultation.budget_amount, consultation.currency),
        )
        form.cost.flags.required = True
    else:
        del form.cost
    form.category.render_kw = {"list": "category-suggestions", "autocomplete": "off"}
    if request.method == "GET":
        form.language.data = form.language.data or services.writing_language(
            current_user, str(get_locale())
        )


def _proposal_data(form: ProposalForm) -> services.ProposalData:
    return services.ProposalData(
        title=form.title.data,
        body=form.body.data,
        language=form.language.data,
        category=form.category.data,
        cost=form.cost.data if form.cost is not None else None,
        organisation=_chosen_organisation(form),
    )


def _form_refusal(form, refusal: services.Refused) -> None:
    """Put a service's refusal on the field it concerns."""
    if refusal.reason == "organisation":
        form.organisation.errors = [_("You can only post for an organisation you belong to.")]
    elif refusal.reason in ("cost_missing", "cost_out_of_range"):
        form.cost.errors = [_("Give a cost between 0 and the whole budget.")]
    elif refusal.reason == "closed":
        form.title.errors = [_("This consultation is closed: its proposals can no longer change.")]
    else:
        form.title.errors = [_("This proposal can no longer be changed.")]


@bp.route("/consultations/<id:consultation_id>/proposals/new", methods=["GET", "POST"])
@login_required
def new(consultation_id: int):
    consultation = consultations.get_consultation_or_404(consultation_id)
    permission = consultations.may(current_user, consultation, "propose")
    if not permission:
        return _refused(consultation, permission, "propose")
    form = ProposalForm()
    form.organisation.choices = _organisation_choices(current_user)
    _prepare_proposal_form(form, consultation)
    if form.validate_on_submit() and form.check_cost(consultation):
        try:
            proposal = services.create_proposal(consultation, current_user, _proposal_data(form))
        except services.Refused as refusal:
            _form_refusal(form, refusal)
        else:
            flash(
                _("Your proposal is published. You will be told about comments on it."), "success"
            )
            return redirect(url_for("proposals.show", proposal_id=proposal.id))
    return render_template(
        "proposals/form.html",
        form=form,
        consultation=consultation,
        proposal=None,
        categories=services.categories_of(consultation),
    ), 200 if request.method == "GET" else 422


def _own_proposal(proposal_id: int):
    proposal = services.get_proposal_or_404(proposal_id)
    consultation = consultations.get_consultation_or_404(proposal.consultation_id)
    deny_unless(proposal.author_id is not None and proposal.author_id == current_user.id)
    return proposal, consultation


@bp.route("/proposals/<id:proposal_id>/edit", methods=["GET", "POST"])
@login_required
def edit(proposal_id: int):
    proposal, consultation = _own_proposal(proposal_id)
    permission = consultations.may(current_user, consultation, "edit_proposal")
    if not permission and permission.reason == "phase":
        permission = consultations.may(current_user, consultation, "amend_proposal")
    if not permission:
        return _refused(consultation, permission, "edit", proposal=proposal)
    if proposal.status != "published":
        return _refused(
            consultation, consultations.Permission(False, "withdrawn"), "edit", proposal=proposal
        )
    form = ProposalForm(obj=None if request.method == "POST" else proposal)
    del form.organisation
    _prepare_proposal_form(form, consultation)
    if form.validate_on_submit() and form.check_cost(consultation):
        try:
            services.update_proposal(proposal, _proposal_data(form))
        except services.Refused as refusal:
            _form_refusal(form, refusal)
        else:
            flash(_("Your proposal is saved."), "success")
            return redirect(url_for("proposals.show", proposal_id=proposal.id))
    return render_template(
        "proposals/form.html",
        form=form,
        consultation=consultation,
        proposal=proposal,
        categories=services.categories_of(consultation),
    ), 200 if request.method == "GET" else 422


@bp.route("/proposals/<id:proposal_id>/withdraw", methods=["POST"])
@login_required
def withdraw(proposal_id: int):
    proposal, consultation = _own_proposal(proposal_id)
    permission = consultations.may(current_user, consultation, "withdraw_proposal")
    if not permission:
        return _refused(consultation, permission, "withdraw", proposal=proposal)
    if ButtonForm().validate_on_submit():
        try:
            withdrawn = services.withdraw_proposal(proposal)
        except services.Refused:
            # Nothing was written: the close got in first.
            flash(_("This consultation is closed: its proposals can no longer change."), "error")
            return redirect(url_for("proposals.show", proposal_id=proposal.id))
        if withdrawn:
            flash(
                _("Your proposal is withdrawn. It stays visible, marked as withdrawn."), "success"
            )
        else:
            flash(_("This proposal was already withdrawn."), "info")
    return redirect(url_for("proposals.show", proposal_id=proposal.id))


# The proposal and its deliberation.


def _prepare_comment_form(form) -> None:
    form.language.choices = _language_choices()
    if getattr(form, "organisation", None) is not None:
        form.organisation.choices = _organisation_choices(current_user)
    if request.method == "GET" and current_user.is_authenticated:
        form.language.data = services.writing_language(current_user, str(get_locale()))


def _render_proposal(proposal, consultation, *, form=None, reply_form=None, status=200):
    thread = services.comment_thread(proposal, page_arg("comments_page"))
    comment_permission = consultations.may(current_user, consultation, "comment")
    signed_in = current_user.is_authenticated
    if form is None and signed_in and comment_permission:
        form = CommentForm()
        _prepare_comment_form(form)
    reply_to = (
        reply_form.parent_id.data
        if reply_form is not None and reply_form.parent_id.data
        else id_arg("reply_to")
    )
    if reply_form is None and reply_to and signed_in and comment_permission:
        reply_form = CommentForm(prefix="reply")
        _prepare_comment_form(reply_form)
        reply_form.parent_id.data = reply_to
    now = utcnow()
    sections = [
        section
        for section in (
            make(proposal, consultation, current_user) for make in hooks(PROPOSAL_SECTION_HOOK)
        )
        if section is not None
    ]
    response = services.response_to(proposal)
    is_author = signed_in and proposal.author_id == current_user.id
    edit_permission = consultations.may(current_user, consultation, "edit_proposal")
    if not edit_permission:
        edit_permission = consultations.may(current_user, consultation, "amend_proposal")
    return render_template(
        "proposals/show.html",
        proposal=proposal,
        consultation=consultation,
        thread=thread,
        form=form,
        reply_form=reply_form,
        reply_to=reply_to,
        comment_permission=comment_permission,
        comment_window=_window_for(consultation, "comment"),
        may_edit_comment=lambda comment: services.may_edit_comment(comment, current_user, now),
        is_author=is_author,
        may_edit=is_author and proposal.status == "published" and bool(edit_permission),
        may_withdraw=is_author
        and proposal.status == "published"
        and bool(consultations.may(current_user, consultation, "withdraw_proposal")),
        following=notifications.is_following(current_user, proposal=proposal),
        response=response,
        sections=sections,
        tr=reader(
            [
                consultation,
                proposal,
                response,
                *_comments_of(thread.roots),
                *(text for section in sections for text in section.texts),
            ]
        ),
        voting=voting_panels.proposal_context(consultation, proposal, current_user),
        alignment_labels=ALIGNMENT_LABELS,
        phase_labels=PHASE_LABELS,
        max_depth=services.MAX_COMMENT_DEPTH,
    ), status


def _comments_of(nodes) -> list[Comment]:
    """Every comment of a page of the thread, replies included."""
    found = []
    for node in nodes:
        found.append(node.comment)
        found.extend(_comments_of(node.children))
    return found


@bp.route("/proposals/<id:proposal_id>")
def show(proposal_id: int):
    proposal = services.get_proposal_or_404(proposal_id)
    consultation = consultations.get_consultation_or_404(proposal.consultation_id)
    return _render_proposal(proposal, consultation)


@bp.route("/proposals/<id:proposal_id>/comments", methods=["POST"])
@login_required
def comment(proposal_id: int):
    proposal = services.get_proposal_or_404(proposal_id)
    consultation = consultations.get_consultation_or_404(proposal.consultation_id)
    permission = consultations.may(current_user, consultation, "comment")
    if not permission:
        return _refused(consultation, permission, "comment", proposal=proposal)
    if proposal.status != "published":
        return _refused(
            consultation, consultations.Permission(False, "withdrawn"), "comment", proposal=proposal
        )
    if proposal.hidden_at is not None:
        return _refused(
            consultation, consultations.Permission(False, "hidden"), "comment", proposal=proposal
        )
    is_reply = "reply-parent_id" in request.form
    form = CommentForm(prefix="reply") if is_reply else CommentForm()
    _prepare_comment_form(form)
    if form.validate_on_submit():
        parent = None
        if is_reply:
            parent = db.session.get(Comment, form.parent_id.data) if form.parent_id.data else None
        try:
            if is_reply and parent is None:
                raise services.Refused("parent")
            comment = services.add_comment(
                proposal,
                current_user,
                body=form.body.data,
                alignment=form.alignment.data,
                language=form.language.data,
                parent=parent,
                organisation=_chosen_organisation(form),
            )
        except services.Refused as refusal:
            form.body.errors = [_comment_refusal(refusal.reason)]
        else:
            flash(_("Your comment is published."), "success")
            return redirect(
                url_for("proposals.show", proposal_id=proposal.id, _anchor=f"comment-{comment.id}")
            )
    if is_reply:
        return _render_proposal(proposal, consultation, reply_form=form, status=422)
    return _render_proposal(proposal, consultation, form=form, status=422)


def _comment_refusal(reason: str) -> str:
    if reason == "depth":
        return _(
            "Replies go three levels deep at most: reply to the comment this one answers instead."
        )
    if reason == "organisation":
        return _("You can only comment for an organisation you belong to.")
    return _("The comment you answer no longer exists.")


@bp.route("/comments/<id:comment_id>/edit", methods=["GET", "POST"])
@login_required
def edit_comment(comment_id: int):
    comment = services.get_comment_or_404(comment_id)
    proposal = comment.proposal
    consultation = consultations.get_consultation_or_404(proposal.consultation_id)
    deny_unless(comment.author_id is not None and comment.author_id == current_user.id)
    if not services.may_edit_comment(comment, current_user):
        return _refused(
            consultation,
            consultations.Permission(False, "edit_window"),
            "edit_comment",
            proposal=proposal,
        )
    form = CommentEditForm(obj=None if request.method == "POST" else comment)
    form.language.choices = _language_choices()
    if form.validate_on_submit():
        try:
            services.edit_comment(
                comment, current_user, body=form.body.data, language=form.language.data
            )
        except services.Refused:
            return _refused(
                consultation,
                consultations.Permission(False, "edit_window"),
                "edit_comment",
                proposal=proposal,
            )
        flash(_("Your comment is saved."), "success")
        return redirect(
            url_for("proposals.show", proposal_id=proposal.id, _anchor=f"comment-{comment.id}")
        )
    return render_template(
        "proposals/comment_edit.html",
        form=form,
        comment=comment,
        proposal=proposal,
        consultation=consultation,
        minutes=int(services.EDIT_WINDOW.total_seconds() // 60),
    ), 200 if request.method == "GET" else 422
