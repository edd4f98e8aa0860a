"""Notification settings."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField


class SettingsForm(FlaskForm):
    email_digest = BooleanField(
        _l("Send me one e-mail a day with what is new in what I follow"),
        description=_l("Never more than one e-mail a day, and none on days with nothing new."),
    )


class ButtonForm(FlaskForm):
    """A POST button (follow, mark as read): the form only carries the CSRF token."""
