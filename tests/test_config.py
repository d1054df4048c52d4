"""Configuration from the environment, and the per-connection SQLite settings."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
import sqlalchemy as sa

from crunchtime.config import ConfigError, load_config


def test_development_defaults_to_sqlite_in_instance_with_uploads(tmp_path):
    config = load_config(tmp_path, environ={})
    assert config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'crunchtime.db'}"
    assert config["UPLOAD_DIR"] == str(tmp_path / "uploads")
    assert config["SECRET_KEY"]  # generated and kept in instance/
    assert load_config(tmp_path, environ={})["SECRET_KEY"] == config["SECRET_KEY"]


def test_database_url_selects_postgresql_with_psycopg3(tmp_path):
    for url in ("postgres://u@h/db", "postgresql://u@h/db"):
        config = load_config(tmp_path, environ={"DATABASE_URL": url})
        assert config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@h/db"


def test_production_refuses_to_start_without_secret_key(tmp_path):
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        load_config(tmp_path, environ={"CRUNCHTIME_ENV": "production"})
    config = load_config(tmp_path, environ={"CRUNCHTIME_ENV": "production", "SECRET_KEY": "k"})
    assert config["SECRET_KEY"] == "k"


def test_unknown_environment_and_bad_numbers_are_explained(tmp_path):
    with pytest.raises(ConfigError, match="CRUNCHTIME_ENV"):
        load_config(tmp_path, environ={"CRUNCHTIME_ENV": "prod"})
    with pytest.raises(ConfigError, match="MAIL_PORT"):
        load_config(tmp_path, environ={"MAIL_PORT": "abc"})


def test_the_command_says_in_one_line_why_it_will_not_start(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env.update(CRUNCHTIME_ENV="production", DATABASE_URL=f"sqlite:///{tmp_path}/x.db")
    result = subprocess.run(
        [sys.executable, "-c", "from crunchtime.console import main; main()", "routes"],
        capture_output=True, text=True, env=env, timeout=60,
    )
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr
    assert "Traceback" not in result.stderr


def test_connections_are_configured_for_their_database(app, db, db_kind):
    """SQLite: WAL, a busy timeout and foreign keys on every connection; PostgreSQL: psycopg 3."""
    db.engine.dispose()
    with db.engine.connect() as connection:
        if db_kind == "sqlite":
            assert connection.execute(sa.text("PRAGMA journal_mode")).scalar() == "wal"
            assert connection.execute(sa.text("PRAGMA busy_timeout")).scalar() == 5000
            assert connection.execute(sa.text("PRAGMA foreign_keys")).scalar() == 1
        else:
            assert db.engine.dialect.driver == "psycopg"
            assert connection.dialect.server_version_info >= (13,)
