"""Forms of the operators directory. Labels are lazy: built at import, translated per request."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    EmailField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    Optional,
    Regexp,
    ValidationError,
)

from app.cities.models import City
from app.fields import IntegerField
from app.i18n import content_language_choices, language_name
from app.operators.models import (
    FIRST_ENGAGEMENT_YEAR,
    OperatorEngagement,
    ParticipationOperator,
)
from app.operators.services import (
    EngagementValues,
    OperatorChoices,
    OperatorFilters,
    OperatorValues,
)
from app.pathway.models import PathwayStep
from app.practices.forms import step_label
from app.practices.models import GoodPractice
from app.practices.text import TAG_MAX_LENGTH, clean_line, clean_text, split_tags, tag_problem

MAX_SKILLS = 12

KIND_LABELS = {
    "facilitator": _l("Facilitator"),
    "cultural_mediator": _l("Cultural mediator"),
    "interpreter": _l("Interpreter"),
    "trainer": _l("Trainer"),
    "researcher": _l("Researcher"),
    "other": _l("Other operator"),
}


def kind_label(kind: str) -> str:
    return str(KIND_LABELS.get(kind, kind))


def check_skills(form: FlaskForm, field: StringField) -> None:
    skills = split_tags(field.data)
    if len(skills) > MAX_SKILLS:
        raise ValidationError(_("Give at most %(max)s skills.", max=MAX_SKILLS))
    for skill in skills:
        problem = tag_problem(skill)
        if problem == "too_long":
            raise ValidationError(_("A skill has at most %(max)s characters.", max=TAG_MAX_LENGTH))
        if problem:
            raise ValidationError(
                _(
                    "“%(skill)s” is not a usable skill: use letters, numbers, spaces and hyphens.",
                    skill=skill,
                )
            )


class OperatorForm(FlaskForm):
    name = StringField(
        _l("Name"),
        filters=[clean_line],
        validators=[DataRequired(message=_l("Enter the operator's name.")), Length(max=120)],
    )
    kind = SelectField(
        _l("Kind of operator"),
        choices=[SelectChoice(kind, label) for kind, label in KIND_LABELS.items()],
    )
    organisation_name = StringField(
        _l("Organisation (optional)"), filters=[clean_line], validators=[Length(max=200)]
    )
    bio = TextAreaField(
        _l("Presentation"),
        description=_l("What the operator does, with whom, in which settings."),
        filters=[clean_text],
        validators=[DataRequired(message=_l("Write a short presentation.")), Length(max=5000)],
        render_kw={"rows": 6},
    )
    bio_language = SelectField(_l("Language of the presentation"))
    languages = SelectMultipleField(
        _l("Languages spoken"),
        description=_l("Hold Ctrl (or ⌘) to choose several."),
        validators=[DataRequired(message=_l("Choose at least one language the operator speaks."))],
        render_kw={"size": 8},
    )
    skills = StringField(
        _l("Skills"),
        description=_l(
            "Separated by commas, for example: intercultural mediation, facilitation of assemblies."
        ),
        filters=[clean_line],
        validators=[Length(max=600), check_skills],
    )
    email = EmailField(
        _l("Contact e-mail (optional)"),
        description=_l("Shown only to municipal moderators and the association."),
        filters=[clean_line],
        validators=[
            Optional(),
            Length(max=254),
            Email(
                message=_l("Enter a valid e-mail address, like name@example.org."),
                check_deliverability=False,
            ),
        ],
    )
    phone = StringField(
        _l("Contact phone (optional)"),
        description=_l("Shown only to municipal moderators and the association."),
        filters=[clean_line],
        validators=[
            Optional(),
            Length(max=40),
            Regexp(
                r"^\+?[0-9][0-9 ().\-/]{4,38}$",
                message=_l("Enter a phone number with digits, like +39 051 123 4567."),
            ),
        ],
    )
    practices = SelectMultipleField(
        _l("Linked good practices"),
        description=_l("Approved practices of the library the operator worked on."),
        coerce=int,
        render_kw={"size": 6},
    )

    def fill_choices(self, practices: list[GoodPractice], locale: str) -> None:
        languages = [SelectChoice(code, name) for code, name in content_language_choices(locale)]
        self.bio_language.choices = languages
        self.languages.choices = languages
        self.practices.choices = [
            SelectChoice(practice.id, f"{practice.title} ({practice.where})")
            for practice in practices
        ]

    def fill_from(self, operator: ParticipationOperator) -> None:
        self.name.data = operator.name
        self.kind.data = operator.kind
        self.organisation_name.data = operator.organisation_name
        self.bio.data = operator.bio
        self.bio_language.data = operator.bio_language
        self.languages.data = operator.language_codes
        self.skills.data = ", ".join(skill.name for skill in operator.skills)
        self.email.data = operator.email or ""
        self.phone.data = operator.phone or ""
        self.practices.data = [practice.id for practice in operator.practices]

    def values(self) -> OperatorValues:
        return OperatorValues(
            name=self.name.data,
            kind=self.kind.data,
            organisation_name=self.organisation_name.data or "",
            bio=self.bio.data,
            bio_language=self.bio_language.data,
            email=self.email.data or None,
            phone=self.phone.data or None,
            languages=list(self.languages.data),
            skills=split_tags(self.skills.data),
            practice_ids=list(self.practices.data or []),
        )


class EngagementForm(FlaskForm):
    city = SelectField(_l("City"), default="")
    step = SelectField(_l("Step of the pathway"), default="")
    year = IntegerField(
        _l("Year"),
        validators=[InputRequired(message=_l("Enter the year of the work."))],
        render_kw={"inputmode": "numeric"},
    )
    description = TextAreaField(
        _l("What the operator did"),
        filters=[clean_text],
        validators=[DataRequired(message=_l("Describe the work.")), Length(max=2000)],
        render_kw={"rows": 4},
    )
    language = SelectField(_l("Language of this text"), default="")

    def fill_choices(self, cities: list[City], steps: list[PathwayStep], locale: str) -> None:
        self.city.choices = [SelectChoice(str(city.id), city.name) for city in cities]
        self.step.choices = [
            SelectChoice("", _l("No step in particular")),
            *(SelectChoice(step.key, step_label(step, locale)) for step in steps),
        ]
        self.language.choices = [
            SelectChoice(code, name) for code, name in content_language_choices(locale)
        ]

    def validate_year(self, field: IntegerField) -> None:
        last = date.today().year + 1
        if field.data is not None and not FIRST_ENGAGEMENT_YEAR <= field.data <= last:
            raise ValidationError(
                _(
                    "Enter a year between %(first)s and %(last)s.",
                    first=FIRST_ENGAGEMENT_YEAR,
                    last=last,
                )
            )

    def fill_from(self, engagement: OperatorEngagement) -> None:
        self.city.data = str(engagement.city_id)
        self.step.data = engagement.step.key if engagement.step else ""
        self.year.data = engagement.year
        self.description.data = engagement.description
        self.language.data = engagement.language

    def values(self) -> EngagementValues:
        return EngagementValues(
            city_id=int(self.city.data),
            step_key=self.step.data or "",
            year=self.year.data,
            description=self.description.data,
            language=self.language.data,
        )


class DeleteForm(FlaskForm):
    """Only its CSRF token: removing is one button."""


class OperatorFilterForm(FlaskForm):
    """The directory's filters: a GET form (no CSRF token: it changes nothing)."""

    class Meta:
        csrf = False

    language = SelectField(_l("Language spoken"), default="")
    skill = SelectField(_l("Skill"), default="")
    kind = SelectField(_l("Kind of operator"), default="")
    city = SelectField(_l("Worked with the city"), default="")

    def fill_choices(self, choices: OperatorChoices) -> None:
        languages = sorted(
            ((code, language_name(code)) for code in choices.languages),
            key=lambda item: item[1].casefold(),
        )
        self.language.choices = [
            SelectChoice("", _l("All languages")),
            *(SelectChoice(code, name) for code, name in languages),
        ]
        self.skill.choices = [
            SelectChoice("", _l("All skills")),
            *(SelectChoice(skill, skill) for skill in choices.skills),
        ]
        self.kind.choices = [
            SelectChoice("", _l("All kinds")),
            *(SelectChoice(kind, label) for kind, label in KIND_LABELS.items()),
        ]
        self.city.choices = [
            SelectChoice("", _l("All cities")),
            *(SelectChoice(city.slug, city.name) for city in choices.cities),
        ]

    def filters(self) -> OperatorFilters:
        def value(field) -> str:
            return "" if field.errors else (field.data or "")

        return OperatorFilters(
            language=value(self.language),
            skill=value(self.skill),
            kind=value(self.kind),
            city=value(self.city),
        )
