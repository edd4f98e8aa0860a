"""Configuration: defaults that work with no set-up, overridden by environment variables."""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_SECRET_KEY = "dev-only-not-secret"  # noqa: S105 - refused in production, see create_app

LOCALES = ("it", "en", "fr", "de", "es", "ar")
RTL_LOCALES = frozenset({"ar", "he", "fa", "ur"})


def _bool(value: str | None, default: bool = False) -> bool:
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def load_config(instance_path: str) -> dict:
    """Build the configuration from the environment, with safe defaults for development."""
    instance = Path(instance_path)
    env = os.environ
    production = env.get("LC_ENV", "development") == "production"
    return {
        "ENV_NAME": "production" if production else "development",
        "SECRET_KEY": env.get("LC_SECRET_KEY", DEFAULT_SECRET_KEY),
        "SQLALCHEMY_DATABASE_URI": env.get(
            "LC_DATABASE_URL", f"sqlite:///{instance / 'learning-cities.sqlite'}"
        ),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "BABEL_DEFAULT_LOCALE": env.get("LC_DEFAULT_LOCALE", "it"),
        "BABEL_DEFAULT_TIMEZONE": "UTC",
        "BABEL_TRANSLATION_DIRECTORIES": str(
            Path(__file__).resolve().parent.parent / "translations"
        ),
        "LOCALES": LOCALES,
        "MAIL_SERVER": env.get("LC_MAIL_SERVER", ""),
        "MAIL_PORT": int(env.get("LC_MAIL_PORT", "587")),
        "MAIL_USERNAME": env.get("LC_MAIL_USERNAME", ""),
        "MAIL_PASSWORD": env.get("LC_MAIL_PASSWORD", ""),
        "MAIL_USE_TLS": _bool(env.get("LC_MAIL_USE_TLS"), default=True),
        "MAIL_SENDER": env.get(
            "LC_MAIL_SENDER", "Learning Cities <no-reply@learning-cities.local>"
        ),
        # The address people reach the site at, for links in e-mails sent outside a request.
        "PUBLIC_URL": env.get("LC_PUBLIC_URL", "http://127.0.0.1:5000"),
        "MAIL_OUTBOX": env.get("LC_MAIL_OUTBOX", str(instance / "outbox.jsonl")),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": production,
        "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
        "WTF_CSRF_TIME_LIMIT": None,
        "PASSWORD_MIN_LENGTH": 10,
        "TOKEN_MAX_AGE": 2 * 24 * 3600,
    }
