"""Account operations: plain functions that flush and never commit (the request commits)."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from app.accounts.models import User, UserContentLanguage
from app.db_types import utcnow
from app.extensions import db
from app.mail import send_mail

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
    params = current_app.config.get("ARGON2_PARAMS") or {}
    return PasswordHasher(**params)


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(user: User | None, password: str) -> bool:
    """Check a password; with no user, still spend the time of a check (no timing oracle)."""
    hasher = _hasher()
    if user is None:
        with contextlib.suppress(VerificationError):
            hasher.verify(hasher.hash("not-a-real-password"), password + "x")
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
    email: str, display_name: str, password: str, locale: str, content_languages: list[str]
) -> Registration:
    """Create an account and mail its confirmation link.

    An address already in use gets a notice by mail instead, so the page never tells a visitor
    whether an address is registered.
    """
    email = normalize_email(email)
    existing = find_user_by_email(email)
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
        password_hash=hash_password(password),
        locale=locale,
    )
    db.session.add(user)
    set_content_languages(user, content_languages or [locale])
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


def request_password_reset(email: str) -> None:
    """Mail a reset link if the address has an account; say nothing either way."""
    user = find_user_by_email(email)
    if user is None:
        verify_password(None, email)  # same time whether or not the address exists
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
    # Following the mailed link proves the address too.
    if user.confirmed_at is None:
        user.confirmed_at = utcnow()
    return user


def change_password(user: User, new_password: str) -> None:
    user.password_hash = hash_password(new_password)


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
    return user


def update_profile(
    user: User, display_name: str, locale: str, content_languages: list[str]
) -> None:
    user.display_name = display_name.strip()
    user.locale = locale
    set_content_languages(user, content_languages)
