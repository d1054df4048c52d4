"""The migrations build exactly the schema the models declare, and undo it."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from crunchtime.extensions import db
from crunchtime.models.base import Base


def pending_differences(connection) -> list:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return compare_metadata(context, Base.metadata)


def test_upgrade_gives_the_models_schema_and_downgrade_removes_it(make_app, fresh_database_url):
    app = make_app(SQLALCHEMY_DATABASE_URI=fresh_database_url("migrations"))
    with app.app_context():
        upgrade(revision="heads")
        with db.engine.connect() as connection:
            assert pending_differences(connection) == []
            tables = set(sa.inspect(connection).get_table_names())
        assert set(Base.metadata.tables) <= tables

        downgrade(revision="base")
        with db.engine.connect() as connection:
            assert set(sa.inspect(connection).get_table_names()) == {"alembic_version"}

        upgrade(revision="heads")
        with db.engine.connect() as connection:
            assert pending_differences(connection) == []
        db.engine.dispose()


def test_models_detect_a_missing_column(make_app, fresh_database_url):
    """The comparison used above does see a difference when there is one."""
    app = make_app(SQLALCHEMY_DATABASE_URI=fresh_database_url("drift"))
    with app.app_context():
        upgrade(revision="heads")
        with db.engine.begin() as connection:
            connection.execute(sa.text("DROP TABLE outbox_message"))
        with db.engine.connect() as connection:
            differences = pending_differences(connection)
        assert any(diff[0] == "add_table" and diff[1].name == "outbox_message"
                   for diff in differences)
        db.engine.dispose()
