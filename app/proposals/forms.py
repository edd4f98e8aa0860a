"""Proposal and comment forms. Labels are lazy: built at import time, translated per request."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from app.fields import AmountField
from app.ids import IdField
from app.proposals.models import ALIGNMENTS

MAX_TITLE = 200
MAX_BODY = 20_000
MAX_CATEGORY = 60
MAX_COMMENT = 5_000

ALIGNMENT_LABELS = {
    "for": _l("For"),
    "against": _l("Against"),
    "neutral": _l("Neutral"),
}


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class ProposalForm(FlaskForm):
    title = StringField(
        _l("Title"),
        filters=[_strip],
        validators=[
            DataRequired(message=_l("Give your proposal a title.")),
            Length(max=MAX_TITLE, message=_l("The title can be at most %(max)d characters long.")),
        ],
    )
    body = TextAreaField(
        _l("Your proposal"),
        description=_l(
            "Say what you propose and why. You can use Markdown: **bold**, *italics*, lists, "
            "links and quotes."
        ),
        filters=[_strip],
        validators=[
            DataRequired(message=_l("Describe your proposal.")),
            Length(max=MAX_BODY, message=_l("The text can be at most %(max)d characters long.")),
        ],
    )
    category = StringField(
        _l("Category (optional)"),
        description=_l("Choose one already used or write a new one."),
        filters=[_strip],
        validators=[
            Optional(),
            Length(
                max=MAX_CATEGORY, message=_l("The category can be at most %(max)d characters long.")
            ),
        ],
    )
    cost = AmountField(_l("Estimated cost"))
    language = SelectField(
        _l("Language of your proposal"),
        validators=[InputRequired(message=_l("Choose the language you write in."))],
    )
    organisation = SelectField(_l("Post as"), coerce=int, default=0)

    def check_cost(self, consultation) -> bool:
        """Budget consultations need a cost within the budget; others have no cost field."""
        if consultation.voting_method != "budget" or self.cost.errors:
            return True
        if self.cost.data is None:
            self.cost.errors.append(_l("Give the estimated cost of your proposal."))
            return False
        if self.cost.data > (consultation.budget_amount or 0):
            self.cost.errors.append(_l("The cost cannot be more than the whole budget."))
            return False
        return True


def _comment_body() -> TextAreaField:
    return TextAreaField(
        _l("Your comment"),
        filters=[_strip],
        validators=[
            DataRequired(message=_l("Write your comment.")),
            Length(
                max=MAX_COMMENT, message=_l("A comment can be at most %(max)d characters long.")
            ),
        ],
    )


class CommentForm(FlaskForm):
    body = _comment_body()
    alignment = RadioField(
        _l("Your position on the proposal"),
        choices=[SelectChoice(value, ALIGNMENT_LABELS[value]) for value in ALIGNMENTS],
        default="neutral",
        validators=[InputRequired(message=_l("Say whether you are for, against or neutral."))],
    )
    language = SelectField(
        _l("Language of your comment"),
        validators=[InputRequired(message=_l("Choose the language you write in."))],
    )
    organisation = SelectField(_l("Comment as"), coerce=int, default=0)
    parent_id = IdField()


class CommentEditForm(FlaskForm):
    body = _comment_body()
    language = SelectField(
        _l("Language of your comment"),
        validators=[InputRequired(message=_l("Choose the language you write in."))],
    )


class ButtonForm(FlaskForm):
    """A POST button (withdraw, follow…): the form only carries the CSRF token."""
