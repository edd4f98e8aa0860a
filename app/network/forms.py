"""Forms of the association's network administration and of the pathway matrix.

Labels are lazy (built at import time, translated per request); the choices that depend on the
reader's locale (countries, languages) are filled in per request by `fill_choices`.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

import sqlalchemy as sa
from flask_babel import format_percent, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    Field,
    FieldList,
    Form,
    FormField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)
from wtforms.widgets import TextInput

from app.cities.models import MEMBERSHIP_STATUSES, City
from app.extensions import db
from app.fields import IntegerField
from app.i18n import content_language_choices, language_name
from app.network.services import (
    MAX_SHARE_PLACES,
    RESERVED_SLUGS,
    country_choices,
    is_known_country,
    is_known_timezone,
    timezone_choices,
)

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"

MEMBERSHIP_LABELS = {
    "candidate": _l("Candidate city"),
    "member": _l("Member city"),
    "suspended": _l("Membership suspended"),
    "left": _l("Former member"),
}

SORT_LABELS = {
    "progress": _l("Progress (most advanced first)"),
    "name": _l("Name"),
}


def membership_label(status: str | None) -> str:
    return str(MEMBERSHIP_LABELS.get(status or "", status or ""))


class WholeNumberField(IntegerField):
    def process_formdata(self, valuelist) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(_("Enter the population as a whole number.")) from error


class CityDetailsForm(FlaskForm):
    """A city's own data (membership status excepted: it changes with a reason)."""

    name = StringField(
        _l("Name of the city"),
        validators=[InputRequired(message=_l("Enter the name of the city.")), Length(max=120)],
    )
    slug = StringField(
        _l("Short name in addresses"),
        description=_l("Lowercase letters, digits and hyphens, for example reggio-emilia."),
        validators=[
            InputRequired(message=_l("Enter a short name for the city's addresses.")),
            Length(max=80),
            Regexp(
                SLUG_PATTERN,
                message=_l(
                    "Use only lowercase letters, digits and hyphens (no hyphen at the start "
                    "or the end)."
                ),
            ),
        ],
    )
    # Country and time zone are checked against the full lists by their own validators.
    country = SelectField(
        _l("Country"),
        validate_choice=False,
        validators=[InputRequired(message=_l("Choose the country."))],
    )
    region = StringField(_l("Region"), validators=[Optional(), Length(max=120)])
    timezone = SelectField(_l("Time zone"), validate_choice=False)
    population = WholeNumberField(
        _l("Population"),
        validators=[
            Optional(),
            NumberRange(min=0, message=_l("The population can't be negative.")),
            NumberRange(
                max=100_000_000,
                message=_l("No city has that many residents: check the population."),
            ),
        ],
    )

    def __init__(self, *args, city: City | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.city = city
        self.fill_choices()

    def fill_choices(self) -> None:
        locale = str(get_locale())
        self.country.choices = [
            SelectChoice("", _l("Choose a country")),
            *(SelectChoice(code, name) for code, name in country_choices(locale)),
        ]
        default_zone = [] if self.city else [SelectChoice("", _l("The country's main time zone"))]
        self.timezone.choices = [
            *default_zone,
            *(SelectChoice(zone, zone) for zone in timezone_choices()),
        ]

    def validate_slug(self, field) -> None:
        slug = field.data or ""
        if slug in RESERVED_SLUGS:
            raise ValidationError(_("This short name is reserved: choose another one."))
        query = sa.select(City.id).where(City.slug == slug)
        if self.city is not None:
            query = query.where(City.id != self.city.id)
        if db.session.scalar(query) is not None:
            raise ValidationError(_("Another city already uses this short name."))

    def validate_country(self, field) -> None:
        if not is_known_country(field.data or ""):
            raise ValidationError(_("Choose a country from the list."))

    def validate_timezone(self, field) -> None:
        if not field.data and self.city is None:
            return  # the country's main zone, chosen by the service
        if not is_known_timezone(field.data or ""):
            raise ValidationError(_("Choose a time zone from the list."))


class NewCityForm(CityDetailsForm):
    membership_status = SelectField(
        _l("Membership status"),
        choices=[SelectChoice(value, label) for value, label in MEMBERSHIP_LABELS.items()],
        default="candidate",
        validators=[InputRequired(message=_l("Choose a membership status."))],
    )


class MembershipForm(FlaskForm):
    status = SelectField(
        _l("New membership status"),
        choices=[SelectChoice(value, label) for value, label in MEMBERSHIP_LABELS.items()],
        validators=[InputRequired(message=_l("Choose a membership status."))],
    )
    reason = TextAreaField(
        _l("Reason for the change"),
        description=_l("It is kept in the city's history, for example the council's decision."),
        validators=[
            InputRequired(message=_l("Give the reason for the change.")),
            Length(max=2000),
        ],
    )
    reason_language = SelectField(_l("Language of the reason"))

    def __init__(self, *args, city: City, **kwargs):
        super().__init__(*args, **kwargs)
        self.city = city
        self.reason_language.choices = [
            SelectChoice(code, name) for code, name in content_language_choices(str(get_locale()))
        ]

    def validate_status(self, field) -> None:
        if field.data == self.city.membership_status:
            raise ValidationError(
                _(
                    "The city's status is already “%(status)s”: choose another one.",
                    status=membership_label(field.data),
                )
            )

    def validate_reason(self, field) -> None:
        if not (field.data or "").strip():
            raise ValidationError(_("Give the reason for the change."))


class ShareField(Field):
    """A share of the population in percent: 0 to 100, at most two decimals, "," or "."."""

    widget = TextInput()

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("render_kw", {"inputmode": "decimal", "size": 7})
        super().__init__(label, validators, **kwargs)

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else format(self.data.normalize(), "f")

    def process_formdata(self, valuelist) -> None:
        self.data = None
        if not valuelist:
            return
        text = (valuelist[0] or "").strip().rstrip("%").strip().replace(" ", "")
        if not text:
            return
        if re.fullmatch(r"\d+(?:[.,]\d+)?", text) is None:
            raise ValueError(_("Enter the share as a number, like 12.5."))
        try:
            self.data = Decimal(text.replace(",", "."))
        except InvalidOperation as error:
            raise ValueError(_("Enter the share as a number, like 12.5.")) from error


class LanguageShareForm(Form):
    """One row of the language map; a row left empty is ignored."""

    language = SelectField(_l("Language"), validate_choice=False)
    share = ShareField(_l("Share of the population in percent"))
    remove = BooleanField(_l("Remove"))


class LanguagesForm(FlaskForm):
    rows = FieldList(FormField(LanguageShareForm), min_entries=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.summary: list[tuple[str, str]] = []  # (field id, message) for the error summary

    def fill_choices(self) -> None:
        choices = [
            SelectChoice("", _l("Choose a language")),
            *(
                SelectChoice(code, name)
                for code, name in content_language_choices(str(get_locale()))
            ),
        ]
        for row in self.rows:
            row.language.choices = choices

    def add_blank_rows(self, count: int) -> None:
        for _index in range(count):
            self.rows.append_entry()
        self.fill_choices()

    def shares(self) -> dict[str, Decimal]:
        """The map to save: language → share, rows marked for removal and blank rows left out."""
        return {
            row.language.data: row.share.data
            for row in self.rows
            if not row.remove.data and row.language.data and row.share.data is not None
        }

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        known = {code for code, _name in content_language_choices("en")}
        seen: set[str] = set()
        total = Decimal(0)
        for row in self.rows:
            if row.remove.data:
                continue
            code, share = row.language.data, row.share.data
            if row.share.errors:
                continue
            if not code and share is None:
                continue
            if not code:
                row.language.errors.append(_("Choose the language of this share."))
                continue
            if code not in known:
                row.language.errors.append(_("Choose a language from the list."))
                continue
            name = language_name(code)
            if code in seen:
                row.language.errors.append(
                    _("%(language)s is listed twice: keep one row per language.", language=name)
                )
            seen.add(code)
            if share is None:
                row.share.errors.append(_("Enter the share of %(language)s.", language=name))
                continue
            if share < 0 or share > 100:
                row.share.errors.append(_("Enter a share between 0 and 100."))
                continue
            if -share.as_tuple().exponent > MAX_SHARE_PLACES and share != share.quantize(
                Decimal("0.01")
            ):
                row.share.errors.append(_("Use at most two decimals."))
                continue
            total += share
        self.summary = [
            (field.id, message)
            for row in self.rows
            for field in (row.language, row.share)
            for message in field.errors
        ]
        if total > 100:
            self.summary.append(
                (
                    self.rows[0].share.id,
                    _(
                        "The shares add up to %(total)s, more than %(limit)s of the population.",
                        total=format_percent(total / 100, "#,##0.##%"),
                        limit=format_percent(1, "#,##0%"),
                    ),
                )
            )
        return valid and not self.summary


class AppointModeratorForm(FlaskForm):
    email = EmailField(
        _l("E-mail address of the account"),
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
        validators=[
            InputRequired(message=_l("Enter the e-mail address of the account to appoint.")),
            Length(max=254),
            Email(
                message=_l("Enter a valid e-mail address, like name@example.org."),
                check_deliverability=False,
            ),
        ],
    )


class MatrixFilterForm(FlaskForm):
    """The matrix's filters: a GET form, no CSRF (it changes nothing)."""

    class Meta:
        csrf = False

    country = SelectField(_l("Country"), default="")
    status = SelectField(_l("Membership status"), default="")
    sort = SelectField(
        _l("Sort by"),
        choices=[SelectChoice(value, label) for value, label in SORT_LABELS.items()],
        default="progress",
    )

    def fill_choices(self, countries: list[tuple[str, str]]) -> None:
        self.country.choices = [
            SelectChoice("", _l("All countries")),
            *(SelectChoice(code, name) for code, name in countries),
        ]
        self.status.choices = [
            SelectChoice("", _l("All statuses")),
            *(SelectChoice(value, MEMBERSHIP_LABELS[value]) for value in MEMBERSHIP_STATUSES),
        ]
