"""Small helpers shared by tests."""

from __future__ import annotations

import re
import smtplib

import sqlalchemy as sa

from crunchtime.extensions import db
from crunchtime.models import OutboxMessage


def csrf_token(client, path: str) -> str:
    """Fetch a page and read its CSRF token, as a browser would submit it."""
    html = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html
    )
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def post_form(client, path: str, data: dict, **kwargs):
    """POST a form the way the page does (with its CSRF token)."""
    return client.post(path, data={**data, "csrf_token": csrf_token(client, path)}, **kwargs)


def last_mail_to(email: str) -> OutboxMessage | None:
    return db.session.scalar(
        sa.select(OutboxMessage)
        .where(OutboxMessage.recipient == email)
        .order_by(OutboxMessage.id.desc())
    )


def link_in(body: str) -> str:
    match = re.search(r"https?://\S+", body)
    assert match, "no link in the message"
    return match.group(0)


def path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def text(response) -> str:
    return response.get_data(as_text=True)


def fr(msgid: str, plural: str | None = None, **variables) -> str:
    """The French text of an interface message (French is the default language)."""
    from flask_babel import force_locale, gettext, ngettext

    with force_locale("fr"):
        if plural is not None:
            return ngettext(msgid, plural, variables.pop("num"), **variables)
        return gettext(msgid, **variables)


def says(response, msgid: str, plural: str | None = None, **variables) -> bool:
    """True when the page shows this message in French.

    A message written by a template (`{{ _("…") }}`) arrives as is; one passed as a value
    (a flash, an error) arrives HTML-escaped: either form counts.
    """
    from markupsafe import escape

    message = fr(msgid, plural, **variables)
    page = text(response)
    return message in page or str(escape(message)) in page


class count_queries:
    """Count the SQL statements the app sends while the block runs."""

    def __init__(self, engine):
        self.engine = engine
        self.statements: list[str] = []

    def _record(self, conn, cursor, statement, parameters, context, executemany):
        self.statements.append(statement)

    def __enter__(self):
        sa.event.listen(self.engine, "before_cursor_execute", self._record)
        return self

    def __exit__(self, *exc):
        sa.event.remove(self.engine, "before_cursor_execute", self._record)

    @property
    def count(self) -> int:
        return len(self.statements)


def client_for(app, user):
    """A test client signed in as `user` (its session set directly, no login request)."""
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
    return client


class FakeSMTP:
    """The SMTP server of the tests (the `smtp` fixture): what it receives is what people read."""

    sent: list = []
    fail = False
    connections = 0

    def __init__(self, host, port, timeout):
        self.host, self.port = host, port
        FakeSMTP.connections += 1

    def __enter__(self):
        if FakeSMTP.fail:
            raise smtplib.SMTPConnectError(421, "server busy")
        return self

    def __exit__(self, *exc):
        return False

    def starttls(self, context=None):
        pass

    def login(self, user, password):
        pass

    def send_message(self, message):
        FakeSMTP.sent.append(message)
