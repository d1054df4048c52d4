"""The application factory."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from crunchtime import extensions
from crunchtime.cli import accounts as cli_accounts
from crunchtime.cli import demo as cli_demo
from crunchtime.cli import editions as cli_editions
from crunchtime.cli import exchange as cli_exchange
from crunchtime.cli import judging as cli_judging
from crunchtime.cli import matching as cli_matching
from crunchtime.cli import privacy as cli_privacy
from crunchtime.config import load_config

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict | None = None) -> Flask:
    """Build the app from the environment; `config` overrides (tests pass their own)."""
    app = create_data_app(config)
    register_web_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    register_commands(app)
    register_socket_handlers()
    return app


def create_data_app(config: dict | None = None) -> Flask:
    """The app without its web side (pages, sessions, sockets, commands): the database and
    the translations, for a process that only computes, as the live board worker. It starts
    in about half the time of the whole app, and a restarted server's viewers wait for it."""
    app = Flask(
        __name__,
        instance_path=str(PROJECT_ROOT / "instance"),
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    app.config.update(load_config(app.instance_path))
    if config:
        app.config.update(config)
    prepare_folders(app)
    register_data_extensions(app)
    return app


def prepare_folders(app: Flask) -> None:
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    Path(app.config["UPLOAD_DIR"]).mkdir(parents=True, exist_ok=True)


def register_data_extensions(app: Flask) -> None:
    from crunchtime import database, i18n

    extensions.db.init_app(app)
    database.configure_engine(app)
    extensions.babel.init_app(
        app, locale_selector=i18n.select_locale, timezone_selector=i18n.select_timezone
    )


def register_web_extensions(app: Flask) -> None:
    from crunchtime.access import init_login
    from crunchtime.security.http import init_http_security

    extensions.migrate.init_app(
        app, extensions.db, directory=str(PROJECT_ROOT / "migrations"), compare_type=True
    )
    extensions.csrf.init_app(app)
    extensions.limiter.init_app(app)
    init_login(app)
    init_http_security(app)
    # No Socket.IO message queue: the live hub carries every event between processes through
    # its own Redis stream, in seq order (crunchtime/realtime/hub.py); a second pub/sub
    # channel would only repeat that traffic and reconnect whenever it sits idle.
    extensions.socketio.init_app(
        app,
        async_mode=app.config.get("SOCKETIO_ASYNC_MODE"),
        cors_allowed_origins=[],
    )


def register_blueprints(app: Flask) -> None:
    from crunchtime.views import BLUEPRINTS

    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)


def register_errorhandlers(app: Flask) -> None:
    from crunchtime.views.errors import register_error_handlers

    register_error_handlers(app)


def register_template_helpers(app: Flask) -> None:
    from crunchtime.views.templating import register_template_helpers as register

    register(app)


def register_socket_handlers() -> None:
    from crunchtime.realtime.handlers import register_socket_handlers as register

    register(extensions.socketio)


def register_commands(app: Flask) -> None:
    """Every `crunchtime` command, by area (crunchtime/cli/)."""
    commands = (
        cli_editions.new_edition_command,
        cli_accounts.create_organizer_command,
        cli_demo.demo_command,
        cli_demo.demo_logins_command,
        cli_exchange.import_students_command,
        cli_exchange.import_challenges_command,
        cli_exchange.export_command,
        cli_judging.assign_juries_command,
        cli_matching.match_command,
        cli_privacy.purge_command,
    )
    for command in commands:
        app.cli.add_command(command)
