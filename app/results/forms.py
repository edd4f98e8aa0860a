from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length

RESPONSE_LABELS = {
    "accepted": _l("Accepted"),
    "rejected": _l("Rejected"),
    "evaluating": _l("Being evaluated"),
    "implemented": _l("Implemented"),
}


class ResponseForm(FlaskForm):
    status = RadioField(
        _l("The city's decision"),
        choices=[SelectChoice(value, label) for value, label in RESPONSE_LABELS.items()],
        validators=[InputRequired(message=_l("Choose a decision."))],
    )
    body = TextAreaField(
        _l("Public answer"),
        description=_l("Explain the decision in plain words: it is published with the proposal."),
        validators=[InputRequired(message=_l("Write the answer.")), Length(max=10000)],
    )
    language = SelectField(_l("Language of the answer"))
