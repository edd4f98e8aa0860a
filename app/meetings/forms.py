"""Forms of meetings: the organisers' meeting form, minutes, cancelling; a participant's
registration."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    DecimalField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from app.consultations.forms import MultiCheckboxField
from app.fields import IntegerField
from app.i18n import content_language_choices, language_name
from app.meetings.rules import LANGUAGE_CODE, is_https_url
from app.meetings.texts import MODE_LABELS

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"

STATE_LABELS = {
    "upcoming": _l("Upcoming"),
    "ongoing": _l("Happening now"),
    "past": _l("Past"),
    "cancelled": _l("Cancelled"),
}
STATUS_LABELS = {
    "registered": _l("Registered"),
    "waiting": _l("On the waiting list"),
    "cancelled": _l("Cancelled"),
}

# Sign languages (ISO 639-3) the CLDR does not name: interpretation into them is common.
SIGN_LANGUAGES = {
    "ise": _l("Italian Sign Language"),
    "fsl": _l("French Sign Language"),
    "gsg": _l("German Sign Language"),
    "ssp": _l("Spanish Sign Language"),
    "bfi": _l("British Sign Language"),
}


def meeting_language(code: str) -> str:
    """A meeting's language by name in the reader's locale: a sign language too."""
    if code in SIGN_LANGUAGES:
        return str(SIGN_LANGUAGES[code])
    return language_name(code)


# What the services' refusals (MeetingError.code) mean, for people.
REFUSALS = {
    "title": _l("Enter a title of at most 200 characters."),
    "language": _l("Choose a language."),
    "mode": _l("Choose how people take part: in person, online or hybrid."),
    "dates": _l("The meeting must end after it starts."),
    "dst_gap": _l(
        "This time does not exist in the city's time zone (the clocks move forward then): "
        "choose another time."
    ),
    "address": _l("Give the address: people come in person."),
    "online_url": _l("Give the online link, starting with https://"),
    "coordinates": _l(
        "Give both the latitude (-90 to 90) and the longitude (-180 to 180), or neither."
    ),
    "capacity": _l("The number of places is a whole number from 1 to 100000, or empty."),
    "languages": _l("Write language codes separated by commas, e.g. it, en, ise."),
    "length": _l("A text is too long."),
    "staff": _l("Choose people of the operators directory."),
    "step": _l("Choose a step of this city's pathway."),
    "cancelled": _l("This meeting is cancelled."),
    "past": _l("This meeting is over."),
    "closed": _l("Registration for this meeting is closed."),
    "sign_in": _l("Log in to register."),
    "confirm_email": _l("Confirm your e-mail address to register."),
    "not_resident": _l("This meeting is for residents of the city whose residence is confirmed."),
    "blocked": _l("You are blocked from taking part in this city's consultations."),
    "interpretation": _l("Choose one of the interpretation languages offered."),
    "needs": _l("At most %(max)d characters.", max=2000),
    "not_started": _l("This can be done once the meeting has started."),
    "minutes": _l("Write the minutes."),
    "no_consultation": _l("This meeting belongs to no consultation."),
    "proposal": _l("Choose proposals of this meeting's consultation."),
}


def _codes(text: str | None) -> list[str]:
    return [c.strip().lower() for c in (text or "").replace(";", ",").split(",") if c.strip()]


class MeetingForm(FlaskForm):
    step = SelectField(_l("Step of the pathway"), coerce=int, validate_choice=False)
    title = StringField(
        _l("Title"),
        validators=[
            InputRequired(message=_l("Enter a title.")),
            Length(max=200, message=_l("At most %(max)d characters.")),
        ],
    )
    description = TextAreaField(
        _l("What the meeting is about (optional)"),
        validators=[Length(max=5000, message=_l("At most %(max)d characters."))],
    )
    language = SelectField(
        _l("Language of the title and description"),
        validators=[InputRequired(message=_l("Choose a language."))],
    )
    mode = SelectField(
        _l("How people take part"),
        choices=[SelectChoice(value, label) for value, label in MODE_LABELS.items()],
        validators=[InputRequired(message=REFUSALS["mode"])],
    )
    starts_at = DateTimeLocalField(
        _l("Starts"),
        format=DATETIME_FORMAT,
        validators=[InputRequired(message=_l("Enter when the meeting starts."))],
    )
    ends_at = DateTimeLocalField(
        _l("Ends"),
        format=DATETIME_FORMAT,
        validators=[InputRequired(message=_l("Enter when the meeting ends."))],
    )
    address = StringField(
        _l("Address (in person and hybrid)"),
        validators=[Length(max=300, message=_l("At most %(max)d characters."))],
    )
    room = StringField(
        _l("Room (optional)"),
        validators=[Length(max=200, message=_l("At most %(max)d characters."))],
    )
    latitude = DecimalField(
        _l("Latitude (optional)"),
        places=6,
        validators=[
            Optional(),
            NumberRange(-90, 90, message=_l("The latitude is between -90 and 90.")),
        ],
        render_kw={"inputmode": "decimal", "autocomplete": "off"},
    )
    longitude = DecimalField(
        _l("Longitude (optional)"),
        places=6,
        validators=[
            Optional(),
            NumberRange(-180, 180, message=_l("The longitude is between -180 and 180.")),
        ],
        render_kw={"inputmode": "decimal", "autocomplete": "off"},
    )
    online_url = StringField(
        _l("Online link (online and hybrid)"),
        validators=[Length(max=500, message=_l("At most %(max)d characters."))],
        description=_l("Shown only to signed-in people."),
        render_kw={"inputmode": "url", "autocomplete": "off"},
    )
    accessibility = TextAreaField(
        _l("Accessibility (optional)"),
        validators=[Length(max=5000, message=_l("At most %(max)d characters."))],
        description=_l("Step-free access, hearing loop, childcare, quiet room…"),
    )
    languages = StringField(
        _l("Languages spoken (codes, separated by commas)"),
        description=_l("For example: it, en"),
    )
    interpretation = StringField(
        _l("Interpretation offered into (codes, separated by commas; optional)"),
        description=_l("For example: ar, ti, ise (Italian Sign Language)"),
    )
    capacity = IntegerField(
        _l("Places (empty: no limit)"),
        validators=[
            Optional(),
            NumberRange(1, 100_000, message=REFUSALS["capacity"]),
        ],
        render_kw={"inputmode": "numeric", "autocomplete": "off"},
    )
    registration_open = BooleanField(_l("Registration is open"), default=True)
    facilitators = MultiCheckboxField(_l("Facilitators"), coerce=int, validate_choice=False)
    interpreters = MultiCheckboxField(_l("Interpreters"), coerce=int, validate_choice=False)

    def fill_choices(self, locale: str, steps, operators) -> None:
        self.language.choices = [
            SelectChoice(code, name) for code, name in content_language_choices(locale)
        ]
        self.step.choices = [(step.id, label) for step, label in steps]
        choices = [(operator.id, operator.name) for operator in operators]
        self.facilitators.choices = choices
        self.interpreters.choices = choices

    def validate_language(self, field: SelectField) -> None:
        if field.data not in {choice.value for choice in field.choices}:
            raise ValidationError(_l("Choose a language."))

    def validate_step(self, field: SelectField) -> None:
        if field.data not in {value for value, _label in field.choices}:
            raise ValidationError(REFUSALS["step"])

    def validate_facilitators(self, field: MultiCheckboxField) -> None:
        known = {value for value, _label in field.choices}
        if any(value not in known for value in field.data or []):
            raise ValidationError(REFUSALS["staff"])

    def validate_interpreters(self, field: MultiCheckboxField) -> None:
        self.validate_facilitators(field)

    def validate_online_url(self, field: StringField) -> None:
        value = (field.data or "").strip()
        if value and not is_https_url(value):
            raise ValidationError(REFUSALS["online_url"])
        if not value and self.mode.data in ("online", "hybrid"):
            raise ValidationError(REFUSALS["online_url"])

    def validate_address(self, field: StringField) -> None:
        if not (field.data or "").strip() and self.mode.data in ("in_person", "hybrid"):
            raise ValidationError(REFUSALS["address"])

    def validate_longitude(self, field: DecimalField) -> None:
        if (field.data is None) != (self.latitude.data is None) and not (
            self.latitude.errors or field.errors
        ):
            raise ValidationError(REFUSALS["coordinates"])

    def validate_ends_at(self, field: DateTimeLocalField) -> None:
        if field.data and self.starts_at.data and field.data <= self.starts_at.data:
            raise ValidationError(REFUSALS["dates"])

    def validate_languages(self, field: StringField) -> None:
        if any(not LANGUAGE_CODE.match(code) for code in _codes(field.data)):
            raise ValidationError(REFUSALS["languages"])

    def validate_interpretation(self, field: StringField) -> None:
        self.validate_languages(field)

    def language_codes(self) -> list[str]:
        return _codes(self.languages.data)

    def interpretation_codes(self) -> list[str]:
        return _codes(self.interpretation.data)


class RegisterForm(FlaskForm):
    interpretation = SelectField(_l("Interpretation I need (optional)"), validate_choice=False)
    needs = TextAreaField(
        _l("Anything the organisers should know (optional)"),
        validators=[Length(max=2000, message=_l("At most %(max)d characters."))],
        description=_l("Access needs, childcare…: seen only by the organisers."),
    )

    def fill_choices(self, meeting, names) -> None:
        self.interpretation.choices = [SelectChoice("", _l("None"))] + [
            SelectChoice(code, names(code)) for code in meeting.interpretation
        ]

    def validate_interpretation(self, field: SelectField) -> None:
        if field.data and field.data not in {c.value for c in field.choices}:
            raise ValidationError(REFUSALS["interpretation"])


class CancelForm(FlaskForm):
    reason = TextAreaField(
        _l("Why (optional; written in the audit log)"),
        validators=[Length(max=500, message=_l("At most %(max)d characters."))],
    )


class MinutesForm(FlaskForm):
    minutes = TextAreaField(
        _l("Minutes"),
        validators=[
            InputRequired(message=REFUSALS["minutes"]),
            Length(max=20000, message=_l("At most %(max)d characters.")),
        ],
    )
    outcomes = TextAreaField(
        _l("Outcomes (optional)"),
        validators=[Length(max=20000, message=_l("At most %(max)d characters."))],
        description=_l("What was decided or asked for, what happens next."),
    )
    language = SelectField(
        _l("Language of the minutes"),
        validators=[InputRequired(message=_l("Choose a language."))],
    )

    def fill_choices(self, locale: str) -> None:
        self.language.choices = [
            SelectChoice(code, name) for code, name in content_language_choices(locale)
        ]

    def validate_language(self, field: SelectField) -> None:
        if field.data not in {choice.value for choice in field.choices}:
            raise ValidationError(_l("Choose a language."))


class ActionForm(FlaskForm):
    """A POST button's form: its CSRF token only (attendance and proposals read their boxes
    from the request)."""
