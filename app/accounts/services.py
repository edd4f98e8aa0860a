"""Account operations: plain functions that flush and never commit (the request commits)."""

from __future__ import annotations

import contextlib
import re
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask import current_app, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from app.accounts import throttle
from app.accounts.models import User, UserContentLanguage
from app.cities.models import City
from app.db_types import utcnow
from app.extensions import db
from app.mail import send_mail

if TYPE_CHECKING:
    # argon2 is imported where a password is hashed or checked, not by every command.
    from argon2 import PasswordHasher

COMMON_PASSWORDS = frozenset(
    {
        "password123",
        "password1234",
        "1234567890",
        "12345678910",
        "qwertyuiop",
        "iloveyou123",
        "passwordpassword",
        "abcdefghij",
        "0123456789",
        "password12",
        "qwerty1234",
        "learningcities",
    }
)


def normalize_email(email: str) -> str:
    return email.strip().lower()


def _hasher() -> PasswordHasher:
    from argon2 import PasswordHasher

    params = current_app.config.get("ARGON2_PARAMS") or {}
    return PasswordHasher(**params)


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def _dummy_hash(hasher: PasswordHasher) -> str:
    """A hash of no one's password, made once per app and set of argon2 parameters (kept on
    the app, not in the module): checking a password against it costs what a real one does."""
    made = current_app.extensions.setdefault("lc_dummy_hashes", {})
    key = (hasher.time_cost, hasher.memory_cost, hasher.parallelism, hasher.hash_len)
    if key not in made:
        made[key] = hasher.hash(secrets.token_urlsafe(24))
    return made[key]


def verify_password(user: User | None, password: str) -> bool:
    """Check a password. With no user, or one with no usable password (a deleted account), the
    same one argon2 check runs against a dummy hash: the answer takes as long either way."""
    from argon2.exceptions import InvalidHashError, VerificationError

    hasher = _hasher()
    if user is None or not user.password_hash.startswith("$argon2"):
        with contextlib.suppress(VerificationError):
            hasher.verify(_dummy_hash(hasher), password)
        return False
    try:
        hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
    if hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hasher.hash(password)
    return True


def password_problems(password: str, email: str = "", display_name: str = "") -> list[str]:
    """Reasons a new password is refused, in the reader's locale (empty: it is fine)."""
    problems = []
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password) < minimum:
        problems.append(_("Use at least %(n)s characters.", n=minimum))
    if len(password) > 128:
        problems.append(_("Use at most %(n)s characters.", n=128))
    lowered = password.lower()
    if lowered in COMMON_PASSWORDS or len(set(password)) < 4:
        problems.append(_("This password is too easy to guess."))
    local_part = normalize_email(email).split("@")[0]
    if (local_part and len(local_part) >= 4 and local_part in lowered) or (
        display_name and len(display_name) >= 4 and display_name.lower() in lowered
    ):
        problems.append(_("Do not use your name or e-mail address in your password."))
    return problems


_SESSION_ID = re.compile(r"([0-9]{1,18})(?::([0-9]{1,9}))?")


def load_session_user(session_id: str) -> User | None:
    """Flask-Login's user loader, for the session and the remember-me cookie: "id:generation"
    (User.get_id). A plain "id", as written before generations existed, is generation 0: valid
    until the account's sessions are first ended, refused after."""
    match = _SESSION_ID.fullmatch(session_id or "")
    if match is None:
        return None
    user = db.session.get(User, int(match.group(1)))
    if user is None or user.session_generation != int(match.group(2) or 0):
        return None
    return user


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == normalize_email(email)))


def set_content_languages(user: User, languages: list[str]) -> None:
    """Replace the user's ordered content languages (duplicates and blanks dropped)."""
    ordered: list[str] = []
    for code in languages:
        if code and code not in ordered:
            ordered.append(code)
    user.content_languages.clear()
    db.session.flush()
    for position, code in enumerate(ordered):
        user.content_languages.append(UserContentLanguage(position=position, language=code))


# Tokens: signed, time-limited, and bound to the state they change, so each works once.


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"accounts.{purpose}")


def make_token(purpose: str, user: User, **extra: str) -> str:
    payload = {"uid": user.id, "pw": user.password_hash[-12:], **extra}
    if purpose == "confirm":
        payload["email"] = user.email
    return _serializer(purpose).dumps(payload)


def load_token(purpose: str, token: str) -> tuple[User, dict] | None:
    try:
        payload = _serializer(purpose).loads(token, max_age=current_app.config["TOKEN_MAX_AGE"])
    except (SignatureExpired, BadSignature):
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("uid"), int):
        return None
    user = db.session.get(User, payload["uid"])
    if user is None or user.password_hash[-12:] != payload.get("pw"):
        return None
    if purpose == "confirm" and payload.get("email") != user.email:
        return None
    return user, payload


