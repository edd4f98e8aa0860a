"""The migrations build the schema from nothing, and they match the models exactly."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from app.db_types import include_object
from app.extensions import db


def test_models_and_migrations_do_not_drift(app):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_object": include_object}
        )
        differences = compare_metadata(context, db.metadata)
    assert differences == [], f"run `flask db migrate`: models and migrations differ: {differences}"


def test_migrations_reached_head(app):
    from alembic.script import ScriptDirectory
    from flask_migrate import Migrate

    config = app.extensions["migrate"].migrate.get_config()
    heads = ScriptDirectory.from_config(config).get_heads()
    with db.engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_heads()
    assert set(current) == set(heads)
    assert len(heads) == 1, "the migrations have more than one head"
    assert Migrate  # flask-migrate is the one configuring Alembic
