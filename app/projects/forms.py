"""Forms of projects: the city's update of a project, and a milestone."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from app.fields import IntegerField
from app.i18n import content_language_choices
from app.notifications.services import PROJECT_STATUSES

# A project's status in words: the notifications (a lower feature) word it too, so the one
# list lives there.
STATUS_LABELS = PROJECT_STATUSES

# What the service's refusals (ProjectError.code) mean, for people.
REFUSALS = {
    "status": _l("Choose one of the statuses."),
    "progress": _l("The progress is a percentage from 0 to 100."),
    "dates": _l("The end date cannot come before the start date."),
    "reason": _l("Say why the project is cancelled."),
    "language": _l("Choose the language of the reason."),
    "length": _l("At most %(max)d characters.", max=5000),
    "milestone": _l("A milestone needs a date, a title and its language."),
}


class ProjectForm(FlaskForm):
    status = SelectField(
        _l("Status"),
        choices=[SelectChoice(value, label) for value, label in STATUS_LABELS.items()],
        validators=[InputRequired(message=_l("Choose a status."))],
    )
    progress = IntegerField(
        _l("Progress (percentage, 0 to 100)"),
        validators=[
            InputRequired(message=_l("Enter the progress, from 0 to 100.")),
            NumberRange(0, 100, message=_l("The progress is a percentage from 0 to 100.")),
        ],
        render_kw={"inputmode": "numeric", "autocomplete": "off"},
    )
    starts_on = DateField(_l("Starts on (optional)"), validators=[Optional()])
    ends_on = DateField(_l("Ends on (optional)"), validators=[Optional()])
    department = StringField(
        _l("Department responsible (optional)"),
        validators=[Length(max=200, message=_l("At most %(max)d characters."))],
    )
    reason = TextAreaField(
        _l("Reason (required when cancelled)"),
        validators=[Length(max=5000, message=_l("At most %(max)d characters."))],
        description=_l("Why the project is cancelled, or where it stands: published as written."),
    )
    reason_language = SelectField(_l("Language of the reason"), validate_choice=False)

    def fill_choices(self, locale: str) -> None:
        self.reason_language.choices = [
            SelectChoice(code, name) for code, name in content_language_choices(locale)
        ]

    def validate_ends_on(self, field: DateField) -> None:
        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError(REFUSALS["dates"])

    def validate_reason(self, field: TextAreaField) -> None:
        if self.status.data == "cancelled" and not (field.data or "").strip():
            raise ValidationError(REFUSALS["reason"])

    def validate_reason_language(self, field: SelectField) -> None:
        if (self.reason.data or "").strip() and field.data not in {
            choice.value for choice in field.choices
        }:
            raise ValidationError(REFUSALS["language"])


class MilestoneForm(FlaskForm):
    on = DateField(_l("Date"), validators=[InputRequired(message=_l("Enter a date."))])
    title = StringField(
        _l("Title"),
        validators=[
            InputRequired(message=_l("Enter a title for this milestone.")),
            Length(max=200, message=_l("At most %(max)d characters.")),
        ],
    )
    body = TextAreaField(
        _l("What happens (optional)"),
        validators=[Length(max=5000, message=_l("At most %(max)d characters."))],
    )
    language = SelectField(
        _l("Language of the title and text"),
        validators=[InputRequired(message=_l("Choose a language."))],
    )
    done = BooleanField(_l("Done"))

    def fill_choices(self, locale: str) -> None:
        self.language.choices = [
            SelectChoice(code, name) for code, name in content_language_choices(locale)
        ]
