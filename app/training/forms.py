"""Forms of the training courses. The association writes every text in the six interface
locales: one field per locale, all required."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, Field, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from app.config import LOCALES
from app.fields import IntegerField
from app.i18n import language_name, text_direction
from app.training.models import MAX_MODULE_MINUTES

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
RESERVED_SLUGS = frozenset({"new"})


def _text_attrs(locale: str) -> dict[str, str]:
    return {"lang": locale, "dir": text_direction(locale)}


def _localized_fields(specs: dict[str, tuple]) -> dict[str, Field]:
    """`title_it`, `title_en`… one field per interface locale for each
    (label(language), field class, maximum length, message(language))."""
    fields: dict[str, Field] = {}
    for locale in LOCALES:
        # Named in the reader's locale when the form is shown ("Titolo in arabo").
        language = LazyString(language_name, locale)
        for name, (label, kind, maximum, message) in specs.items():
            fields[f"{name}_{locale}"] = kind(
                label(language),
                validators=[
                    InputRequired(message=message(language)),
                    Length(max=maximum, message=_l("At most %(max)d characters.")),
                ],
                render_kw=_text_attrs(locale),
            )
    return fields


def _title_label(language: str):
    return _l("Title in %(language)s", language=language)


def _title_missing(language: str):
    return _l("Enter the title in %(language)s.", language=language)


class LocalizedTextsMixin:
    TEXT_FIELDS: tuple[str, ...] = ()

    def texts(self) -> dict[str, dict[str, str]]:
        """{locale: {field: value}} from the submitted fields."""
        return {
            locale: {name: self[f"{name}_{locale}"].data for name in self.TEXT_FIELDS}
            for locale in LOCALES
        }

    def fill_texts(self, texts) -> None:
        for text in texts:
            if text.locale in LOCALES:
                for name in self.TEXT_FIELDS:
                    self[f"{name}_{text.locale}"].data = getattr(text, name)


def http_url(form: FlaskForm, field: StringField) -> None:
    """Only http(s) links with a host: no javascript:, data: or relative addresses."""
    if not field.data:
        return
    field.data = field.data.strip()
    parts = urlsplit(field.data)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or " " in field.data:
        raise ValidationError(_l("Enter a web address that starts with http:// or https://."))


class _CourseFields(LocalizedTextsMixin, FlaskForm):
    TEXT_FIELDS = ("title", "summary")

    published = BooleanField(
        _l("Published: municipal staff can see and follow this course"),
    )


CourseFormBase = type(
    "CourseFormBase",
    (_CourseFields,),
    _localized_fields(
        {
            "title": (_title_label, StringField, 200, _title_missing),
            "summary": (
                lambda language: _l("Summary in %(language)s", language=language),
                TextAreaField,
                5000,
                lambda language: _l("Enter the summary in %(language)s.", language=language),
            ),
        }
    ),
)


class CourseForm(CourseFormBase):
    slug = StringField(
        _l("Short name in addresses"),
        description=_l(
            "Lowercase letters, digits and hyphens, for example multilingual-consultations. "
            "It cannot be changed later."
        ),
        validators=[
            InputRequired(message=_l("Enter a short name for the course's address.")),
            Length(max=80, message=_l("At most %(max)d characters.")),
        ],
    )

    def validate_slug(self, field: StringField) -> None:
        field.data = (field.data or "").strip()
        if not SLUG_PATTERN.match(field.data) or field.data in RESERVED_SLUGS:
            raise ValidationError(
                _l(
                    "Use only lowercase letters, digits and hyphens (no hyphen at the start "
                    "or the end)."
                )
            )


class CourseEditForm(CourseFormBase):
    """The slug stays: the step records name the course by it."""


class _ModuleFields(LocalizedTextsMixin, FlaskForm):
    TEXT_FIELDS = ("title", "body")

    position = IntegerField(
        _l("Position in the course"),
        description=_l("1 for the first module. Leave empty to keep it (or add it at the end)."),
        validators=[
            Optional(),
            NumberRange(min=1, max=1000, message=_l("Enter a position of 1 or more.")),
        ],
    )
    estimated_minutes = IntegerField(
        _l("Estimated time in minutes"),
        validators=[
            InputRequired(message=_l("Enter the estimated time in minutes.")),
            NumberRange(
                min=1,
                max=MAX_MODULE_MINUTES,
                message=_l("Enter a time between %(min)s and %(max)s minutes."),
            ),
        ],
    )
    link_url = StringField(
        _l("Link to the material (optional)"),
        description=_l("A web address starting with https://, for a video, a guide or slides."),
        validators=[
            Optional(),
            Length(max=500, message=_l("At most %(max)d characters.")),
            http_url,
        ],
    )


ModuleForm = type(
    "ModuleForm",
    (_ModuleFields,),
    _localized_fields(
        {
            "title": (_title_label, StringField, 200, _title_missing),
            "body": (
                lambda language: _l("Content in %(language)s", language=language),
                TextAreaField,
                10000,
                lambda language: _l("Enter the content in %(language)s.", language=language),
            ),
        }
    ),
)
