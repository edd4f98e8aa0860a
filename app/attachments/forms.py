"""Attachment forms: an upload (a file, and for a photo its description) and the remove button."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField, StringField, SubmitField
from wtforms.validators import Length, Optional


class UploadForm(FlaskForm):
    file = FileField(
        _l("Photo or document"),
        validators=[FileRequired(_l("Choose a file to attach."))],
        description=_l(
            "A photo (JPEG, PNG or WebP) or a document (PDF, Word, Excel, PowerPoint, "
            "OpenDocument)."
        ),
    )
    alt = StringField(
        _l("What the photo shows"),
        validators=[Optional(), Length(max=500)],
        description=_l(
            "Required for a photo: a sentence for people who cannot see it (read aloud by "
            "screen readers)."
        ),
    )
    # Choices set by the view (the content languages).
    alt_language = SelectField(_l("Language of the description"), validate_choice=True)
    submit = SubmitField(_l("Attach"))


class ButtonForm(FlaskForm):
    """A POST button (remove): only its CSRF token."""
