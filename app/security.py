"""Web security in one place: response headers, rate limits, proxy headers, database engine
options, log redaction, and the pages for "too large", "too many requests" and "database away".

Every rate limit of the platform is in RATE_LIMITS below, by endpoint name, so they can be
reviewed together; `install_rate_limits` applies them after the blueprints are registered. The
one exception is wrong passwords per account, counted in the database by the log-in throttle
(app/accounts/throttle.py), whose table says what it refuses and what it only slows.
"""

from __future__ import annotations

import contextlib
import functools
import ipaddress
import logging
import math
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from flask import Flask, Response, current_app, g, render_template, request, session
from flask_babel import force_locale, format_timedelta
from flask_limiter import Limiter, RateLimitExceeded
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix

from app.extensions import db, login_manager
from app.hooks import error_answer

# Headers


CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": (
        "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
        "microphone=(), payment=(), usb=()"
    ),
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}
# Two years, the value browsers' preload lists ask for; sent only in production (HTTPS).
STRICT_TRANSPORT_SECURITY = "max-age=63072000; includeSubDomains"


def harden(response: Response) -> Response:
    """Add the security headers to a response (a view may have set its own CSP first)."""
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if current_app.config["ENV_NAME"] == "production":
        response.headers.setdefault("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY)
    if request.view_args and "token" in request.view_args:
        # A link with a secret in its path: no Referer carries it anywhere, nothing caches it.
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Cache-Control"] = "no-store"
    return response


# Proxies and the database engine


def apply_proxy_fix(app: Flask) -> None:
    """Behind LC_TRUSTED_PROXIES reverse proxies, take the client's address and scheme from
    X-Forwarded-For/-Proto (else every visitor would share the proxy's address, and one
    person's rate limit would stop everyone). Never trust those headers without a proxy."""
    proxies = int(app.config.get("TRUSTED_PROXIES") or 0)
    if proxies > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]


