"""Learning Cities: a participatory consultation platform for the Learning Cities network."""

from __future__ import annotations

import contextlib
import logging
from pathlib import Path
from typing import Any

from flask import Flask, abort, render_template, request
from flask_babel import format_currency, format_date, format_decimal, get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from app import security
from app.cli import LazyCommand
from app.config import DEFAULT_SECRET_KEY, load_config
from app.database import configure_sqlite
from app.extensions import babel, csrf, db, login_manager, migrate
from app.hooks import error_answer


def create_app(config: dict[str, Any] | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    app.config.update(load_config(app.instance_path))
    if config:
        app.config.update(config)
    _refuse_unsafe_production(app)
    from app.translations import queue as machine_translation

    # Machine translation (refuses an unknown LC_MACHINE_TRANSLATION) and its queue.
    machine_translation.init_app(app)
    logging.basicConfig(level=logging.INFO)

    register_extensions(app)
    register_blueprints(app)
    # Rate limits (by endpoint), proxy headers and log redaction need the routes.
    security.init_app(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    register_request_hooks(app)
    register_static_versions(app)
    register_commands(app)
    return app


def _refuse_unsafe_production(app: Flask) -> None:
    if app.config["ENV_NAME"] != "production":
        return
    key = app.config.get("SECRET_KEY") or ""
    if key == DEFAULT_SECRET_KEY or len(key) < 32:
        raise RuntimeError(
            "LC_SECRET_KEY must be set to a random value of at least 32 characters in production"
        )


def register_extensions(app: Flask) -> None:
    from app.i18n import select_locale

    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = security.engine_options(app.config)
    db.init_app(app)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            configure_sqlite(db.engine)
    migrate.init_app(app, db, render_as_batch=True, compare_type=True)
    babel.init_app(app, locale_selector=select_locale)
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Please log in to continue.")
    login_manager.login_message_category = "info"
    # SESSION_PROTECTION in the configuration: "strong" in production, see app/config.py.
    login_manager.session_protection = app.config["SESSION_PROTECTION"]

    # Importing the models registers them on db.metadata.
    from app import models  # noqa: F401
    from app.accounts.services import load_session_user

    # Checked on every request: a session of an older generation of the account is signed out.
    login_manager.user_loader(load_session_user)


FEATURES = (
    "main",
    "api",
    "accounts",
    "attachments",
    "cities",
    "consultations",
    "organisations",
    "manifesto",
    "pathway",
    "network",
    "expenditures",
    "training",
    "practices",
    "operators",
    "proposals",
    "voting",
    "results",
    "review",
    "questionnaires",
    "projects",
    "meetings",
    "notifications",
    "moderation",
    "audit",
    "privacy",
    "translations",
    "observatory",
    "opendata",
)


def register_blueprints(app: Flask) -> None:
    import importlib

    from app.ids import IdConverter

    # Every id in a path is `<id:…>`: 1 to 2**31 - 1, anything else does not match (404).
    app.url_map.converters["id"] = IdConverter
    # Each feature's views attach to its blueprint when its routes module is imported.
    for feature in FEATURES:
        importlib.import_module(f"app.{feature}.routes")
    from app.accounts import bp as accounts_bp
    from app.api import bp as api_bp
    from app.attachments import bp as attachments_bp
    from app.audit import bp as audit_bp
    from app.cities import bp as cities_bp
    from app.consultations import bp as consultations_bp
    from app.expenditures import bp as expenditures_bp
    from app.main import bp as main_bp
    from app.manifesto import bp as manifesto_bp
    from app.meetings import bp as meetings_bp
    from app.moderation import bp as moderation_bp
    from app.network import bp as network_bp
    from app.notifications import bp as notifications_bp
    from app.observatory import bp as observatory_bp
    from app.opendata import bp as opendata_bp
    from app.operators import bp as operators_bp
    from app.organisations import bp as organisations_bp
    from app.pathway import bp as pathway_bp
    from app.practices import bp as practices_bp
    from app.privacy import bp as privacy_bp
    from app.projects import bp as projects_bp
    from app.proposals import bp as proposals_bp
    from app.questionnaires import bp as questionnaires_bp
    from app.results import bp as results_bp
    from app.review import bp as review_bp
    from app.training import bp as training_bp
    from app.translations import bp as translations_bp
    from app.voting import bp as voting_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(accounts_bp, url_prefix="/account")
    app.register_blueprint(cities_bp, url_prefix="/cities")
    app.register_blueprint(consultations_bp, url_prefix="/consultations")
    app.register_blueprint(organisations_bp, url_prefix="/organisations")
    app.register_blueprint(manifesto_bp, url_prefix="/manifesto")
    app.register_blueprint(pathway_bp, url_prefix="/pathway")
    app.register_blueprint(network_bp, url_prefix="/network")
    app.register_blueprint(expenditures_bp, url_prefix="/expenditures")
    app.register_blueprint(training_bp, url_prefix="/training")
    app.register_blueprint(practices_bp, url_prefix="/good-practices")
    app.register_blueprint(operators_bp, url_prefix="/operators")
    # Proposals, voting and results live under /consultations/<id>/… and /proposals/<id>/….
    app.register_blueprint(proposals_bp)
    app.register_blueprint(voting_bp)
    app.register_blueprint(results_bp)
    app.register_blueprint(review_bp)
    app.register_blueprint(questionnaires_bp)
    app.register_blueprint(projects_bp, url_prefix="/projects")
    app.register_blueprint(meetings_bp, url_prefix="/meetings")
    app.register_blueprint(notifications_bp, url_prefix="/notifications")
    app.register_blueprint(moderation_bp, url_prefix="/moderation")
    app.register_blueprint(audit_bp, url_prefix="/audit")
    app.register_blueprint(privacy_bp, url_prefix="/privacy")
    app.register_blueprint(translations_bp, url_prefix="/translations")
    app.register_blueprint(observatory_bp, url_prefix="/observatory")
    # /open-data, /cities/<slug>/open-data and the DCAT-AP catalogue /api/catalog.jsonld.
    app.register_blueprint(opendata_bp)
    app.register_blueprint(attachments_bp, url_prefix="/attachments")
    app.register_blueprint(api_bp, url_prefix="/api")


def register_errorhandlers(app: Flask) -> None:
    @security.survives_database_loss
    def render_error(error: HTTPException):
        code = error.code or 500
        if code == 503:
            return security.service_unavailable_response()
        if security.is_database_unavailable(getattr(error, "original_exception", None)):
            # Out of an after_request hook or a failing error handler, Flask makes any error a
            # 500 (skipping the handlers of its class): the database away is still a 503.
            return security.service_unavailable_response()
        db.session.rollback()
        answer = error_answer(error, code)
        if answer is not None:
            return answer
        own_page = (403, 404, 413, 500)
        template = f"errors/{code}.html" if code in own_page else "errors/generic.html"
        return render_template(template, error=error, code=code), code

    @security.survives_database_loss
    def render_csrf_error(error: CSRFError) -> tuple[str, int]:
        db.session.rollback()
        return render_template("errors/csrf.html", code=400), 400

    @security.survives_database_loss
    def render_unexpected(error: Exception) -> tuple[str, int]:
        db.session.rollback()
        app.logger.exception("unexpected error on %s", request.path)
        answer = error_answer(error, 500)
        if answer is not None:
            return answer
        return render_template("errors/500.html", code=500), 500

    app.register_error_handler(CSRFError, render_csrf_error)
    app.register_error_handler(HTTPException, render_error)
    # 429 with Retry-After; the database away (OperationalError…) is a 503, never a 500.
    security.register_error_pages(app)
    if not app.testing and not app.debug:
        app.register_error_handler(Exception, render_unexpected)


def register_template_helpers(app: Flask) -> None:
    from app.auth.permissions import template_helpers
    from app.i18n import (
        country_name,
        deadline,
        language_name,
        local_datetime,
        native_language_name,
        percent,
        relative_time,
        text_direction,
    )

    # Functions are globals, so imported macros see them too; values that depend on the
    # request come from the context processor.
    from app.notifications.services import unread_count

    app.jinja_env.globals.update(
        unread_count=unread_count,
        language_name=language_name,
        country_name=country_name,
        percent=percent,
        dir_of=text_direction,
        **template_helpers(),
    )

    @app.context_processor
    def inject() -> dict[str, Any]:
        locale = str(get_locale())
        return {
            "current_locale": locale,
            "text_direction": text_direction(locale),
            "interface_locales": [
                (code, native_language_name(code)) for code in app.config["LOCALES"]
            ],
        }

    app.jinja_env.filters["date"] = lambda value, fmt="medium": (
        format_date(value, fmt) if value else ""
    )
    # Every moment shown to people goes through these (app/i18n.py): no seconds, no offsets.
    app.jinja_env.filters["datetime"] = local_datetime
    app.jinja_env.filters["deadline"] = deadline
    app.jinja_env.filters["relative_time"] = relative_time
    app.jinja_env.filters["number"] = lambda value: (
        format_decimal(value) if value is not None else ""
    )
    app.jinja_env.filters["currency"] = lambda value, code="EUR": (
        format_currency(value, code) if value is not None else ""
    )


def register_static_versions(app: Flask) -> None:
    """`url_for('static', filename=…)` adds the file's modified time (`?v=…`): a changed file
    gets a new address, so browsers may cache static files for SEND_FILE_MAX_AGE_DEFAULT."""

    @app.url_defaults
    def static_version(endpoint: str, values: dict) -> None:
        if endpoint != "static" or "v" in values or not app.static_folder:
            return
        try:
            values["v"] = int(Path(app.static_folder, values["filename"]).stat().st_mtime)
        except (KeyError, OSError):
            return


def register_request_hooks(app: Flask) -> None:
    @app.before_request
    def refuse_nul_bytes():
        # No real text holds a NUL byte, and PostgreSQL refuses one in text columns: such a
        # request is malformed (400 in the visitor's language, nothing written).
        values = [*request.args.keys(), *request.args.values()]
        if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
            values += [*request.form.keys(), *request.form.values()]
            # An uploaded file's name is stored too (where an import came from).
            for name, upload in request.files.items(multi=True):
                values += [name, upload.filename or ""]
        if any("\x00" in value for value in values):
            abort(400)

    @app.after_request
    def commit_and_harden(response):
        if request.endpoint == "static":
            # A file: no transaction to commit, no visitor to load (nor their locale).
            return security.harden(response)
        try:
            if "Content-Language" not in response.headers:
                # Before the commit, which expires the signed-in user: their locale would be
                # loaded again, from a database that may have gone meanwhile.
                response.headers["Content-Language"] = str(get_locale())
            # The request commits once, here; services only flush.
            if response.status_code < 400:
                db.session.commit()
        except security.DATABASE_UNAVAILABLE as error:
            if not security.is_database_unavailable(error):
                raise
            # The database went away before the commit: nothing was saved, say so.
            app.logger.error("database unavailable at commit on %s: %s", request.path, error)
            response = security.service_unavailable_response()
        if response.status_code >= 400:
            # An error changes nothing. A connection lost since has nothing left to undo.
            with contextlib.suppress(*security.DATABASE_UNAVAILABLE):
                db.session.rollback()
        security.harden(response)
        response.vary.add("Accept-Language")
        response.vary.add("Cookie")
        return response

    @app.teardown_appcontext
    def close_session(_error: BaseException | None) -> None:
        # Runs before Flask-SQLAlchemy's own (teardowns run in reverse order). Closing a session
        # rolls back its open transaction: on a connection lost after the answer was made that
        # raises, and an error out of a teardown replaces the answer by the server's bare 500.
        try:
            db.session.remove()
        except security.DATABASE_UNAVAILABLE as error:
            app.logger.warning("database connection lost before the session closed: %s", error)
            db.session.remove()  # the lost connection is now discarded: this one is quiet


# The application's commands: (name, "module:command", the help's first line). Each module is
# imported when its command runs (app/cli.py): `flask --help` and cron's `flask consultations
# advance` do not pay for the others' imports.
COMMANDS = (
    (
        "demo-seed",
        "app.demo.commands:demo_seed",
        "Create the demo data where missing and print the demo log-ins.",
    ),
    ("consultations", "app.consultations.commands:consultations_cli", "Consultation chores."),
    ("results", "app.results.commands:results_cli", "Result snapshots."),
    ("notifications", "app.notifications.commands:notifications_cli", "Notification chores."),
    ("ballots", "app.voting.reminder_commands:ballots_cli", "Budget ballot chores."),
    (
        "pabulib",
        "app.voting.commands:pabulib",
        "Pabulib (.pb) files of participatory budgeting votes.",
    ),
    ("translations", "app.translations.commands:translations_cli", "Content translations."),
    ("observatory", "app.observatory.commands:observatory_cli", "The intercultural observatory."),
    ("projects", "app.projects.commands:projects_cli", "Funded projects."),
    ("meetings", "app.meetings.reminder_commands:meetings_cli", "Meeting chores."),
)


def register_commands(app: Flask) -> None:
    for name, target, help_line in COMMANDS:
        app.cli.add_command(LazyCommand(name, target, help_line))
