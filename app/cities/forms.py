from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired


def status_label(status: str) -> str:
    return str(STATUS_LABELS[status])


STATUS_LABELS = {
    "not_started": _l("Not started"),
    "in_progress": _l("In progress"),
    "completed": _l("Completed"),
}


class StepStatusForm(FlaskForm):
    status = SelectField(
        _l("Status of this step"),
        choices=[SelectChoice(value, label) for value, label in STATUS_LABELS.items()],
        validators=[InputRequired(message=_l("Choose a status."))],
    )
