"""A real SMTP server for the mail tests (aiosmtpd on a free local port), which can refuse
addresses, require STARTTLS or implicit TLS with a certificate made by the test (trustme),
require a login, and go down and come back on the same port."""

from __future__ import annotations

import asyncio
import socket
import ssl
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from email import message_from_bytes
from email.policy import default as default_policy

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from crunchtime.services.mail.sender import stop_sender

USERNAME, PASSWORD = "crunchtime", "s3cret-smtp-password"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Received:
    message: object
    recipients: list[str]
    tls: bool
    login: str | None


@dataclass
class Inbox:
    """What the server received, and how it answers (changed by the tests as they go)."""

    received: list[Received] = field(default_factory=list)
    refuse: dict[str, str] = field(default_factory=dict)  # address -> SMTP reply
    going_down_after: int | None = None  # accept this many, then answer 421 to each DATA
    going_down: bool = False
    delay: float = 0.0  # seconds the server takes to accept a mail
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        with self.lock:
            if self.going_down:
                return "421 4.3.2 Service shutting down"
            login = session.auth_data.login.decode() if session.authenticated else None
            self.received.append(Received(
                message_from_bytes(envelope.content, policy=default_policy),
                list(envelope.rcpt_tos),
                server.transport.get_extra_info("ssl_object") is not None, login))
            if self.going_down_after is not None and len(self.received) >= self.going_down_after:
                self.going_down = True
        return "250 OK"

    def count(self) -> int:
        with self.lock:
            return len(self.received)

    def by_recipient(self) -> Counter:
        with self.lock:
            return Counter(address for item in self.received for address in item.recipients)

    def message_ids(self) -> Counter:
        with self.lock:
            return Counter(item.message["Message-ID"] for item in self.received)


def check_login(server, session, envelope, mechanism, auth_data):
    accepted = (auth_data.login.decode(), auth_data.password.decode()) == (USERNAME, PASSWORD)
    return AuthResult(success=accepted, handled=False, auth_data=auth_data)


class MailServer:
    """An aiosmtpd server on a fixed port; `mode` is plain, starttls or ssl."""

    def __init__(self, mode: str = "plain", certificate=None, login: bool = False):
        self.inbox = Inbox()
        self.port = free_port()
        self.mode, self.certificate, self.login = mode, certificate, login
        self.controller = None

    def _server_context(self) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.certificate.configure_cert(context)
        return context

    def start(self) -> None:
        options = {}
        if self.mode == "starttls":
            options.update(tls_context=self._server_context(), require_starttls=True)
        if self.login:
            options.update(authenticator=check_login, auth_required=True,
                           auth_require_tls=self.mode == "starttls")
        if self.mode == "ssl":
            options.update(ssl_context=self._server_context())
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port,
                                     **options)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def settings(self) -> dict:
        """The app's MAIL_* settings to reach this server."""
        return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": self.port,
                "MAIL_USE_TLS": self.mode == "starttls", "MAIL_USE_SSL": self.mode == "ssl",
                "MAIL_USERNAME": USERNAME if self.login else None,
                "MAIL_PASSWORD": PASSWORD if self.login else None,
                "MAIL_TIMEOUT": 10, "MAIL_FROM": "Crunch Time <crunchtime@crunchtime.test>"}


def wait_until(condition, timeout: float = 60, step: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return condition()


@pytest.fixture(scope="session")
def certificate_authority():
    import trustme

    return trustme.CA()


@pytest.fixture(scope="session")
def ca_file(certificate_authority, tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("ca") / "ca.pem"
    certificate_authority.cert_pem.write_to_path(str(path))
    return str(path)


@pytest.fixture(scope="session")
def server_certificate(certificate_authority):
    return certificate_authority.issue_cert("127.0.0.1", "localhost")


@pytest.fixture
def start_mail_server(app, monkeypatch, server_certificate, ca_file):
    """Start an SMTP server and point the app's mail settings at it (undone afterwards)."""
    servers = []

    def start(mode: str = "plain", login: bool = False, **settings) -> MailServer:
        server = MailServer(mode, server_certificate, login)
        server.start()
        servers.append(server)
        values = {**server.settings(), "MAIL_TLS_CA_FILE": ca_file,
                  "MAIL_RETRY_SECONDS": 30, "MAIL_RETRY_MAX_SECONDS": 3600,
                  "MAIL_MAX_ATTEMPTS": 15, "MAIL_BATCH_SIZE": 100, **settings}
        for key, value in values.items():
            monkeypatch.setitem(app.config, key, value)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def mail_server(start_mail_server) -> MailServer:
    return start_mail_server()


@pytest.fixture
def sender_apps(make_app):
    """Apps on the test database whose own mail sender runs (each like a server process);
    their senders are stopped at the end."""
    apps = []

    def make(server: MailServer, **settings):
        application = make_app(**{**server.settings(), "MAIL_SENDER": True, **settings})
        apps.append(application)
        return application

    yield make
    for application in apps:
        stop_sender(application, timeout=30)