def _mail(user_locale: str | None, to: str, subject_and_body) -> None:
    with force_locale(user_locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        subject, body = subject_and_body()
    send_mail(to, subject, body)


# Operations


@dataclass
class Registration:
    user: User | None
    already_registered: bool


def register(
    email: str,
    display_name: str,
    password: str,
    locale: str,
    content_languages: list[str],
    home_city_id: int | None = None,
) -> Registration:
    """Create an account and mail its confirmation link.

    An address already in use gets a notice by mail instead, so the page never tells a visitor
    whether an address is registered.
    """
    email = normalize_email(email)
    existing = find_user_by_email(email)
    # The password is hashed either way, so both answers take the same time.
    password_hash = hash_password(password)
    if existing is not None:
        _mail(
            existing.locale,
            existing.email,
            lambda: (
                _("Someone tried to register with your address"),
                _(
                    "Someone tried to create a Learning Cities account with this address. "
                    "If it was you, log in or reset your password here: %(url)s",
                    url=url_for("accounts.reset_request", _external=True),
                ),
            ),
        )
        return Registration(None, already_registered=True)
    user = User(
        email=email,
        display_name=display_name.strip(),
        password_hash=password_hash,
        locale=locale,
    )
    db.session.add(user)
    set_content_languages(user, content_languages or [locale])
    set_home_city(user, home_city_id)
    db.session.flush()
    send_confirmation(user)
    return Registration(user, already_registered=False)


def send_confirmation(user: User) -> None:
    url = url_for("accounts.confirm", token=make_token("confirm", user), _external=True)
    _mail(
        user.locale,
        user.email,
        lambda: (
            _("Confirm your e-mail address"),
            _(
                "Welcome to Learning Cities, %(name)s. Confirm your address by opening this "
                "link: %(url)s",
                name=user.display_name,
                url=url,
            ),
        ),
    )


def confirm(token: str) -> User | None:
    loaded = load_token("confirm", token)
    if loaded is None:
        return None
    user, _payload = loaded
    if user.confirmed_at is None:
        user.confirmed_at = utcnow()
    return user


def authenticate(email: str, password: str) -> User | None:
    user = find_user_by_email(email)
    return user if verify_password(user, password) else None


def login_failed(email: str, attempt: throttle.Attempt) -> None:
    """Count a wrong password for the log-in throttle; the owner of the address, if it has an
    account, is told once when the wrong passwords of the hour reach the throttle's notice."""
    if not throttle.record_failure(attempt):
        return
    user = find_user_by_email(email)
    if user is None:
        return
    url = url_for("accounts.reset_request", _external=True)
    _mail(
        user.locale,
        user.email,
        lambda: (
            _("Wrong passwords typed for your account"),
            _(
                "Several wrong passwords were typed in the last hour to log in to your "
                "Learning Cities account. If it was you, nothing is needed. If it was not, "
                "someone may be trying to guess your password: you can still log in as usual, "
                "and you can choose a long password that you use nowhere else here: %(url)s",
                url=url,
            ),
        ),
    )


def request_password_reset(email: str) -> None:
    """Mail a reset link if the address has an account; say nothing either way."""
    user = find_user_by_email(email)
    if user is None:
        # Neither branch hashes anything: the answer takes the same time either way.
        return
    url = url_for("accounts.reset", token=make_token("reset", user), _external=True)
    _mail(
        user.locale,
        user.email,
        lambda: (
            _("Reset your password"),
            _(
                "To choose a new password, open this link within two days: %(url)s. "
                "If you did not ask for it, ignore this message.",
                url=url,
            ),
        ),
    )


def reset_password(token: str, new_password: str) -> User | None:
    loaded = load_token("reset", token)
    if loaded is None:
        return None
    user, _payload = loaded
    user.password_hash = hash_password(new_password)
    user.end_sessions()
    # Following the mailed link proves the address too, and lifts the log-in throttle's
    # refusals for the account (whoever was guessing, the owner has a new password).
    if user.confirmed_at is None:
        user.confirmed_at = utcnow()
    throttle.forget_account(user.email)
    return user


def change_password(user: User, new_password: str) -> None:
    """A new password ends every session of the account (the view signs the one that asked in
    again)."""
    user.password_hash = hash_password(new_password)
    user.end_sessions()


def request_email_change(user: User, new_email: str) -> None:
    """Mail a link to the new address; the address changes only when it is followed."""
    new_email = normalize_email(new_email)
    if find_user_by_email(new_email) is not None:
        return  # silently: the page must not reveal that the address has an account
    url = url_for(
        "accounts.confirm_email_change",
        token=make_token("email", user, new_email=new_email),
        _external=True,
    )
    _mail(
        user.locale,
        new_email,
        lambda: (
            _("Confirm your new e-mail address"),
            _("To use this address for your Learning Cities account, open: %(url)s", url=url),
        ),
    )


def confirm_email_change(token: str) -> User | None:
    loaded = load_token("email", token)
    if loaded is None:
        return None
    user, payload = loaded
    new_email = payload.get("new_email")
    if not isinstance(new_email, str) or find_user_by_email(new_email) is not None:
        return None
    user.email = new_email
    user.confirmed_at = utcnow()
    user.end_sessions()
    return user


def update_profile(
    user: User,
    display_name: str,
    locale: str,
    content_languages: list[str],
    home_city_id: int | None = None,
) -> None:
    user.display_name = display_name.strip()
    user.locale = locale
    set_content_languages(user, content_languages)
    set_home_city(user, home_city_id)


def member_cities_for_choice() -> list[City]:
    """The cities one may say one lives in: the network's members, by name."""
    return list(
        db.session.scalars(
            sa.select(City).where(City.membership_status == "member").order_by(City.name, City.id)
        )
    )


def set_home_city(user: User, city_id: int | None) -> None:
    """Say (or stop saying, with None) which member city one lives in. Anything but a member
    city is refused with ValueError (the forms offer only those); it grants no right."""
    if city_id is not None:
        member = db.session.scalar(
            sa.select(City.id).where(City.id == city_id, City.membership_status == "member")
        )
        if member is None:
            raise ValueError(f"not a member city: {city_id!r}")
    user.home_city_id = city_id
