"""Configuration: defaults that work with no set-up, overridden by environment variables."""

from __future__ import annotations

import os
from datetime import timedelta
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
        # pool_pre_ping, pool_recycle and a connect timeout: app.security.engine_options.
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "DB_POOL_RECYCLE": int(env.get("LC_DB_POOL_RECYCLE", "1800")),
        "DB_CONNECT_TIMEOUT": int(env.get("LC_DB_CONNECT_TIMEOUT", "5")),
        "BABEL_DEFAULT_LOCALE": env.get("LC_DEFAULT_LOCALE", "it"),
        "BABEL_DEFAULT_TIMEZONE": "UTC",
        "BABEL_TRANSLATION_DIRECTORIES": str(
            Path(__file__).resolve().parent.parent / "translations"
        ),
        "LOCALES": LOCALES,
        # Machine translation of user texts (README): "" = off, "argos", or
        # "package.module:ClassName"; an unknown value refuses to start.
        # Figures about fewer people than this are suppressed in the observatory and its exports.
        "OBSERVATORY_MIN_GROUP_SIZE": int(env.get("LC_OBSERVATORY_MIN_GROUP_SIZE", "5")),
        "OBSERVATORY_MAX_AGE": int(env.get("LC_OBSERVATORY_MAX_AGE", "900")),
        # The licence every open-data download and the DCAT-AP catalogue are published under
        # (app/opendata), and who publishes them.
        "DATA_LICENCE_URL": env.get(
            "LC_DATA_LICENCE_URL", "https://creativecommons.org/licenses/by/4.0/"
        ),
        "DATA_LICENCE_NAME": env.get("LC_DATA_LICENCE_NAME", "CC BY 4.0"),
        "DATA_PUBLISHER_NAME": env.get("LC_DATA_PUBLISHER_NAME", "Learning Cities"),
        # A translator whose work was approved this many times publishes directly.
        "TRANSLATOR_TRUST_AFTER": int(env.get("LC_TRANSLATOR_TRUST_AFTER", "3")),
        "MACHINE_TRANSLATION": env.get("LC_MACHINE_TRANSLATION", ""),
        "MACHINE_TRANSLATION_MAX_ATTEMPTS": int(
            env.get("LC_MACHINE_TRANSLATION_MAX_ATTEMPTS", "5")
        ),
        "MACHINE_TRANSLATION_TIMEOUT": float(env.get("LC_MACHINE_TRANSLATION_TIMEOUT", "300")),
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
        # Static files are linked with their version (?v=<modified time>, see app/__init__.py),
        # so browsers may keep them a year: a page no longer asks again for each stylesheet.
        "SEND_FILE_MAX_AGE_DEFAULT": 365 * 24 * 3600,
        "MAIL_OUTBOX": env.get("LC_MAIL_OUTBOX", str(instance / "outbox.jsonl")),
        # Cookies: HttpOnly and SameSite=Lax always; Secure, with the __Host- prefix (this
        # host only, HTTPS only), in production.
        "SESSION_COOKIE_NAME": "__Host-session" if production else "session",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_NAME": "__Host-remember_token" if production else "remember_token",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_DURATION": timedelta(days=30),
        # "strong": a session used from another address or browser is ended. Development and
        # the tests use "basic" (marks it not fresh), as people test from several machines.
        "SESSION_PROTECTION": env.get("LC_SESSION_PROTECTION", "strong" if production else "basic"),
        # Request sizes. An url-encoded form is read into memory whole, up to the body limit,
        # so it stays small while no page takes files (raise it with LC_MAX_CONTENT_LENGTH_MB
        # when one does); a multipart text field is limited on its own.
        "MAX_CONTENT_LENGTH": int(env.get("LC_MAX_CONTENT_LENGTH_MB", "2")) * 1024 * 1024,
        "MAX_FORM_MEMORY_SIZE": 1024 * 1024,
        # Rate limits (the table is in app/security.py). Memory storage counts per process:
        # with several app servers or workers, share the counts in Redis (the `redis` extra).
        "RATELIMIT_ENABLED": _bool(env.get("LC_RATELIMIT_ENABLED"), default=True),
        "RATELIMIT_STORAGE_URI": env.get("LC_RATELIMIT_STORAGE_URL", "memory://"),
        "RATELIMIT_STRATEGY": "moving-window",
        "RATELIMIT_KEY_PREFIX": "lc",
        # If Redis is away, count in memory meanwhile rather than refuse every request.
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": bool(env.get("LC_RATELIMIT_STORAGE_URL")),
        # How many reverse proxies set X-Forwarded-For/-Proto in front of the app (0: none).
        "TRUSTED_PROXIES": int(env.get("LC_TRUSTED_PROXIES", "0")),
        # Attachments (app/attachments): where files are kept ("local" under ATTACHMENT_DIR, or
        # "s3" with the `s3` extra) and the limits of an upload.
        "ATTACHMENT_STORAGE": env.get("LC_ATTACHMENT_STORAGE", "local"),
        "ATTACHMENT_DIR": env.get("LC_ATTACHMENT_DIR", str(instance / "uploads")),
        "ATTACHMENT_S3_BUCKET": env.get("LC_ATTACHMENT_S3_BUCKET", ""),
        "ATTACHMENT_S3_ENDPOINT_URL": env.get("LC_ATTACHMENT_S3_ENDPOINT_URL", ""),
        "ATTACHMENT_S3_REGION": env.get("LC_ATTACHMENT_S3_REGION", ""),
        "ATTACHMENT_S3_ACCESS_KEY_ID": env.get("LC_ATTACHMENT_S3_ACCESS_KEY_ID", ""),
        "ATTACHMENT_S3_SECRET_ACCESS_KEY": env.get("LC_ATTACHMENT_S3_SECRET_ACCESS_KEY", ""),
        "ATTACHMENT_MAX_BYTES": int(env.get("LC_ATTACHMENT_MAX_MB", "10")) * 1024 * 1024,
        "ATTACHMENT_MAX_PER_ITEM": int(env.get("LC_ATTACHMENT_MAX_PER_ITEM", "12")),
        "ATTACHMENT_MAX_PIXELS": int(env.get("LC_ATTACHMENT_MAX_PIXELS", str(40_000_000))),
        "WTF_CSRF_TIME_LIMIT": None,
        "PASSWORD_MIN_LENGTH": 10,
        "TOKEN_MAX_AGE": 2 * 24 * 3600,
    }
