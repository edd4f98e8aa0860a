"""Voting forms: the support buttons, the ballot, its confirmation, paper batches, the import
of a Pabulib file."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional


class SupportForm(FlaskForm):
    """Support or withdraw support: a button; `next` brings the voter back where they were."""

    next = HiddenField()


def parse_ids(values: list[str]) -> list[int] | None:
    """Proposal ids sent by a form; None if one of them is not a number (a tampered form)."""
    ids: list[int] = []
    for value in values:
        value = value.strip()
        if not value.isdigit() or not value.isascii() or len(value) > 12:
            return None
        if not 0 < int(value) <= 2**31 - 1:  # beyond any database id (an integer column)
            return None
        ids.append(int(value))
    return ids


class BallotForm(FlaskForm):
    """The ballot: the proposals' checkboxes (named `proposals`) are read with `parse_ids`; the
    page renders them with each proposal's cost, so they are not a WTForms field."""

    save = SubmitField(_l("Save my choice"))
    review = SubmitField(_l("Review and cast my ballot"))


class CastForm(FlaskForm):
    """The confirmation: the choice shown to the voter travels with the button, so what is
    cast is exactly what they read."""

    choice = HiddenField()


class WithdrawBallotForm(FlaskForm):
    pass


class PaperBatchForm(FlaskForm):
    session_label = StringField(
        _l("In-person session"),
        validators=[InputRequired(), Length(max=200)],
        description=_l("Where and when the ballots were filled in, e.g. “Library, 12 May”."),
    )
    language = SelectField(
        _l("Language of the session"),
        validators=[Optional()],
        description=_l("Optional: counted in participation by language."),
    )
    # The meeting the ballots come from (app/meetings offers the consultation's meetings).
    meeting = SelectField(
        _l("Meeting (optional)"),
        validators=[Optional()],
        description=_l("The meeting where the ballots were filled in, if it was one."),
    )
    ballots = TextAreaField(
        _l("Ballots"),
        validators=[InputRequired(), Length(max=200_000)],
        description=_l(
            "One line per paper ballot: the numbers of the proposals ticked on it, separated "
            "by commas or spaces, e.g. “12, 15, 19”."
        ),
        render_kw={"rows": 12, "spellcheck": "false", "dir": "ltr"},
    )
    submit = SubmitField(_l("Enter these ballots"))


class PabulibImportForm(FlaskForm):
    """A Pabulib file to import as a closed consultation of the city (choices set by the view)."""

    file = FileField(
        _l("Pabulib file (.pb)"),
        validators=[FileRequired(_l("Choose a .pb file to import."))],
        description=_l("A text file with META, PROJECTS and VOTES sections, at most 20 MB."),
    )
    city_step = SelectField(_l("Pathway step"), coerce=int, validators=[InputRequired()])
    title = StringField(
        _l("Title of the consultation"),
        validators=[Optional(), Length(max=200)],
        description=_l("Leave it empty to use the description written in the file."),
    )
    language = SelectField(
        _l("Language of the project names"),
        validators=[InputRequired()],
        description=_l("The proposals keep it as their original language."),
    )
    rule = SelectField(
        _l("Rule, if the file names none we apply"),
        choices=[
            # The consultation form's wording (app/consultations/forms.py).
            SelectChoice("greedy", _l("Greedy: most approved first, skipping what no longer fits")),
            SelectChoice(
                "equal-shares",
                _l("Equal shares: every voter controls an equal share of the budget"),
            ),
        ],
        default="greedy",
        validators=[InputRequired()],
        description=_l(
            "When the file's META says greedy or equal shares, that rule is used, as it was "
            "in the original vote."
        ),
    )
    submit = SubmitField(_l("Import as a closed consultation"))
