"""Review forms: appointing a reviewer, assigning, assessing, merging, the author's answer."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.fields import AmountField, IntegerField
from app.ids import MAX_ID

MAX_TEXT = 5_000


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class AppointForm(FlaskForm):
    email = EmailField(
        _l("E-mail address of the reviewer's account"),
        filters=[_strip],
        validators=[DataRequired(message=_l("Enter an e-mail address.")), Length(max=254)],
    )


class AssignForm(FlaskForm):
    # "" = nobody; otherwise a user id among the reviewers and the city's moderators.
    reviewer = SelectField(_l("Reviewer"), choices=[], validate_choice=True)


class AssessmentForm(FlaskForm):
    feasible = RadioField(
        _l("Is the proposal feasible?"),
        choices=[SelectChoice("yes", _l("Feasible")), SelectChoice("no", _l("Not feasible"))],
        validators=[InputRequired(message=_l("Say whether the proposal is feasible."))],
    )
    explanation = TextAreaField(
        _l("Explanation (public)"),
        filters=[_strip],
        validators=[Optional(), Length(max=MAX_TEXT)],
        description=_l(
            "Required when the proposal is not feasible: the author and everyone read it."
        ),
    )
    language = SelectField(_l("Language of the explanation"), choices=[], validate_choice=True)
    city_cost = AmountField(
        _l("The city's estimate of the cost"),
        validators=[Optional()],
        description=_l("The ballot uses this cost; the author's own stays visible beside it."),
    )
    eligible = RadioField(
        _l("Within the city's competences?"),
        choices=[
            SelectChoice("yes", _l("Yes")),
            SelectChoice("no", _l("No")),
            SelectChoice("unknown", _l("Not said")),
        ],
        default="unknown",
        validators=[InputRequired()],
    )
    budget_area = StringField(
        _l("Budget area"), filters=[_strip], validators=[Optional(), Length(max=120)]
    )
    note = TextAreaField(
        _l("Note on eligibility"), filters=[_strip], validators=[Optional(), Length(max=MAX_TEXT)]
    )


class MergeForm(FlaskForm):
    into = IntegerField(
        _l("Number of the proposal to merge it into"),
        validators=[
            InputRequired(message=_l("Enter a proposal number.")),
            # A number no proposal can have never reaches the database (app/ids.py).
            NumberRange(min=1, max=MAX_ID, message=_l("Enter a proposal number.")),
        ],
    )


class AnswerForm(FlaskForm):
    body = TextAreaField(
        _l("Your answer (public, only once)"),
        filters=[_strip],
        validators=[DataRequired(message=_l("Write your answer.")), Length(max=MAX_TEXT)],
    )
    language = SelectField(_l("Language of your answer"), choices=[], validate_choice=True)
