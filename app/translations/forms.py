"""Forms of the translations feature. Labels are lazy: built at import time, translated per request."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from app.ids import IdField

MAX_TITLE = 200
MAX_TEXT = 20_000
MAX_REASON = 2_000

FIELD_LABELS = {
    "title": _l("Title in the language you translate into"),
    "description": _l("Description in the language you translate into"),
    "body": _l("Text in the language you translate into"),
    "summary": _l("Summary in the language you translate into"),
}


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class _TranslateBase(FlaskForm):
    language = SelectField(
        _l("Translate into"),
        description=_l("A language you know well: your translation is shown to its readers."),
        validators=[InputRequired(message=_l("Choose the language you translate into."))],
    )
    improves = IdField()


def translate_form(fields: tuple[str, ...], required: set[str], **kwargs) -> FlaskForm:
    """The form for a text of a kind with these `fields`; those `required` must be filled in
    (a field empty in the original may stay empty)."""

    class TranslateForm(_TranslateBase):
        pass

    for name in fields:
        is_title = name == "title"
        validators = [
            Length(
                max=MAX_TITLE if is_title else MAX_TEXT,
                message=_l("This can be at most %(max)d characters long."),
            )
        ]
        if name in required:
            validators.insert(0, DataRequired(message=_l("Translate this part too.")))
        else:
            validators.insert(0, Optional())
        field_class = StringField if is_title else TextAreaField
        setattr(
            TranslateForm,
            name,
            field_class(
                FIELD_LABELS.get(name, name),
                filters=[_strip],
                validators=validators,
                # The translation may be right-to-left whatever the interface's direction.
                render_kw={"dir": "auto", **({} if is_title else {"rows": 10})},
            ),
        )
    return TranslateForm(**kwargs)


class RequestForm(FlaskForm):
    language = HiddenField(validators=[DataRequired()])
    next = HiddenField()


class RejectForm(FlaskForm):
    reason = TextAreaField(
        _l("Why do you reject it?"),
        description=_l("The translator reads this: say what to improve."),
        filters=[_strip],
        validators=[
            DataRequired(message=_l("Give a reason.")),
            Length(max=MAX_REASON, message=_l("This can be at most %(max)d characters long.")),
        ],
    )


class ButtonForm(FlaskForm):
    """POST-only buttons: just the CSRF token."""
