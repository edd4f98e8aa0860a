"""Bare extension instances, initialised in create_app."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any

from flask import Flask
from flask_babel import Babel
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from app.cli import LazyCommand

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


if TYPE_CHECKING:
    from flask_migrate import Migrate

MIGRATIONS_HELP = "Perform database migrations."


class _MigrateConfig:
    """What Flask-Migrate's functions and migrations/env.py read in ``app.extensions["migrate"]``
    (the attributes of Flask-Migrate's own ``_MigrateConfig``), with the ``Migrate`` instance
    made on first use."""

    def __init__(self, db: SQLAlchemy, directory: str, configure_args: dict[str, Any]) -> None:
        self.db = db
        self.directory = directory
        self.configure_args = configure_args

    @property
    def metadata(self):
        return self.db.metadata

    @cached_property
    def migrate(self) -> Migrate:
        from flask_migrate import Migrate

        return Migrate(db=self.db, directory=self.directory, **self.configure_args)


class Migrations:
    """Flask-Migrate on an application, without importing it in create_app.

    Flask-Migrate imports Alembic and Mako (a quarter of a second of CPU on our 2-core machine),
    which no command but ``flask db`` uses, nor a gunicorn worker: ``init_app`` stores what
    Flask-Migrate's own ``init_app`` stores and adds its ``flask db`` group as a lazy command;
    Flask-Migrate is imported when a ``flask db`` command runs or a migration function
    (``upgrade()``) is called.
    """

    def __init__(self, directory: str = "migrations") -> None:
        self.directory = directory

    def init_app(self, app: Flask, db: SQLAlchemy, **configure_args: Any) -> None:
        app.extensions["migrate"] = _MigrateConfig(db, self.directory, configure_args)
        app.cli.add_command(LazyCommand("db", "flask_migrate.cli:db", MIGRATIONS_HELP))


db = SQLAlchemy(model_class=Base)
migrate = Migrations()
login_manager = LoginManager()
babel = Babel()
csrf = CSRFProtect()

# The rate limiter is not here: app.security makes one per application (Flask-Limiter keeps
# its on/off switch and its storage on the instance), with the table of limits.
