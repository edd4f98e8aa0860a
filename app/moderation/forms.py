"""Moderation forms. Labels are lazy: built at import time, translated per request."""

from __future__ import annotations

from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    RadioField,
    SelectField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.fields import IntegerField
from app.moderation.models import REPORT_CATEGORIES

MAX_REPORT_TEXT = 2_000
MAX_REASON = 1_000
MAX_THRESHOLD = 1_000
# Blocks longer than this are "until lifted": no absurd dates.
MAX_BLOCK_DAYS = 5 * 366

CATEGORY_LABELS = {
    "spam": _l("Spam or advertising"),
    "offensive": _l("Offensive, hateful or threatening"),
    "personal_data": _l("Personal data of someone"),
    "off_topic": _l("Off topic"),
    "other": _l("Something else"),
}

DURATION_LABELS = {
    "1": _l("One day"),
    "7": _l("One week"),
    "30": _l("30 days"),
    "90": _l("90 days"),
    "until": _l("Until a date"),
    "indefinite": _l("Until a moderator lifts it"),
}


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _reason(label, required: bool = True) -> TextAreaField:
    validators = [
        Length(max=MAX_REASON, message=_l("The reason can be at most %(max)d characters long."))
    ]
    if required:
        validators.insert(0, DataRequired(message=_l("Give the reason.")))
    else:
        validators.insert(0, Optional())
    return TextAreaField(label, filters=[_strip], validators=validators)


def _language(label) -> SelectField:
    return SelectField(
        label, validators=[InputRequired(message=_l("Choose the language you write in."))]
    )


class ReportForm(FlaskForm):
    category = RadioField(
        _l("What is wrong with it?"),
        choices=[SelectChoice(value, CATEGORY_LABELS[value]) for value in REPORT_CATEGORIES],
        validators=[InputRequired(message=_l("Choose what is wrong with it."))],
    )
    text = TextAreaField(
        _l("Anything the moderators should know (optional)"),
        filters=[_strip],
        validators=[
            Optional(),
            Length(
                max=MAX_REPORT_TEXT, message=_l("The text can be at most %(max)d characters long.")
            ),
        ],
    )
    language = _language(_l("Language of your text"))
    next = HiddenField()


class HideForm(FlaskForm):
    reason = _reason(_l("Reason, shown publicly in place of the text"))
    language = _language(_l("Language of the reason"))


class UnhideForm(FlaskForm):
    reason = _reason(_l("Why it can be shown again (kept in the audit log)"))


class DismissForm(FlaskForm):
    reason = _reason(_l("Note for the audit log (optional)"), required=False)


class ThresholdForm(FlaskForm):
    report_threshold = IntegerField(
        _l("Reports from different people that hide an item pending review"),
        validators=[
            InputRequired(message=_l("Give a number from 1 up.")),
            NumberRange(
                min=1, max=MAX_THRESHOLD, message=_l("Give a number from %(min)s to %(max)s.")
            ),
        ],
    )


class BlockForm(FlaskForm):
    reason = _reason(_l("Reason, shown to the person blocked"))
    language = _language(_l("Language of the reason"))
    duration = RadioField(
        _l("For how long"),
        choices=[SelectChoice(value, label) for value, label in DURATION_LABELS.items()],
        default="7",
        validators=[InputRequired(message=_l("Choose for how long."))],
    )
    until = DateField(
        _l("Last day of the block"),
        description=_l("Only when you chose “Until a date”."),
        validators=[Optional()],
    )
    everywhere = BooleanField(_l("Block in every city of the network"))

    def check_until(self, today: date) -> bool:
        if self.duration.data != "until":
            return True
        if self.until.data is None:
            self.until.errors = [*self.until.errors, _l("Give the last day of the block.")]
            return False
        if self.until.data < today:
            self.until.errors = [*self.until.errors, _l("The last day cannot be in the past.")]
            return False
        if self.until.data > today + timedelta(days=MAX_BLOCK_DAYS):
            self.until.errors = [
                *self.until.errors,
                _l("Choose a day within five years, or “Until a moderator lifts it”."),
            ]
            return False
        return True


class LiftForm(FlaskForm):
    reason = _reason(_l("Why the block ends early (kept in the audit log)"))
