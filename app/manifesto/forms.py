"""Manifesto forms. Labels are lazy: built at import time, translated per request."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlsplit

from flask_babel import LazyString, format_date
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from app.config import LOCALES
from app.fields import IntegerField
from app.i18n import language_name, text_direction
from app.manifesto.models import EARLIEST_SIGNATURE


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


class HttpUrl:
    """Only web links: http or https, with a host."""

    def __call__(self, form, field) -> None:
        if not field.data:
            return
        parts = urlsplit(field.data.strip())
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValidationError(_l("Enter a web address starting with https:// or http://."))


class ManifestoVersionForm(FlaskForm):
    """A new version: a title and a body in every interface locale, and a change note.

    The per-locale fields (title_it, body_it, …) are added below, one pair per locale.
    """

    change_note = StringField(
        _l("What changed in this version"),
        filters=[_strip],
        validators=[
            DataRequired(message=_l("Say in a sentence what changed in this version.")),
            Length(max=300),
        ],
        description=_l("A short sentence, shown in the list of versions."),
    )
    change_note_language = SelectField(
        _l("Language of this sentence"),
        validators=[InputRequired(message=_l("Choose the language of the sentence."))],
    )

    def texts(self) -> dict[str, tuple[str, str]]:
        return {
            locale: (self[f"title_{locale}"].data, self[f"body_{locale}"].data)
            for locale in LOCALES
        }

    def fill(self, version) -> None:
        """Start from the texts of `version` (the current one)."""
        for text in version.texts if version is not None else []:
            if text.locale in LOCALES:
                self[f"title_{text.locale}"].data = text.title
                self[f"body_{text.locale}"].data = text.body

    def locale_fields(self) -> list[tuple[str, object, object]]:
        return [(locale, self[f"title_{locale}"], self[f"body_{locale}"]) for locale in LOCALES]


for _locale in LOCALES:
    _attributes = {"lang": _locale, "dir": text_direction(_locale)}
    # The language's name in the reader's locale, looked up when the label is shown.
    _language = LazyString(language_name, _locale)
    setattr(
        ManifestoVersionForm,
        f"title_{_locale}",
        StringField(
            _l("Title in %(language)s", language=_language),
            filters=[_strip],
            validators=[DataRequired(message=_l("Enter the title.")), Length(max=200)],
            render_kw=_attributes,
        ),
    )
    setattr(
        ManifestoVersionForm,
        f"body_{_locale}",
        TextAreaField(
            _l("Text in %(language)s", language=_language),
            filters=[_strip],
            validators=[DataRequired(message=_l("Enter the text of the Manifesto."))],
            description=_l("Plain text. Leave an empty line between paragraphs."),
            render_kw={**_attributes, "rows": 14},
        ),
    )


class SignatureForm(FlaskForm):
    """A city's signature of one version of the Manifesto."""

    version = SelectField(
        _l("Version of the Manifesto"),
        coerce=int,
        validate_choice=False,
        validators=[InputRequired(message=_l("Choose the version the city signed."))],
    )
    signed_on = DateField(
        _l("Date of signature"),
        validators=[InputRequired(message=_l("Enter the date of the signature."))],
        format="%Y-%m-%d",
    )
    council_resolution = StringField(
        _l("Council resolution"),
        filters=[_strip],
        validators=[
            DataRequired(message=_l("Enter the reference of the council resolution.")),
            Length(max=200),
        ],
        description=_l("Its reference, as in the council's records, e.g. “Resolution 45/2024”."),
    )
    document_url = URLField(
        _l("Link to the document (optional)"),
        filters=[_strip],
        validators=[Optional(), Length(max=500), HttpUrl()],
        description=_l("Where the resolution or the signed Manifesto can be read online."),
    )

    def __init__(self, *args, versions=(), today: date, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.known_versions = {version.number: version for version in versions}
        self.version.choices = [
            (version.number, _l("Version %(number)s", number=version.number))
            for version in versions
        ]
        self.today = today

    def validate_version(self, field) -> None:
        if field.data not in self.known_versions:
            raise ValidationError(_l("This version of the Manifesto does not exist."))

    def validate_signed_on(self, field) -> None:
        signed_on = field.data
        if signed_on is None:
            return
        if signed_on > self.today:
            raise ValidationError(_l("The date of signature cannot be in the future."))
        if signed_on < EARLIEST_SIGNATURE:
            raise ValidationError(_l("The date of signature cannot be before 2000."))
        version = self.known_versions.get(self.version.data)
        if version is not None and signed_on < version.published_at.date():
            raise ValidationError(
                _l(
                    "Version %(number)s was published on %(date)s: "
                    "it cannot have been signed earlier.",
                    number=version.number,
                    date=format_date(version.published_at.date(), "long"),
                )
            )

    @property
    def chosen_version(self):
        return self.known_versions[self.version.data]


class EndorseForm(FlaskForm):
    """One button: support as a resident (name shown if chosen), or for an organisation."""

    # An organisation's id: beyond 32 bits it names nothing (and PostgreSQL would refuse it).
    organisation = IntegerField(validators=[Optional(), NumberRange(min=1, max=2**31 - 1)])
    show_name = BooleanField(_l("Show my name among the supporters"), default=False)
    next = HiddenField()


class WithdrawForm(FlaskForm):
    # An organisation's id: beyond 32 bits it names nothing (and PostgreSQL would refuse it).
    organisation = IntegerField(validators=[Optional(), NumberRange(min=1, max=2**31 - 1)])
    next = HiddenField()
