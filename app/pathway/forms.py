"""Forms of the step records, the pathway template and tailored pathways.

Labels are lazy (built at import time, translated per request); choices that depend on the
reader's locale or on the city are filled in per request.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    Optional,
    Regexp,
    ValidationError,
)

from app.config import LOCALES
from app.i18n import content_language_choices, text_direction
from app.ids import IdField
from app.pathway.models import SUB_STEP_STATUSES

KEY_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"


def strip(value):
    return value.strip() if isinstance(value, str) else value


ENTRY_KIND_LABELS = {
    "note": _l("Note"),
    "decision": _l("Decision"),
    "evidence": _l("Evidence"),
}

SUB_STEP_STATUS_LABELS = {
    "not_started": _l("Not started"),
    "in_progress": _l("In progress"),
    "completed": _l("Completed"),
}


class HttpUrl:
    """Only http(s) addresses with a host: no javascript:, no file:, no spaces."""

    message = _l("Enter a web address starting with https:// or http://.")

    def __call__(self, form: FlaskForm, field) -> None:
        value = (field.data or "").strip()
        if not value:
            return
        try:
            parts = urlsplit(value)
        except ValueError as error:
            raise ValidationError(str(self.message)) from error
        if (
            parts.scheme not in ("http", "https")
            or not parts.hostname
            or any(c.isspace() for c in value)
        ):
            raise ValidationError(str(self.message))
        field.data = value


def _language_choices() -> list[SelectChoice]:
    return [SelectChoice(code, name) for code, name in content_language_choices(str(get_locale()))]


class RecordEntryForm(FlaskForm):
    """A note, decision or evidence added to a step's record, or a correction of an entry."""

    kind = SelectField(
        _l("Kind of entry"),
        choices=[SelectChoice(value, label) for value, label in ENTRY_KIND_LABELS.items()],
        validators=[InputRequired(message=_l("Choose the kind of entry."))],
    )
    title = StringField(
        _l("Title"),
        filters=[strip],
        validators=[
            DataRequired(message=_l("Give the entry a title.")),
            Length(max=200, message=_l("At most %(max)d characters.")),
        ],
    )
    body = TextAreaField(
        _l("Text"),
        filters=[strip],
        validators=[Optional(), Length(max=10000, message=_l("At most %(max)d characters."))],
        render_kw={"rows": 5},
    )
    language = SelectField(
        _l("Language of the title and text"),
        validators=[InputRequired(message=_l("Choose the language you wrote in."))],
    )
    link_url = StringField(
        _l("Link (optional)"),
        filters=[strip],
        description=_l("A web address, for example the published council resolution."),
        validators=[
            Optional(),
            Length(max=500, message=_l("At most %(max)d characters.")),
            HttpUrl(),
        ],
        render_kw={"inputmode": "url", "autocomplete": "url"},
    )
    file_reference = StringField(
        _l("File reference (optional)"),
        filters=[strip],
        description=_l("Where the document is kept, for example a protocol number."),
        validators=[Optional(), Length(max=200, message=_l("At most %(max)d characters."))],
    )
    corrects_id = IdField(_l("Entry corrected"))

    def fill_choices(self, default_language: str) -> None:
        self.language.choices = _language_choices()
        if not self.language.data:
            self.language.data = default_language

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if (
            self.kind.data == "evidence"
            and not (self.link_url.data or "").strip()
            and not (self.file_reference.data or "").strip()
        ):
            self.link_url.errors = [
                *self.link_url.errors,
                str(_l("Evidence needs a link or a file reference.")),
            ]
            return False
        return valid


