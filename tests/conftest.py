"""Fixtures: a fresh database per run (SQLite file or a new PostgreSQL database), the app,
clients, and a logged-in user of each role. `--db postgresql` selects PostgreSQL."""

from __future__ import annotations

import os
import smtplib
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import has_app_context
from flask.testing import FlaskClient

from crunchtime.app import create_app
from crunchtime.extensions import db as _db
from crunchtime.extensions import limiter
from tests import factories
from tests.helpers import FakeSMTP, client_for

POSTGRES_ADMIN_URL = os.environ.get(
    "TEST_POSTGRES_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


POSTGRESQL_PASS_ONLY = ("postgresql", "rehearsal")


def pytest_collection_modifyitems(config, items):
    """A test marked `postgresql` is about PostgreSQL itself (row locks that SQLite does not
    have), one marked `rehearsal` plays the production topology (PostgreSQL, whatever --db
    says): each runs in the PostgreSQL pass and is deselected, not skipped, in the SQLite
    one."""
    if config.getoption("--db") == "postgresql":
        return
    kept = [item for item in items
            if not any(item.get_closest_marker(name) for name in POSTGRESQL_PASS_ONLY)]
    if len(kept) < len(items):
        config.hook.pytest_deselected(items=[item for item in items if item not in kept])
        items[:] = kept


def pytest_addoption(parser):
    parser.addoption(
        "--db", choices=("sqlite", "postgresql"),
        default=os.environ.get("CRUNCHTIME_TEST_DB", "sqlite"),
        help="database the suite runs on",
    )


def pytest_report_header(config):
    return f"crunchtime database: {config.getoption('--db')}"


class PostgresDatabases:
    """Creates uniquely named databases on the local server and drops them afterwards."""

    def __init__(self, admin_url: str = POSTGRES_ADMIN_URL):
        self.engine = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
        self.created: list[str] = []

    def create(self, label: str = "run") -> str:
        name = f"ct_test_{label}_{uuid.uuid4().hex[:10]}"
        try:
            with self.engine.connect() as connection:
                connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
        except sa.exc.OperationalError as error:
            pytest.fail(
                f"PostgreSQL is not reachable at {POSTGRES_ADMIN_URL}: {error.orig}. "
                "Start it (pg_ctlcluster ... main start) or run with --db sqlite.",
                pytrace=False,
            )
        self.created.append(name)
        return self.engine.url.set(database=name).render_as_string(hide_password=False)

    def drop_all(self) -> None:
        with self.engine.connect() as connection:
            for name in self.created:
                connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self.engine.dispose()


@pytest.fixture(scope="session")
def redis_url() -> str:
    """The local Redis (mandatory in CI, like PostgreSQL)."""
    import redis

    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=3).ping()
    except redis.RedisError as error:
        message = f"Redis is not reachable at {url}: {error}"
        if os.environ.get("CI", "").lower() in ("true", "1"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return url


@pytest.fixture(scope="session")
def db_kind(request) -> str:
    return request.config.getoption("--db")


@pytest.fixture(scope="session")
def fresh_database_url(db_kind, tmp_path_factory):
    """A factory of empty databases of the selected kind, all removed at the end."""
    postgres = PostgresDatabases() if db_kind == "postgresql" else None

    def make(label: str = "run") -> str:
        if postgres is not None:
            return postgres.create(label)
        path = tmp_path_factory.mktemp("db") / f"{label}.db"
        return f"sqlite:///{path}"

    yield make
    if postgres is not None:
        postgres.drop_all()


@pytest.fixture(scope="session")
def database_url(fresh_database_url) -> str:
    return fresh_database_url("run")


@pytest.fixture(scope="session")
def instance_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("instance")


@pytest.fixture(scope="session")
def app_config(database_url, instance_dir) -> dict:
    return {
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SECRET_KEY": "test-secret-key-not-for-production",
        "TESTING": True,
        "PASSWORD_HASH_PROFILE": "fast-tests",
        "UPLOAD_DIR": str(instance_dir / "uploads"),
        "SOCKETIO_ASYNC_MODE": "threading",
        "RATELIMIT_STORAGE_URI": "memory://",
        "RATELIMIT_ENABLED": True,
        "BASE_URL": "http://crunchtime.test",
        "MAIL_SERVER": None,
    }


class IsolatedRequestsClient(FlaskClient):
    """Each request gets its own app context, as in production.

    Without this, requests made while a test holds an app context share its `g` (cached
    CSRF token, logged-in user) and its database session, and tests pass that should not.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        if has_app_context():
            _db.session.expire_all()
        return response


@pytest.fixture(scope="session")
def make_app(app_config):
    """Build another app on the same database with some settings changed. The live extension
    stays bound to the app it served before (unless `keep_live=False`): another app, kept for
    a module or the session (tests/accounts/sso), must not take the Socket.IO server from
    under the session app's pages (tests/browser), which would then receive no event."""

    def make(keep_live: bool = True, **overrides):
        from crunchtime.extensions import socketio

        bound = {name: getattr(socketio, name, None) for name in LIVE_BINDING}
        application = create_app({**app_config, **overrides})
        application.test_client_class = IsolatedRequestsClient
        if keep_live and bound["server"] is not None:  # the first app takes it, of course
            for name, value in bound.items():
                setattr(socketio, name, value)
        return application

    return make


# What Flask-SocketIO's init_app rebinds on the extension object.
LIVE_BINDING = ("server", "sockio_mw", "async_mode", "manage_session", "server_options")


@pytest.fixture(scope="session")
def app(make_app):
    from flask_migrate import upgrade

    from crunchtime.extensions import socketio

    application = make_app()
    application.extensions["test_live_binding"] = {
        name: getattr(socketio, name, None) for name in LIVE_BINDING}
    with application.app_context():
        upgrade(revision="heads")
    return application


def empty_tables() -> None:
    """Delete every row (children first); run inside an app context."""
    _db.session.remove()
    with _db.engine.begin() as connection:
        for table in reversed(_db.metadata.sorted_tables):
            connection.execute(table.delete())


@pytest.fixture(autouse=True)
def _clean_state(request):
    """Every test starts with empty tables and fresh rate-limit counters, and the live
    extension bound to the session app: an app built meanwhile (a `crunchtime` command run
    through its CLI builds one) takes Flask-SocketIO's server, and the session app's events
    would reach nobody."""
    if "app" in request.fixturenames:
        from crunchtime.extensions import socketio

        binding = request.getfixturevalue("app").extensions["test_live_binding"]
        for name, value in binding.items():
            setattr(socketio, name, value)
    yield
    if "app" not in request.fixturenames:
        return
    application = request.getfixturevalue("app")
    with application.app_context():
        empty_tables()
    limiter.reset()


@pytest.fixture
def app_context(app):
    with app.app_context():
        yield
        _db.session.remove()


@pytest.fixture
def db(app_context):
    return _db


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def edition(db):
    return factories.edition(phase="registration")


@pytest.fixture
def student(db, edition):
    return factories.student(edition)


@pytest.fixture
def company_user(db, edition):
    return factories.company_user()


@pytest.fixture
def jury(db, edition):
    return factories.jury(edition)


@pytest.fixture
def organizer(db):
    return factories.organizer()


@pytest.fixture
def live_test_client(monkeypatch):
    """Flask-SocketIO's test client, undone after the test: it patches the server for good,
    and real browsers of later tests (tests/browser) would receive no events."""
    from crunchtime.extensions import socketio

    server = socketio.server
    for name in ("_send_packet", "_send_eio_packet", "async_handlers"):
        monkeypatch.setattr(server, name, getattr(server, name))
    monkeypatch.setattr(server.eio, "async_handlers", server.eio.async_handlers)
    return socketio.test_client


def log_in(client, user) -> None:
    """Put `user` in the client's session the way Flask-Login does after a real login."""
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True


@pytest.fixture
def login(client):
    def do_login(user):
        log_in(client, user)
        return client

    return do_login


@pytest.fixture
def as_user(app):
    """Signs a test client in as a user: `as_user(user).get(...)`."""
    return lambda user: client_for(app, user)


@pytest.fixture
def smtp(app, monkeypatch):
    """Mail is sent, to tests.helpers.FakeSMTP (its `sent` list)."""
    FakeSMTP.sent, FakeSMTP.fail, FakeSMTP.connections = [], False, 0
    monkeypatch.setattr(smtplib, "SMTP", FakeSMTP)
    monkeypatch.setitem(app.config, "MAIL_SERVER", "smtp.example.org")
    return FakeSMTP


@pytest.fixture
def fresh_live_hub(app):
    """No live history from other tests: rows and ids are reused between tests."""
    for key in ("crunchtime_live", "crunchtime_live_memory"):
        app.extensions.pop(key, None)
    yield
    for key in ("crunchtime_live", "crunchtime_live_memory"):
        app.extensions.pop(key, None)


@pytest.fixture(scope="session")
def browser():
    """Debian's headless Chromium, launched once per session (one Playwright per process:
    a second sync Playwright in the same thread refuses to start), for tests/browser/ and any
    other test that drives a page."""
    from tests.browser import playwright_sync_api, unavailable
    from tests.browser.conftest import CHROMIUM_ARGS, CHROMIUM_PATH

    sync_playwright = playwright_sync_api().sync_playwright
    if not CHROMIUM_PATH.exists():
        unavailable(
            f"Debian chromium is not installed at {CHROMIUM_PATH}: apt-get install chromium"
        )

    playwright = None
    try:
        playwright = sync_playwright().start()
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM_PATH), headless=True, args=CHROMIUM_ARGS
        )
    except Exception as error:
        if playwright is not None:
            playwright.stop()
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else repr(error)
        unavailable(f"Chromium at {CHROMIUM_PATH} failed to launch: {first_line}")

    try:
        yield chromium
    finally:
        chromium.close()
        playwright.stop()
