"""Account forms. Labels are lazy: they are built at import time, translated per request."""

from __future__ import annotations

from flask import current_app
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Email, EqualTo, InputRequired, Length, ValidationError

from app.accounts.services import password_problems
from app.i18n import content_language_choices, native_language_name


class StrongPassword:
    """The password rules of accounts.services, reported in the reader's locale."""

    def __init__(self, email_field: str | None = "email", name_field: str | None = "display_name"):
        self.email_field = email_field
        self.name_field = name_field

    def __call__(self, form: FlaskForm, field) -> None:
        email = form[self.email_field].data if self.email_field in form else ""
        name = form[self.name_field].data if self.name_field in form else ""
        problems = password_problems(field.data or "", email or "", name or "")
        if problems:
            raise ValidationError(" ".join(problems))


def _email_field(label=None) -> EmailField:
    return EmailField(
        label or _l("E-mail address"),
        validators=[
            InputRequired(message=_l("Enter your e-mail address.")),
            Length(max=254),
            Email(
                message=_l("Enter a valid e-mail address, like name@example.org."),
                check_deliverability=False,
            ),
        ],
        render_kw={"autocomplete": "email"},
    )


def _new_password_fields() -> tuple[PasswordField, PasswordField]:
    return (
        PasswordField(
            _l("Password"),
            validators=[InputRequired(message=_l("Choose a password.")), StrongPassword()],
            description=_l("At least 10 characters. A short sentence is easy to remember."),
            render_kw={"autocomplete": "new-password"},
        ),
        PasswordField(
            _l("Repeat the password"),
            validators=[
                InputRequired(message=_l("Repeat the password.")),
                EqualTo("password", message=_l("The two passwords are not the same.")),
            ],
            render_kw={"autocomplete": "new-password"},
        ),
    )


class LanguageFieldsMixin:
    """Interface locale and up to three content languages, in order of preference."""

    locale = SelectField(_l("Language of the interface"), validators=[InputRequired()])
    content_language_1 = SelectField(
        _l("First language for reading and writing"), validators=[InputRequired()]
    )
    content_language_2 = SelectField(_l("Second language (optional)"))
    content_language_3 = SelectField(_l("Third language (optional)"))

    def fill_language_choices(self) -> None:
        locale = str(get_locale())
        self.locale.choices = [
            SelectChoice(code, native_language_name(code), render_kw={"lang": code})
            for code in current_app.config["LOCALES"]
        ]
        languages = [SelectChoice(code, name) for code, name in content_language_choices(locale)]
        self.content_language_1.choices = languages
        optional = [SelectChoice("", _l("None")), *languages]
        self.content_language_2.choices = optional
        self.content_language_3.choices = optional

    @property
    def content_languages(self) -> list[str]:
        return [
            self.content_language_1.data,
            self.content_language_2.data,
            self.content_language_3.data,
        ]


class HomeCityMixin:
    """The member city one lives in: optional, and any value not offered is a form error."""

    home_city = SelectField(
        _l("Your city (optional)"),
        description=_l(
            "Its consultations come first on the home page. It does not make you a confirmed "
            "resident: only the municipality does that."
        ),
        default="",
    )

    def fill_home_city_choices(self, cities) -> None:
        self.home_city.choices = [
            SelectChoice("", _l("Not said")),
            *(SelectChoice(str(city.id), city.name) for city in cities),
        ]

    @property
    def home_city_id(self) -> int | None:
        # Only offered values pass validation: "" or a member city's id.
        return int(self.home_city.data) if self.home_city.data else None


class RegisterForm(LanguageFieldsMixin, HomeCityMixin, FlaskForm):
    email = _email_field()
    display_name = StringField(
        _l("Name shown to others"),
        validators=[InputRequired(message=_l("Enter a name.")), Length(min=2, max=80)],
        render_kw={"autocomplete": "nickname"},
    )
    password, password_confirm = _new_password_fields()
    accept_terms = BooleanField(
        _l("I have read how my data is used and I accept the rules of participation"),
        validators=[InputRequired(message=_l("Please accept the rules to register."))],
    )


class LoginForm(FlaskForm):
    email = _email_field()
    password = PasswordField(
        _l("Password"),
        validators=[InputRequired(message=_l("Enter your password.")), Length(max=128)],
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField(_l("Keep me logged in on this device"))


class ResetRequestForm(FlaskForm):
    email = _email_field()


class ResetPasswordForm(FlaskForm):
    password, password_confirm = _new_password_fields()


class ProfileForm(LanguageFieldsMixin, HomeCityMixin, FlaskForm):
    display_name = StringField(
        _l("Name shown to others"),
        validators=[InputRequired(message=_l("Enter a name.")), Length(min=2, max=80)],
    )


class ChangeEmailForm(FlaskForm):
    email = _email_field(_l("New e-mail address"))
    current_password = PasswordField(
        _l("Current password"),
        validators=[InputRequired(message=_l("Enter your current password.")), Length(max=128)],
        render_kw={"autocomplete": "current-password"},
    )


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        _l("Current password"),
        validators=[InputRequired(message=_l("Enter your current password.")), Length(max=128)],
        render_kw={"autocomplete": "current-password"},
    )
    password, password_confirm = _new_password_fields()