def _texts_form() -> type[FlaskForm]:
    """A step's title, description and guidance in each interface locale (titles required)."""

    class StepTextsForm(FlaskForm):
        def texts(self) -> dict[str, dict[str, str]]:
            return {
                code: {
                    "title": self[f"title_{code}"].data or "",
                    "description": self[f"description_{code}"].data or "",
                    "guidance": self[f"guidance_{code}"].data or "",
                }
                for code in LOCALES
            }

        def fill_from(self, step) -> None:
            by_locale = {text.locale: text for text in step.texts}
            for code in LOCALES:
                text = by_locale.get(code)
                if text is not None:
                    self[f"title_{code}"].data = text.title
                    self[f"description_{code}"].data = text.description
                    self[f"guidance_{code}"].data = text.guidance

    for code in LOCALES:
        setattr(
            StepTextsForm,
            f"title_{code}",
            StringField(
                _l("Title"),
                filters=[strip],
                validators=[
                    DataRequired(message=_l("Enter the title of the step in this language.")),
                    Length(max=200, message=_l("At most %(max)d characters.")),
                ],
                render_kw={"lang": code, "dir": text_direction(code)},
            ),
        )
        setattr(
            StepTextsForm,
            f"description_{code}",
            TextAreaField(
                _l("Description"),
                filters=[strip],
                validators=[
                    Optional(),
                    Length(max=5000, message=_l("At most %(max)d characters.")),
                ],
                render_kw={"lang": code, "dir": text_direction(code), "rows": 3},
            ),
        )
        setattr(
            StepTextsForm,
            f"guidance_{code}",
            TextAreaField(
                _l("Guidance"),
                filters=[strip],
                validators=[
                    Optional(),
                    Length(max=5000, message=_l("At most %(max)d characters.")),
                ],
                render_kw={"lang": code, "dir": text_direction(code), "rows": 4},
            ),
        )
    return StepTextsForm


StepTextsForm = _texts_form()


class NewStepForm(StepTextsForm):
    key = StringField(
        _l("Key"),
        filters=[strip],
        description=_l(
            "A short name in lower-case letters, digits and hyphens, for example "
            "“local-champions”. It never changes."
        ),
        validators=[
            DataRequired(message=_l("Enter a key for the step.")),
            Length(max=40, message=_l("At most %(max)d characters.")),
            Regexp(
                KEY_PATTERN,
                message=_l("Use lower-case letters, digits and hyphens only."),
            ),
        ],
    )


class MoveForm(FlaskForm):
    """Move a step or a sub-step up or down (the buttons send `direction`)."""

    item = IdField(validators=[InputRequired(message=_l("Choose what to move."))])
    direction = SelectField(
        _l("Direction"),
        choices=[SelectChoice("up", _l("Move up")), SelectChoice("down", _l("Move down"))],
        validators=[InputRequired(message=_l("Choose a direction."))],
    )

    def item_id(self) -> int | None:
        return self.item.data


class RetireForm(FlaskForm):
    """A bare POST button (the CSRF token is all it carries)."""


class SubStepForm(FlaskForm):
    title = StringField(
        _l("Title"),
        filters=[strip],
        validators=[
            DataRequired(message=_l("Give the sub-step a title.")),
            Length(max=200, message=_l("At most %(max)d characters.")),
        ],
    )
    description = TextAreaField(
        _l("Description"),
        filters=[strip],
        validators=[Optional(), Length(max=5000, message=_l("At most %(max)d characters."))],
        render_kw={"rows": 4},
    )
    experts = TextAreaField(
        _l("The city's experts"),
        filters=[strip],
        description=_l("Name the people who carry this sub-step, with their role and institution."),
        validators=[Optional(), Length(max=2000, message=_l("At most %(max)d characters."))],
        render_kw={"rows": 3},
    )
    language = SelectField(
        _l("Language of the title, description and experts"),
        validators=[InputRequired(message=_l("Choose the language you wrote in."))],
    )

    def fill_choices(self, default_language: str) -> None:
        self.language.choices = _language_choices()
        if not self.language.data:
            self.language.data = default_language


class NewSubStepForm(SubStepForm):
    city_step = SelectField(
        _l("Under which step"),
        coerce=int,
        validators=[InputRequired(message=_l("Choose the step this sub-step belongs to."))],
    )

    def fill_steps(self, city_steps, locale: str) -> None:
        choices = []
        for city_step in city_steps:
            text = city_step.step.text(locale)
            title = text.title if text else city_step.step.key
            choices.append(SelectChoice(city_step.id, f"{city_step.step.position}. {title}"))
        self.city_step.choices = choices


class SubStepStatusForm(FlaskForm):
    status = SelectField(
        _l("Status of this sub-step"),
        choices=[SelectChoice(value, SUB_STEP_STATUS_LABELS[value]) for value in SUB_STEP_STATUSES],
        validators=[InputRequired(message=_l("Choose a status."))],
    )
