"""The audit log's filters: a GET form, no CSRF (it changes nothing)."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional, ValidationError

from app.audit.labels import action_choices

FIRST_YEAR = 2000
LAST_YEAR = 2100


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False

    city = SelectField(_l("City"), default="")
    action = SelectField(_l("Action"), default="")
    actor = SelectField(_l("Who"), default="")
    since = DateField(_l("From"), validators=[Optional()])
    until = DateField(_l("Until"), validators=[Optional()])

    def fill_choices(
        self, *, cities: list[tuple[str, str]] | None, actors: list[tuple[int, str]]
    ) -> None:
        if cities is None:
            del self.city
        else:
            self.city.choices = [
                SelectChoice("", _l("All cities")),
                *(SelectChoice(slug, name) for slug, name in cities),
            ]
        self.action.choices = [
            SelectChoice("", _l("All actions")),
            *(SelectChoice(code, label) for code, label in action_choices()),
        ]
        self.actor.choices = [
            SelectChoice("", _l("Anyone")),
            SelectChoice("system", _l("The platform (automatic)")),
            *(SelectChoice(str(user_id), name) for user_id, name in actors),
        ]

    @staticmethod
    def _sensible(field) -> None:
        value: date | None = field.data
        if value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR:
            raise ValidationError(
                _l("Give a date between %(first)s and %(last)s.", first=FIRST_YEAR, last=LAST_YEAR)
            )

    def validate_since(self, field) -> None:
        self._sensible(field)

    def validate_until(self, field) -> None:
        self._sensible(field)
        if field.data and self.since.data and field.data < self.since.data:
            raise ValidationError(_l("The end date comes before the start date."))
