"""Questionnaire forms: the questionnaire itself, a question, the answer form's fixed part,
and the small POST buttons (move, delete, withdraw)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, InputRequired, Length, NumberRange, Optional

from app.fields import IntegerField
from app.questionnaires import rules
from app.questionnaires.models import ANSWERED_DURING, QUESTION_KINDS

KIND_LABELS = {
    "single": _l("One choice"),
    "multiple": _l("Several choices, up to a maximum"),
    "ranking": _l("Ranking of the options"),
    "scale": _l("Scale from 1 to 5"),
    "text": _l("Free text"),
}
QUESTION_PROBLEMS = {
    "few_options": _l("Give at least two options, one per line."),
    "many_options": _l("Give at most 30 options."),
    "duplicate_option": _l("Each option must be different."),
    "max_choices": _l("The maximum must be between 1 and the number of options."),
    "options_unused": _l(
        "Only questions with choices or a ranking have options: leave this empty."
    ),
}


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class QuestionnaireForm(FlaskForm):
    title = StringField(
        _l("Title"),
        filters=[_strip],
        validators=[InputRequired(message=_l("Enter a title.")), Length(max=200)],
    )
    intro = TextAreaField(
        _l("Introduction"),
        filters=[_strip],
        validators=[Optional(), Length(max=5000)],
        description=_l("What the questionnaire is for and how long it takes."),
    )
    language = SelectField(_l("Language of the questionnaire"), choices=[], validate_choice=True)
    answered_during = RadioField(
        _l("Answered during"),
        choices=[
            SelectChoice("questionnaire", _l("Its own phase, before the proposals")),
            SelectChoice("proposals", _l("The proposals phase, alongside the proposals")),
        ],
        default="questionnaire",
        validators=[InputRequired(), AnyOf(ANSWERED_DURING)],
    )


class QuestionForm(FlaskForm):
    kind = SelectField(
        _l("Kind of question"),
        choices=[SelectChoice(kind, KIND_LABELS[kind]) for kind in QUESTION_KINDS],
        validators=[InputRequired(), AnyOf(QUESTION_KINDS)],
    )
    text = StringField(
        _l("Question"),
        filters=[_strip],
        validators=[InputRequired(message=_l("Write the question.")), Length(max=500)],
    )
    help = TextAreaField(
        _l("Help text (optional)"), filters=[_strip], validators=[Optional(), Length(max=2000)]
    )
    mandatory = BooleanField(_l("An answer is required"))
    options = TextAreaField(
        _l("Options, one per line"),
        validators=[Optional(), Length(max=9000)],
        description=_l("For one choice, several choices and rankings: at least two."),
    )
    max_choices = IntegerField(
        _l("Maximum number of choices"),
        validators=[Optional(), NumberRange(min=1, max=rules.MAX_OPTIONS)],
        description=_l("For several choices only."),
    )

    def option_list(self) -> list[str]:
        return rules.split_options(self.options.data or "")

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if not valid:
            return False
        kind = self.kind.data
        max_choices = self.max_choices.data if kind == "multiple" else None
        options = self.option_list() if kind in rules.CHOICE_KINDS else []
        if kind not in rules.CHOICE_KINDS and self.option_list():
            # Options typed for a kind that has none are dropped, not an error.
            self.options.data = ""
        for problem in rules.question_problems(kind, options, max_choices):
            field = self.max_choices if problem == "max_choices" else self.options
            field.errors = [*field.errors, QUESTION_PROBLEMS[problem]]
            valid = False
        return valid


class AnswerForm(FlaskForm):
    """The answer form's fixed part; the questions' fields are read by rules.read_answers."""

    language = SelectField(_l("Language of your written answers"), choices=[], validate_choice=True)


class ButtonForm(FlaskForm):
    """A POST button: only its CSRF token."""