def engine_options(config: dict[str, Any]) -> dict[str, Any]:
    """Engine options that survive a database restart: every pooled connection is pinged before
    use and replaced if dead, connections are recycled before servers or firewalls drop them,
    and a connection attempt to an unreachable server gives up quickly (then the 503 page)."""
    options = dict(config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    options.setdefault("pool_pre_ping", True)
    if str(config.get("SQLALCHEMY_DATABASE_URI", "")).startswith("postgresql"):
        options.setdefault("pool_recycle", config.get("DB_POOL_RECYCLE", 1800))
        connect_args = dict(options.get("connect_args") or {})
        connect_args.setdefault("connect_timeout", config.get("DB_CONNECT_TIMEOUT", 5))
        options["connect_args"] = connect_args
    return options


# Rate limits: who is counted


def client_address() -> str:
    """The visitor's address; an IPv6 visitor is counted by their /64, which one household
    or phone usually holds whole (else a new address per attempt would escape every limit)."""
    address = request.remote_addr or "unknown"
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def per_address() -> str:
    return f"address:{client_address()}"


def per_account() -> str:
    """The signed-in account; an anonymous request (sent to log in anyway) by its address."""
    if current_user.is_authenticated:
        return f"account:{current_user.id}"
    return per_address()


@dataclass(frozen=True)
class RateLimit:
    """`limits` for the requests (`methods`) to `endpoints`, counted together under `name` for
    each key that `key` returns (an account, an address, a log-in e-mail)."""

    name: str
    limits: str
    key: Callable[[], str]
    endpoints: tuple[str, ...]
    methods: tuple[str, ...] = ("POST",)


RATE_LIMITS: tuple[RateLimit, ...] = (
    # Guessing passwords: per address here. Per account, the log-in throttle counts wrong
    # passwords in the database (app/accounts/throttle.py, its table there): it refuses an
    # address that keeps guessing one account and slows guessing from many addresses, but
    # never refuses the owner (a limit per account here would lock them out).
    RateLimit("login-address", "10/minute", per_address, ("accounts.login",)),
    RateLimit(
        "password-check",
        "5/minute;30/hour",
        per_account,
        ("accounts.change_password", "accounts.change_email"),
    ),
    # New accounts and e-mails sent on request. A school class may register from one address.
    RateLimit("register", "10/minute;60/hour", per_address, ("accounts.register",)),
    RateLimit(
        "password-reset",
        "5/minute;20/hour",
        per_address,
        ("accounts.reset_request", "accounts.reset"),
    ),
    RateLimit(
        "confirmation-mail", "3/minute;10/hour", per_address, ("accounts.resend_confirmation",)
    ),
    RateLimit(
        "token-links",
        "30/minute",
        per_address,
        ("accounts.confirm", "accounts.confirm_email_change", "accounts.reset"),
        methods=("GET",),
    ),
    # Posting (spam brake): proposals, comments and their edits, good practices.
    RateLimit(
        "posting",
        "10/minute;100/day",
        per_account,
        (
            "proposals.new",
            "proposals.edit",
            "proposals.withdraw",
            "proposals.comment",
            "proposals.edit_comment",
            "practices.new",
            "practices.edit",
        ),
    ),
    # Supports and ballots: generous for a person, a wall for a script.
    RateLimit(
        "voting",
        "60/minute",
        per_account,
        (
            "voting.support",
            "voting.withdraw_support",
            "voting.ballot",
            "voting.cast",
            "voting.withdraw_ballot",
        ),
    ),
    RateLimit("paper-ballots", "20/minute;500/day", per_account, ("voting.paper",)),
    # Uploads: each one is parsed whole; a new upload endpoint joins this row.
    RateLimit(
        "uploads",
        "10/minute;50/day",
        per_account,
        ("voting.import_pabulib", "attachments.upload"),
    ),
    RateLimit("reports", "10/minute;50/day", per_account, ("moderation.report",)),
    RateLimit(
        "account-data",
        "5/hour",
        per_account,
        ("privacy.my_data_json", "privacy.delete_account"),
    ),
)

# Whole blueprints, every request of them (reads included), counted per address: the public
# API is read by scripts, and one script must not take the site's capacity from the others.
# The configuration may set another value (RATELIMIT_API for the row named "api").
BLUEPRINT_LIMITS: tuple[RateLimit, ...] = (
    RateLimit("api", "300/minute;5000/hour", per_address, ("api",), ("GET", "HEAD", "OPTIONS")),
)

# Any other state-changing request, per endpoint and account (or address): a ceiling for
# endpoints without a row above, including new ones until they get their row
# (RATELIMIT_OTHER_CHANGES in the configuration overrides it).
DEFAULT_LIMIT = "120/minute"


def limiter_of(app: Flask) -> Limiter | None:
    return app.extensions.get("lc_limiter")


def install_rate_limits(app: Flask) -> None:
    """One Limiter per application (Flask-Limiter keeps its switch and storage on the instance,
    and the tests build several applications), wrapping the views listed in RATE_LIMITS.
    Storage: memory by default; LC_RATELIMIT_STORAGE_URL (redis://…, the `redis` extra) when
    several app servers must share the counts."""
    if not app.config.get("RATELIMIT_ENABLED", True):
        return
    limiter = Limiter(
        key_func=per_account,
        default_limits=[app.config.get("RATELIMIT_OTHER_CHANGES", DEFAULT_LIMIT)],
        default_limits_exempt_when=lambda: request.method in ("GET", "HEAD", "OPTIONS"),
    )
    limiter.init_app(app)
    app.extensions["lc_limiter"] = limiter
    unknown = [
        endpoint
        for rule in RATE_LIMITS
        for endpoint in rule.endpoints
        if endpoint not in app.view_functions
    ]
    if unknown:
        raise RuntimeError(f"RATE_LIMITS names endpoints that do not exist: {unknown}")
    for rule in BLUEPRINT_LIMITS:
        for name in rule.endpoints:
            limits = app.config.get(f"RATELIMIT_{rule.name.upper()}", rule.limits)
            limiter.limit(limits, scope=rule.name, key_func=rule.key, methods=list(rule.methods))(
                app.blueprints[name]
            )
    for rule in RATE_LIMITS:
        shared = limiter.shared_limit(
            rule.limits, scope=rule.name, key_func=rule.key, methods=list(rule.methods)
        )
        for endpoint in rule.endpoints:
            app.view_functions[endpoint] = shared(app.view_functions[endpoint])


def retry_after_seconds(app: Flask) -> int:
    limiter = limiter_of(app)
    current = limiter.current_limit if limiter is not None else None
    if current is None:
        return 60
    return max(1, math.ceil(current.reset_at - time.time()))


def wait_words(seconds: int) -> str:
    """'45 seconds', '3 minutes', '1 hour' in the reader's locale, never less than the wait."""
    if seconds > 60:
        seconds = math.ceil(seconds / 60) * 60
    return format_timedelta(timedelta(seconds=seconds), threshold=1)


def render_too_many_requests(error: RateLimitExceeded) -> Response:
    db.session.rollback()
    seconds = retry_after_seconds(current_app)
    response = error_answer(error, 429)
    if response is None:
        html = render_template("errors/429.html", code=429, wait=wait_words(seconds))
        response = current_app.make_response((html, 429))
    response.headers["Retry-After"] = str(seconds)
    return response


# The database is away (restarting, failing over, unreachable)

DATABASE_UNAVAILABLE = (sa.exc.OperationalError, sa.exc.InterfaceError, sa.exc.DisconnectionError)
DATABASE_RETRY_AFTER = 10


def _locale_without_database() -> str:
    """The reader's locale from the session or the browser: their account setting would need
    the database, which is not answering."""
    locales = current_app.config["LOCALES"]
    if session.get("locale") in locales:
        return session["locale"]
    return (
        request.accept_languages.best_match(locales) or current_app.config["BABEL_DEFAULT_LOCALE"]
    )


def service_unavailable_response() -> Response:
    """Status 503 and a page that needs no database ("nothing was saved, try again")."""
    with contextlib.suppress(DATABASE_UNAVAILABLE):
        db.session.rollback()
    if "_login_user" not in g:
        # Rendering asks Flask-Login for the user, which would query the database again.
        g._login_user = login_manager.anonymous_user()
    locale = _locale_without_database()
    response = error_answer(None, 503)
    if response is None:
        with force_locale(locale):
            html = render_template("errors/503.html", code=503)
        response = current_app.make_response((html, 503))
        # Said here: the request's own locale may be the account's, which needs the database.
        response.headers["Content-Language"] = locale
    response.headers["Retry-After"] = str(DATABASE_RETRY_AFTER)
    # Hardened here too: when an after_request hook fails again, Flask sends the page as is.
    return harden(response)


# SQLite reports a mistake in our SQL or schema as an OperationalError too: that is a bug (a
# 500 with its traceback in the log), not the database being away.
_SQLITE_MISTAKES = re.compile(r"no such (table|column|function)|syntax error|has no column")


def is_database_unavailable(error: Exception) -> bool:
    if not isinstance(error, DATABASE_UNAVAILABLE):
        return False
    original = getattr(error, "orig", None)
    return not (type(original).__module__ == "sqlite3" and _SQLITE_MISTAKES.search(str(original)))


def render_database_unavailable(error: Exception) -> Response:
    if not is_database_unavailable(error):
        raise error
    current_app.logger.error(
        "database unavailable on %s %s: %s", request.method, request.path, error
    )
    return service_unavailable_response()


def survives_database_loss(handler: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """An error handler whose page meets the database away (loading the signed-in visitor or
    their locale, a count in the layout) answers with the 503 page: an error out of an error
    handler would reach the visitor as the server's bare "Internal Server Error"."""

    @functools.wraps(handler)
    def guarded(error: Any) -> Any:
        try:
            return handler(error)
        except DATABASE_UNAVAILABLE as lost:
            return render_database_unavailable(lost)

    return guarded


def register_error_pages(app: Flask) -> None:
    app.register_error_handler(RateLimitExceeded, survives_database_loss(render_too_many_requests))
    for error_class in DATABASE_UNAVAILABLE:
        app.register_error_handler(error_class, render_database_unavailable)


# Logs: no tokens


REDACTED = "[redacted]"
_QUERY_SECRETS = re.compile(r"([?&](?:token|password|key)=)[^&\s\"']+", re.IGNORECASE)


def _token_patterns(app: Flask) -> list[re.Pattern[str]]:
    """From every route with a <token> in its path (/account/confirm/<token>, /account/reset/
    <token>, /account/email/<token>, and any added later): a pattern for the secret part."""
    patterns = []
    for rule in app.url_map.iter_rules():
        if "token" not in rule.arguments:
            continue
        parts = re.split(r"<(?:[^:<>]+:)?([^<>]+)>", rule.rule)
        regex = ""
        for index, part in enumerate(parts):
            if index % 2 == 0:
                regex += re.escape(part)
            elif part == "token":
                regex += r")([^/?#\s\"']+)("
            else:
                regex += r"[^/?#\s\"']+"
        patterns.append(re.compile(f"({regex})"))
    return patterns


class RedactSecrets(logging.Filter):
    """Replace the secrets in URLs (tokens in paths, ?token=… in query strings) by [redacted]
    in a log record, message and traceback. Installed on the access logs (werkzeug's and
    gunicorn's, which print the request line and the Referer) and on the application's."""

    def __init__(self, patterns: list[re.Pattern[str]]) -> None:
        super().__init__()
        self.patterns = patterns

    def redact(self, text: str) -> str:
        for pattern in self.patterns:
            text = pattern.sub(lambda m: m.group(1) + REDACTED + m.group(3), text)
        return _QUERY_SECRETS.sub(lambda m: m.group(1) + REDACTED, text)

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            return True
        redacted = self.redact(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        if record.exc_info and not record.exc_text:
            record.exc_text = self.redact(logging.Formatter().formatException(record.exc_info))
        return True


ACCESS_LOGGERS = ("werkzeug", "gunicorn.access")


def install_log_redaction(app: Flask) -> None:
    """Access logs are always redacted. The application's own log too, except in development,
    where e-mails go to the log on purpose so a newcomer can follow their links."""
    redactor = RedactSecrets(_token_patterns(app))
    loggers = list(ACCESS_LOGGERS)
    if app.config["ENV_NAME"] == "production":
        loggers += ["gunicorn.error", app.logger.name, "flask-limiter"]
    for name in loggers:
        logger = logging.getLogger(name)
        for existing in [f for f in logger.filters if isinstance(f, RedactSecrets)]:
            logger.removeFilter(existing)
        logger.addFilter(redactor)


def init_app(app: Flask) -> None:
    """Called by create_app once the blueprints are registered."""
    apply_proxy_fix(app)
    install_rate_limits(app)
    install_log_redaction(app)
