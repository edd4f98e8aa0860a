"""Notification settings: how one hears of each kind of news."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from app.notifications.models import CHOOSABLE_KINDS

CHANNEL_LABELS = {
    "site": _l("On the site only"),
    "email": _l("By e-mail at once"),
    "digest": _l("In the daily e-mail"),
    "never": _l("Never"),
}

KIND_LABELS = {
    "proposal_posted": _l("A new proposal in a consultation you follow"),
    "comment_posted": _l("A comment on a proposal you wrote or follow"),
    "phase_changed": _l("A new phase begins in a consultation you follow or take part in"),
    "results_published": _l("The results of a consultation you follow or take part in"),
    "response_given": _l("The municipality answers a proposal you wrote, follow or support"),
    "proposal_assessed": _l("The city assesses a proposal you wrote or follow"),
    "proposal_merged": _l("A proposal you wrote or follow is merged with another"),
    "project_updated": _l(
        "News of a funded project you voted for, supported or follow (status, milestones)"
    ),
    "translation_published": _l("A translation you asked for is published"),
    "meeting_changed": _l("A meeting you registered for changes its time or place"),
    "meeting_cancelled": _l("A meeting you registered for is cancelled"),
    "meeting_place": _l("A place frees up for you at a meeting you are waiting for"),
    "meeting_reminder": _l("A reminder the day before a meeting you registered for"),
}


class SettingsForm(FlaskForm):
    """One choice per kind (a field named after the kind)."""


for _kind in CHOOSABLE_KINDS:
    setattr(
        SettingsForm,
        _kind,
        SelectField(
            KIND_LABELS[_kind],
            choices=[SelectChoice(value, label) for value, label in CHANNEL_LABELS.items()],
            validators=[InputRequired(message=_l("Choose how you want to hear of it."))],
        ),
    )


class ButtonForm(FlaskForm):
    """A POST button (follow, mark as read, unsubscribe): the form only carries the CSRF token."""
