"""Privacy forms. Labels are lazy: built at import time, translated per request."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import InputRequired, Length

from app.privacy.services import COMMUNITY_MAX_LENGTH, clean_community


class CommunityForm(FlaskForm):
    community = StringField(
        _l("Community you feel part of (optional)"),
        filters=[clean_community],
        validators=[
            Length(
                max=COMMUNITY_MAX_LENGTH,
                message=_l("Use at most %(max)d characters."),
            )
        ],
        description=_l(
            "In your own words, for example a country, a people, a language community or a "
            "faith community. Leave it empty if you prefer not to say."
        ),
    )


class DeleteAccountForm(FlaskForm):
    password = PasswordField(
        _l("Your password"),
        validators=[InputRequired(message=_l("Enter your password.")), Length(max=128)],
        render_kw={"autocomplete": "current-password"},
    )
    understood = BooleanField(
        _l("I understand that my account is deleted for good and cannot be restored"),
        validators=[InputRequired(message=_l("Tick the box to confirm the deletion."))],
    )
