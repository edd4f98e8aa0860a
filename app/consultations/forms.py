"""Consultation forms: the consultation itself (with its phases), closing early, residents."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    EmailField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    AnyOf,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
)
from wtforms.widgets import CheckboxInput, ListWidget

from app.consultations.phases import PHASES, PhaseWindow, problems
from app.fields import AmountField, IntegerField

# Far above any municipal budget.
MAX_BUDGET = Decimal(10_000_000_000)

PHASE_LABELS = {
    "information": _l("Information"),
    "questionnaire": _l("Questionnaire"),
    "proposals": _l("Proposals"),
    "deliberation": _l("Deliberation"),
    "review": _l("Review by the city"),
    "voting": _l("Voting"),
    "results": _l("Results"),
}
PHASE_PROBLEMS = {
    "duplicate_phase": _l("A phase appears twice."),
    "unknown_phase": _l("Unknown phase."),
    "results_missing": _l("The results phase needs a start date."),
    "nothing_to_do": _l("Include at least the proposals phase or the voting phase."),
    "results_has_end": _l("The results phase has no end."),
    "ends_before_start": _l("Each phase must end after it starts."),
    "overlap": _l("A phase starts before the previous one ends."),
}
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


# What most consultations need: proposals, deliberation, voting and results; information is the
# optional first phase (a city that only needs to inform does not open a consultation). The
# suggested dates start the next day at 09:00 of the city, three weeks for proposals (time to
# hear of it and write one), two for deliberation and two for voting.
SUGGESTED_PHASES = ("proposals", "deliberation", "voting")
SUGGESTED_WEEKS = {"proposals": 3, "deliberation": 2, "voting": 2}
SUGGESTED_HOUR = 9


def _phase_fields(cls):
    """Add, for each phase, an 'include' box and its start and end (results: start only).
    The dates' labels name their phase, so does every error about them in the summary."""
    for kind in PHASES:
        if kind != "results":
            setattr(
                cls,
                f"{kind}_include",
                BooleanField(PHASE_LABELS[kind], default=kind in SUGGESTED_PHASES),
            )
        setattr(
            cls,
            f"{kind}_starts",
            DateTimeLocalField(
                _l("%(phase)s starts", phase=PHASE_LABELS[kind]),
                format=DATETIME_FORMAT,
                validators=[Optional()],
            ),
        )
        if kind != "results":
            setattr(
                cls,
                f"{kind}_ends",
                DateTimeLocalField(
                    _l("%(phase)s ends", phase=PHASE_LABELS[kind]),
                    format=DATETIME_FORMAT,
                    validators=[Optional()],
                ),
            )
    return cls


