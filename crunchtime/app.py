"""The application factory: every piece the app installs is named here (STYLE: cookiecutter's
`create_app`), and nothing installs itself from a blueprint or on a first request."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from crunchtime import extensions
from crunchtime.config import load_config

PROJECT_ROOT = Path(__file__).resolve().parent.parent
BOARD_WORKER_MODULE = "crunchtime.live_worker"


def create_app(config: dict | None = None) -> Flask:
    """Build the app from the environment; `config` overrides (tests pass their own)."""
    app = create_data_app(config)
    register_web_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    register_commands(app)
    register_live(app)
    register_background_jobs(app)
    register_observability(app)
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
    register_logging(app)
    prepare_folders(app)
    register_data_extensions(app)
    return app


def register_logging(app: Flask) -> None:
    """Log lines with time, level, logger and request id, redacted (crunchtime/logs.py)."""
    from crunchtime.logs import configure_logging

    configure_logging(app.config.get("LOG_LEVEL", "INFO"), app.config.get("LOG_FORMAT", "text"))


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
    from crunchtime.realtime.origins import origin_check
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
    # Handshakes are accepted only from our own pages' origins (realtime/origins.py).
    extensions.socketio.init_app(
        app,
        async_mode=app.config.get("SOCKETIO_ASYNC_MODE"),
        cors_allowed_origins=origin_check(app.config),
    )


def register_blueprints(app: Flask) -> None:
    from crunchtime.views import BLUEPRINTS
    from crunchtime.views.accounts.two_factor.guard import require_second_factor_enrolment

    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    # An organiser who must have a second factor (ORGANIZER_2FA=required) reaches only its
    # set-up until it is done, even in a session opened before the rule.
    app.before_request(require_second_factor_enrolment)


def register_errorhandlers(app: Flask) -> None:
    """The error handlers, and the guard that keeps JSON bodies away from HTML forms."""
    from crunchtime.views.errors import register_error_handlers
    from crunchtime.views.forms import refuse_json_to_forms

    register_error_handlers(app)
    app.before_request(refuse_json_to_forms)


def register_template_helpers(app: Flask) -> None:
    from crunchtime.views.templating import register_template_helpers as register

    register(app)


def register_commands(app: Flask) -> None:
    """Every `crunchtime` command, by area (crunchtime/cli/)."""
    from crunchtime.cli import accounts, demo, editions, exchange, judging, mail, matching, privacy
    from crunchtime.cli import attestations as attestation_commands
    from crunchtime.cli import backup as backups
    from crunchtime.cli import second_factor as second_factor_commands

    for command in (
        editions.new_edition_command,
        editions.phase_command,
        accounts.create_organizer_command,
        second_factor_commands.reset_second_factor_command,
        demo.demo_command,
        demo.demo_logins_command,
        exchange.import_students_command,
        exchange.import_challenges_command,
        exchange.export_command,
        judging.assign_juries_command,
        matching.match_command,
        privacy.purge_command,
        mail.send_mail_command,
        backups.backup_command,
        backups.restore_command,
        attestation_commands.attestations_command,
    ):
        app.cli.add_command(command)


def register_live(app: Flask) -> None:
    """The live transport (realtime/) gets what it carries but does not decide: who joins
    which room and how the boards are computed; then its socket handlers, and the subscriber
    that tells the organisers' cockpit what any commit changed."""
    from crunchtime.metrics import timed_board
    from crunchtime.realtime.content import LiveContent, provide_live_content
    from crunchtime.realtime.handlers import register_socket_handlers
    from crunchtime.services.live import cockpit_updates
    from crunchtime.services.live.board import compute_app_board
    from crunchtime.services.live.rooms import rooms_for

    provide_live_content(app, LiveContent(
        rooms_for=rooms_for, board_views=timed_board(compute_app_board),
        worker_module=BOARD_WORKER_MODULE))
    register_socket_handlers(extensions.socketio)
    cockpit_updates.install(app)


def register_background_jobs(app: Flask) -> None:
    """Jobs of a server process: the loop that publishes scheduled announcements at their
    time, and the outbox's mail sender (off in tests and commands unless
    ANNOUNCEMENT_SCHEDULER and MAIL_SENDER say otherwise)."""
    from crunchtime.services.announcements.scheduler import start_scheduler
    from crunchtime.services.mail.sender import start_sender

    start_scheduler(app)
    start_sender(app)


def register_observability(app: Flask) -> None:
    """Last, so that it wraps everything: each request's id (logs, `X-Request-ID` response
    header), and its latency for the Prometheus metrics (timed before any other hook)."""
    from crunchtime import metrics
    from crunchtime.logs import RequestIdMiddleware

    app.wsgi_app = RequestIdMiddleware(app.wsgi_app)
    app.before_request_funcs.setdefault(None, []).insert(0, metrics.start_request_timer)
    app.after_request(metrics.observe_request)
