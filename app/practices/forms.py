"""Forms of the good-practice library. Labels are lazy: built at import, translated per request."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from app.cities.models import City
from app.i18n import content_language_choices, language_name
from app.pathway.models import PathwayStep
from app.practices.models import NETWORK_SUGGESTIONS, GoodPractice
from app.practices.services import FilterChoices, PracticeFilters, PracticeValues
from app.practices.text import TAG_MAX_LENGTH, clean_line, clean_text, split_tags, tag_problem

MAX_TAGS = 12
SEARCH_MAX_LENGTH = 200


def step_label(step: PathwayStep, locale: str) -> str:
    text = step.text(locale)
    return f"{step.position}. {text.title if text else step.key}"


class TagsField(StringField):
    """Comma-separated tags; `tags` gives them cleaned and lower-cased."""

    @property
    def tags(self) -> list[str]:
        return split_tags(self.data)


def check_tags(form: FlaskForm, field: TagsField) -> None:
    tags = field.tags
    if len(tags) > MAX_TAGS:
        raise ValidationError(_("Give at most %(max)s tags.", max=MAX_TAGS))
    for tag in tags:
        problem = tag_problem(tag)
        if problem == "too_long":
            raise ValidationError(_("A tag has at most %(max)s characters.", max=TAG_MAX_LENGTH))
        if problem:
            raise ValidationError(
                _(
                    "“%(tag)s” is not a usable tag: use letters, numbers, spaces and hyphens.",
                    tag=tag,
                )
            )


class PracticeForm(FlaskForm):
    title = StringField(
        _l("Title"),
        filters=[clean_line],
        validators=[DataRequired(message=_l("Enter a title.")), Length(max=200)],
    )
    summary = TextAreaField(
        _l("Summary"),
        description=_l("Two or three sentences: what was done, with whom, what it changed."),
        filters=[clean_text],
        validators=[DataRequired(message=_l("Enter a summary.")), Length(max=600)],
        render_kw={"rows": 3},
    )
    body = TextAreaField(
        _l("Description"),
        description=_l("Plain text; leave an empty line between paragraphs."),
        filters=[clean_text],
        validators=[DataRequired(message=_l("Describe the practice.")), Length(max=20000)],
        render_kw={"rows": 12},
    )
    language = SelectField(_l("Language of this text"), default="")
    network = StringField(
        _l("Network"),
        description=_l("The network the practice comes from, for example Learning Cities."),
        filters=[clean_line],
        validators=[
            DataRequired(message=_l("Name the network the practice comes from.")),
            Length(max=120),
        ],
        render_kw={"list": "network-suggestions", "autocomplete": "off"},
    )
    city = SelectField(_l("Member city"), default="")
    place = StringField(
        _l("Place"),
        description=_l("For a practice from outside the member cities: its town and country."),
        filters=[clean_line],
        validators=[Length(max=120)],
    )
    steps = SelectMultipleField(
        _l("Steps of the pathway"),
        validators=[DataRequired(message=_l("Choose at least one step of the pathway."))],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    languages = SelectMultipleField(
        _l("Languages concerned"),
        description=_l(
            "The languages of the communities the practice reached. Hold Ctrl (or ⌘) to "
            "choose several."
        ),
        render_kw={"size": 8},
    )
    tags = TagsField(
        _l("Tags"),
        description=_l("Separated by commas, for example: outreach, schools, interpreters."),
        filters=[clean_line],
        validators=[Length(max=600), check_tags],
    )

    network_suggestions = NETWORK_SUGGESTIONS
    offers_elsewhere = False

    def fill_choices(
        self, cities: list[City], steps: list[PathwayStep], locale: str, *, elsewhere: bool
    ) -> None:
        """`elsewhere`: the practice may come from outside the member cities (admin only)."""
        languages = [SelectChoice(code, name) for code, name in content_language_choices(locale)]
        self.language.choices = languages
        self.languages.choices = languages
        city_choices = [SelectChoice(str(city.id), city.name) for city in cities]
        if elsewhere:
            city_choices.insert(0, SelectChoice("", _l("None: a practice from elsewhere")))
        self.city.choices = city_choices
        self.steps.choices = [SelectChoice(step.key, step_label(step, locale)) for step in steps]
        self.offers_elsewhere = elsewhere

    def fill_from(self, practice: GoodPractice) -> None:
        """The practice's current values, for the edit page."""
        self.title.data = practice.title
        self.summary.data = practice.summary
        self.body.data = practice.body
        self.language.data = practice.language
        self.network.data = practice.network
        self.city.data = str(practice.city_id) if practice.city_id else ""
        self.place.data = practice.place
        self.steps.data = [step.key for step in practice.steps]
        self.languages.data = practice.language_codes
        self.tags.data = ", ".join(tag.name for tag in practice.tags)

    def validate_place(self, field: StringField) -> None:
        if not self.city.data and not field.data:
            raise ValidationError(_("Name the place of a practice from outside the member cities."))

    def values(self) -> PracticeValues:
        return PracticeValues(
            title=self.title.data,
            summary=self.summary.data,
            body=self.body.data,
            language=self.language.data,
            network=self.network.data,
            city_id=int(self.city.data) if self.city.data else None,
            place=self.place.data or "",
            step_keys=list(self.steps.data),
            languages=list(self.languages.data or []),
            tags=self.tags.tags,
        )


class RejectForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason for the rejection"),
        description=_l("The moderator who submitted the practice reads it."),
        filters=[clean_text],
        validators=[
            DataRequired(message=_l("Say why the practice is rejected.")),
            Length(max=2000),
        ],
        render_kw={"rows": 3},
    )


class ApproveForm(FlaskForm):
    """Only its CSRF token: approving is one button."""


class PracticeFilterForm(FlaskForm):
    """The library's search and filters: a GET form (no CSRF token: it changes nothing)."""

    class Meta:
        csrf = False

    q = StringField(
        _l("Search"),
        description=_l("Words of the title or of the summary, in any language."),
        filters=[clean_line],
        validators=[Length(max=SEARCH_MAX_LENGTH)],
        render_kw={"type": "search"},
    )
    step = SelectField(_l("Step of the pathway"), default="")
    city = SelectField(_l("City"), default="")
    language = SelectField(_l("Language"), default="")
    network = SelectField(_l("Network"), default="")
    tag = SelectField(_l("Tag"), default="")

    def fill_choices(self, choices: FilterChoices, locale: str) -> None:
        self.step.choices = [
            SelectChoice("", _l("All steps")),
            *(SelectChoice(step.key, step_label(step, locale)) for step in choices.steps),
        ]
        self.city.choices = [
            SelectChoice("", _l("All cities")),
            *(SelectChoice(city.slug, city.name) for city in choices.cities),
        ]
        languages = sorted(
            ((code, language_name(code)) for code in choices.languages),
            key=lambda item: item[1].casefold(),
        )
        self.language.choices = [
            SelectChoice("", _l("All languages")),
            *(SelectChoice(code, name) for code, name in languages),
        ]
        self.network.choices = [
            SelectChoice("", _l("All networks")),
            *(SelectChoice(network, network) for network in choices.networks),
        ]
        self.tag.choices = [
            SelectChoice("", _l("All tags")),
            *(SelectChoice(tag, tag) for tag in choices.tags),
        ]

    def filters(self) -> PracticeFilters:
        """The valid filters; a field in error is left out (its message is shown)."""

        def value(field) -> str:
            return "" if field.errors else (field.data or "")

        return PracticeFilters(
            q=value(self.q),
            step=value(self.step),
            city=value(self.city),
            language=value(self.language),
            network=value(self.network),
            tag=value(self.tag),
        )