@_phase_fields
class ConsultationForm(FlaskForm):
    city_step = SelectField(_l("Step of the pathway"), coerce=int, validators=[InputRequired()])
    title = StringField(
        _l("Title"), validators=[InputRequired(message=_l("Enter a title.")), Length(max=200)]
    )
    description = TextAreaField(
        _l("Description"),
        validators=[InputRequired(message=_l("Describe the consultation.")), Length(max=20000)],
    )
    language = SelectField(_l("Language of the title and description"))
    languages = MultiCheckboxField(_l("Languages the consultation is offered in"))
    voting_method = RadioField(
        _l("Voting method"),
        choices=[
            SelectChoice(
                "supports", _l("Supports: approve any number of proposals, up to a limit")
            ),
            SelectChoice("budget", _l("Participatory budget: choose proposals within a budget")),
        ],
        default="supports",
        validators=[InputRequired()],
    )
    support_limit = IntegerField(
        _l("Supports per person (leave empty for no limit)"),
        validators=[Optional(), NumberRange(min=1, max=1000)],
    )
    support_threshold = IntegerField(
        _l("Supports a proposal needs to qualify (optional)"),
        validators=[Optional(), NumberRange(min=0, max=10_000_000)],
    )
    budget_amount = AmountField(_l("Budget"), maximum=MAX_BUDGET)
    currency = StringField(
        _l("Currency"),
        default="EUR",
        validators=[
            InputRequired(),
            Regexp(r"^[A-Z]{3}$", message=_l("Use a three-letter currency code such as EUR.")),
        ],
    )
    min_spend_share = IntegerField(
        _l("Minimum share of the budget a ballot must spend, in percent (optional)"),
        validators=[Optional(), NumberRange(min=0, max=100)],
    )
    budget_rule = RadioField(
        _l("How winners are chosen"),
        choices=[
            SelectChoice("greedy", _l("Greedy: most approved first, skipping what no longer fits")),
            SelectChoice(
                "equal-shares",
                _l("Equal shares: every voter controls an equal share of the budget"),
            ),
        ],
        default="greedy",
        validators=[Optional()],
    )
    participation = RadioField(
        _l("Who may take part"),
        choices=[
            SelectChoice("confirmed", _l("Anyone with a confirmed account")),
            SelectChoice("residents", _l("Only accounts a moderator confirmed as residents")),
        ],
        default="confirmed",
        validators=[InputRequired(), AnyOf(["confirmed", "residents"])],
    )
    completes_step = BooleanField(
        _l("Complete the step when every proposal has a municipal response")
    )

    def phase_rows(self):
        """(kind, label, include field or None, starts field, ends field or None) per phase."""
        for kind in PHASES:
            yield (
                kind,
                PHASE_LABELS[kind],
                getattr(self, f"{kind}_include", None),
                getattr(self, f"{kind}_starts"),
                getattr(self, f"{kind}_ends", None),
            )

    def windows(self, timezone: str) -> list[PhaseWindow]:
        """The phases entered, as UTC windows (the form's times are the city's wall clock)."""
        zone = ZoneInfo(timezone)
        windows = []
        for kind, _label, include, starts, ends in self.phase_rows():
            if include is not None and not include.data:
                continue
            windows.append(
                PhaseWindow(kind, _utc(starts.data, zone), _utc(ends.data, zone) if ends else None)
            )
        return windows

    def suggest_timeline(self, today: date) -> None:
        """Fill the suggested phases' dates (the city's wall clock), from the day after `today`."""
        moment = datetime.combine(today + timedelta(days=1), time(SUGGESTED_HOUR))
        for kind in SUGGESTED_PHASES:
            getattr(self, f"{kind}_starts").data = moment
            moment += timedelta(weeks=SUGGESTED_WEEKS[kind])
            getattr(self, f"{kind}_ends").data = moment
        self.results_starts.data = moment

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.voting_method.data == "budget":
            # Optional() stops a field's own chain when empty, so these are checked here.
            if not self.budget_amount.data and not self.budget_amount.errors:
                self.budget_amount.errors.append(_l("A budget consultation needs its budget."))
                valid = False
            if self.budget_rule.data not in ("greedy", "equal-shares"):
                self.budget_rule.errors.append(_l("Choose how winners are chosen."))
                valid = False
        return valid

    def validate_timeline(self, timezone: str) -> bool:
        """Check the phases' dates together; errors land on the field that needs fixing."""
        ok = True
        for _kind, _label, include, starts, ends in self.phase_rows():
            if include is not None and not include.data:
                continue
            if starts.data is None:
                starts.errors.append(_l("Enter when this phase starts."))
                ok = False
            if ends is not None and ends.data is None:
                ends.errors.append(_l("Enter when this phase ends."))
                ok = False
        if not ok:
            return False
        windows = self.windows(timezone)
        found = problems(windows)
        if not found:
            return True
        # The two problems of one phase's dates land on that phase's field (its label names
        # it); the others are about the timeline as a whole.
        for before, after in zip(windows, windows[1:], strict=False):
            if before.ends_at is not None and after.starts_at < before.ends_at:
                getattr(self, f"{after.kind}_starts").errors.append(PHASE_PROBLEMS["overlap"])
        for window in windows:
            if window.ends_at is not None and window.ends_at <= window.starts_at:
                getattr(self, f"{window.kind}_ends").errors.append(
                    PHASE_PROBLEMS["ends_before_start"]
                )
        self.results_starts.errors.extend(
            PHASE_PROBLEMS[key] for key in found if key not in ("overlap", "ends_before_start")
        )
        return False


def _utc(value: datetime | None, zone: ZoneInfo) -> datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=zone).astimezone(ZoneInfo("UTC"))


def local_value(value: datetime | None, timezone: str) -> datetime | None:
    """A UTC instant as the city's wall-clock time, for a datetime-local input."""
    if value is None:
        return None
    return value.astimezone(ZoneInfo(timezone)).replace(tzinfo=None)


class ButtonForm(FlaskForm):
    """A POST-only button: the form only carries the CSRF token."""


class CloseForm(FlaskForm):
    """Closing early is final: sent only from the page that says what it will do, whose
    form carries `confirm`. A POST without it (an old page, a script) leads to that page."""

    confirm = HiddenField(default="yes", validators=[InputRequired(), AnyOf(["yes"])])


class ResidentForm(FlaskForm):
    email = EmailField(
        _l("E-mail address of the resident's account"),
        validators=[
            InputRequired(message=_l("Enter your e-mail address.")),
            Email(
                message=_l("Enter a valid e-mail address, like name@example.org."),
                check_deliverability=False,
            ),
            Length(max=254),
        ],
    )
