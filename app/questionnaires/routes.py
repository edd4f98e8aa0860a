"""Questionnaire pages: answering (and withdrawing), and the editor of the city's moderators."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from app.auth.permissions import can_manage_city, deny_unless, login_required
from app.consultations import services as consultations
from app.consultations.forms import PHASE_LABELS
from app.db_types import utcnow
from app.i18n import content_language_choices
from app.questionnaires import bp, panels, result_views, rules, services  # noqa: F401
from app.questionnaires.forms import (
    KIND_LABELS,
    AnswerForm,
    ButtonForm,
    QuestionForm,
    QuestionnaireForm,
)
from app.questionnaires.models import Question
from app.translations.reading import reader

bp.record_once(panels.register)


def _refusal(reason: str) -> str:
    messages = {
        "sign_in": _("Log in to answer the questionnaire."),
        "confirm_email": _("Confirm your e-mail address to answer the questionnaire."),
        "not_resident": _(
            "This consultation is open to confirmed residents of the city. Ask the municipality "
            "to confirm your account."
        ),
        "blocked": _("A moderator blocked you from taking part in this city's consultations."),
        "phase": _("The questionnaire is not open for answers now."),
        "frozen": _(
            "Somebody has already answered: the questions, their options and when the "
            "questionnaire is answered can no longer change."
        ),
        "exists": _("This consultation already has a questionnaire."),
        "empty": _("Answer at least one question."),
        "invalid": _("Some answers need your attention: see the messages next to the questions."),
    }
    return messages.get(reason, _("This is not possible."))


def answer_problem(problem: str, question: Question) -> str:
    if problem == "too_many":
        if question.kind == "single":
            return _("Choose one option.")
        limit = question.max_choices or len(question.options)
        return ngettext("Choose at most %(num)s option.", "Choose at most %(num)s options.", limit)
    if problem == "too_long":
        return ngettext(
            "Write at most %(num)s character.",
            "Write at most %(num)s characters.",
            rules.MAX_TEXT_ANSWER,
        )
    messages = {
        "mandatory": _("This question needs an answer."),
        "unknown_option": _("Choose one of the options shown."),
        "scale_range": _("Choose a value from 1 to 5."),
        "duplicate_rank": _("Give each option a different rank."),
        "rank_range": _("Choose a rank from the list."),
        "rank_incomplete": _("Rank every option."),
    }
    return messages.get(problem, _("This answer is not valid."))


def _languages() -> list[SelectChoice]:
    return [SelectChoice(code, name) for code, name in content_language_choices(str(get_locale()))]


def _load(consultation_id: int):
    consultation = consultations.get_consultation_or_404(consultation_id)
    questionnaire = services.with_questions(consultation.id)
    if questionnaire is None:
        abort(404)
    return consultation, questionnaire


def _question_or_404(questionnaire, question_id: int) -> Question:
    question = next((q for q in questionnaire.questions if q.id == question_id), None)
    if question is None:
        abort(404)
    return question


def _values(form) -> dict[str, list[str]]:
    return {name: form.getlist(name) for name in form if name.startswith("q")}


# Answering.


@bp.route("/consultations/<id:consultation_id>/questionnaire", methods=["GET", "POST"])
def answer(consultation_id: int):
    consultation, questionnaire = _load(consultation_id)
    now = utcnow()
    user = current_user if current_user.is_authenticated else None
    refusal = services.answer_refusal(user, consultation, questionnaire, now)
    answer_set = services.answer_set_of(questionnaire, user)
    form = AnswerForm()
    form.language.choices = _languages()
    problems: dict[int, str] = {}
    form_problem = None
    values = services.form_values(answer_set)
    if request.method == "POST":
        if user is None:
            return redirect(url_for("accounts.login", next=request.path))
        values = _values(request.form)
        if form.validate_on_submit():
            try:
                first = services.save_answers(
                    consultation,
                    questionnaire,
                    user,
                    request.form.to_dict(flat=False),
                    language=form.language.data,
                    now=now,
                )
            except services.Refused as refused:
                if refused.reason not in ("invalid", "empty"):
                    flash(_refusal(refused.reason), "error")
                    return redirect(
                        url_for("questionnaires.answer", consultation_id=consultation.id)
                    )
                problems = refused.problems
                form_problem = _refusal(refused.reason)
            else:
                flash(
                    _("Your answers are saved.") if first else _("Your answers are updated."),
                    "success",
                )
                return redirect(url_for("questionnaires.answer", consultation_id=consultation.id))
    elif user is not None:
        form.language.data = services.answer_language(answer_set) or _writing_language(user)
    window = services.window(consultation, questionnaire)
    # A form sent back with its messages answers 422 (which rolls the request back).
    status = 422 if request.method == "POST" else 200
    return (
        render_template(
            "questionnaires/answer.html",
            consultation=consultation,
            questionnaire=questionnaire,
            form=form,
            values=values,
            problems={
                question.id: answer_problem(problems[question.id], question)
                for question in questionnaire.questions
                if question.id in problems
            },
            form_problem=form_problem,
            refusal=refusal,
            refusal_message=_refusal(refusal) if refusal else None,
            answered=answer_set is not None,
            window=window,
            opens_at=window.starts_at
            if window is not None and window.starts_at > now and consultation.closed_at is None
            else None,
            manages=can_manage_city(current_user, consultation.city),
            withdraw_form=ButtonForm(),
            kind_labels=KIND_LABELS,
            tr=reader([consultation, *services.question_texts(questionnaire)]),
        ),
        status,
    )


def _writing_language(user) -> str:
    codes = user.content_language_codes
    return codes[0] if codes else str(get_locale())


@bp.route("/consultations/<id:consultation_id>/questionnaire/withdraw", methods=["POST"])
@login_required
def withdraw(consultation_id: int):
    consultation, questionnaire = _load(consultation_id)
    form = ButtonForm()
    if form.validate_on_submit():
        try:
            withdrawn = services.withdraw_answers(consultation, questionnaire, current_user)
        except services.Refused as refused:
            flash(_refusal(refused.reason), "error")
        else:
            if withdrawn:
                flash(_("Your answers are deleted."), "success")
            else:
                flash(_("You have not answered this questionnaire."), "info")
    return redirect(url_for("questionnaires.answer", consultation_id=consultation.id))


# Building.


def _managed(consultation_id: int):
    consultation = consultations.get_consultation_or_404(consultation_id)
    deny_unless(can_manage_city(current_user, consultation.city))
    return consultation


def _flash_errors(form) -> None:
    for errors in form.errors.values():
        for error in errors:
            flash(str(error), "error")


@bp.route("/consultations/<id:consultation_id>/questionnaire/edit", methods=["GET", "POST"])
@login_required
def edit(consultation_id: int):
    """Create the questionnaire, or change its title, introduction and when it is answered;
    the list of its questions with their buttons."""
    consultation = _managed(consultation_id)
    questionnaire = services.with_questions(consultation.id)
    form = QuestionnaireForm(obj=questionnaire)
    form.language.choices = _languages()
    if questionnaire is None and request.method == "GET":
        form.language.data = consultation.language
    if form.validate_on_submit():
        fields = {
            "title": form.title.data,
            "intro": form.intro.data or "",
            "language": form.language.data,
            "answered_during": form.answered_during.data,
            "by": current_user,
        }
        try:
            if questionnaire is None:
                services.create_questionnaire(consultation, **fields)
                flash(_("The questionnaire is created: now add its questions."), "success")
            else:
                services.update_questionnaire(questionnaire, **fields)
                flash(_("The questionnaire is saved."), "success")
        except services.Refused as refused:
            flash(_refusal(refused.reason), "error")
        return redirect(url_for("questionnaires.edit", consultation_id=consultation.id))
    has_phase = any(w.kind == "questionnaire" for w in consultation.windows)
    return render_template(
        "questionnaires/edit.html",
        consultation=consultation,
        questionnaire=questionnaire,
        form=form,
        frozen=questionnaire is not None and rules.questions_frozen(questionnaire.answers_count),
        missing_phase=not has_phase
        and (questionnaire.answered_during if questionnaire else form.answered_during.data)
        == "questionnaire",
        button_form=ButtonForm(),
        kind_labels=KIND_LABELS,
        phase_labels=PHASE_LABELS,
        tr=reader([consultation]),
    ), 422 if form.errors else 200


def _question_form(consultation, questionnaire, form, question=None):
    if form.validate_on_submit():
        data = services.QuestionData(
            kind=form.kind.data,
            text=form.text.data,
            help=form.help.data or "",
            mandatory=bool(form.mandatory.data),
            max_choices=form.max_choices.data,
            options=form.option_list(),
        )
        try:
            if question is None:
                services.add_question(questionnaire, data, by=current_user)
                flash(_("The question is added."), "success")
            else:
                services.edit_question(question, data, by=current_user)
                flash(_("The question is saved."), "success")
        except services.Refused as refused:
            flash(_refusal(refused.reason), "error")
        return redirect(url_for("questionnaires.edit", consultation_id=consultation.id))
    return render_template(
        "questionnaires/question.html",
        consultation=consultation,
        questionnaire=questionnaire,
        question=question,
        form=form,
        frozen=rules.questions_frozen(questionnaire.answers_count),
    ), 422 if form.errors else 200


@bp.route(
    "/consultations/<id:consultation_id>/questionnaire/questions/new", methods=["GET", "POST"]
)
@login_required
def add_question(consultation_id: int):
    consultation = _managed(consultation_id)
    _consultation, questionnaire = _load(consultation_id)
    return _question_form(consultation, questionnaire, QuestionForm())


@bp.route(
    "/consultations/<id:consultation_id>/questionnaire/questions/<id:question_id>/edit",
    methods=["GET", "POST"],
)
@login_required
def edit_question(consultation_id: int, question_id: int):
    consultation = _managed(consultation_id)
    _consultation, questionnaire = _load(consultation_id)
    question = _question_or_404(questionnaire, question_id)
    # The stored question as the form's starting values (its options one per line); a sent
    # form is read from what was sent only.
    form = QuestionForm(
        data={
            "kind": question.kind,
            "text": question.text,
            "help": question.help,
            "mandatory": question.mandatory,
            "max_choices": question.max_choices,
            "options": "\n".join(option.text for option in question.options),
        }
    )
    return _question_form(consultation, questionnaire, form, question)


@bp.route(
    "/consultations/<id:consultation_id>/questionnaire/questions/<id:question_id>/delete",
    methods=["POST"],
)
@login_required
def delete_question(consultation_id: int, question_id: int):
    consultation = _managed(consultation_id)
    _consultation, questionnaire = _load(consultation_id)
    question = _question_or_404(questionnaire, question_id)
    if ButtonForm().validate_on_submit():
        try:
            services.delete_question(question, by=current_user)
        except services.Refused as refused:
            flash(_refusal(refused.reason), "error")
        else:
            flash(_("The question is deleted."), "success")
    return redirect(url_for("questionnaires.edit", consultation_id=consultation.id))


@bp.route(
    "/consultations/<id:consultation_id>/questionnaire/questions/<id:question_id>/move",
    methods=["POST"],
)
@login_required
def move_question(consultation_id: int, question_id: int):
    consultation = _managed(consultation_id)
    _consultation, questionnaire = _load(consultation_id)
    question = _question_or_404(questionnaire, question_id)
    direction = request.form.get("direction", "")
    if ButtonForm().validate_on_submit() and direction in ("up", "down"):
        try:
            services.move_question(question, direction, by=current_user)
        except services.Refused as refused:
            flash(_refusal(refused.reason), "error")
    return redirect(
        url_for("questionnaires.edit", consultation_id=consultation.id) + f"#question-{question.id}"
    )
