"""Log lines an IT department can read and ship: time (ISO 8601 UTC), level, logger, request
id, message; one JSON object per line with LOG_FORMAT=json. Every line is redacted on its way
out (passwords, tokens, cookies, authorization headers, e-mail addresses), whatever logged it.

The request id comes from a sane `X-Request-ID` header or is made here; the WSGI middleware
sets it around the whole request (Socket.IO's transport included) and echoes it in the
response, so that gunicorn's access log can print it too."""

from __future__ import annotations

import contextvars
import json
import logging
import re
import sys
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

REQUEST_ID_HEADER = "X-Request-ID"
ENVIRON_KEY = "crunchtime.request_id"
NO_REQUEST = "-"
_SANE_ID = re.compile(r"[A-Za-z0-9._-]{1,128}")
_current_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id",
                                                                  default=NO_REQUEST)
_HANDLER_MARK = "_crunchtime_handler"


# Request ids --------------------------------------------------------------------------------
def request_id_from(header: str | None) -> str:
    """The caller's id when it is sane (≤ 128 of [A-Za-z0-9._-]), else a new one."""
    if header and _SANE_ID.fullmatch(header):
        return header
    return uuid.uuid4().hex


def current_request_id() -> str:
    return _current_id.get()


@contextmanager
def request_id_scope(request_id: str) -> Iterator[str]:
    """Every line logged inside carries `request_id`."""
    token = _current_id.set(request_id)
    try:
        yield request_id
    finally:
        _current_id.reset(token)


def live_event_id(environ: dict) -> str:
    """The id of one Socket.IO event: its connection's handshake id and the event's number
    on that connection (`abc.0` for the connect, `abc.1`, `abc.2`… after)."""
    base = environ.get(ENVIRON_KEY) or environ.setdefault(
        ENVIRON_KEY, request_id_from(environ.get("HTTP_X_REQUEST_ID")))
    count = environ.get("crunchtime.live_events", 0)
    environ["crunchtime.live_events"] = count + 1
    return f"{base}.{count}"


class RequestIdMiddleware:
    """Outermost WSGI layer: gives the request its id, in its log lines and its response."""

    def __init__(self, wsgi_app: Callable):
        self.wsgi_app = wsgi_app

    def __getattr__(self, name: str):
        """Whatever the wrapped application offers (Flask-SocketIO's `engineio_app`…)."""
        return getattr(self.wsgi_app, name)

    def __call__(self, environ, start_response):
        request_id = request_id_from(environ.get("HTTP_X_REQUEST_ID"))
        environ[ENVIRON_KEY] = request_id

        def start_with_id(status, headers, exc_info=None):
            headers = [(name, value) for name, value in headers
                       if name.lower() != REQUEST_ID_HEADER.lower()]
            headers.append((REQUEST_ID_HEADER, request_id))
            return start_response(status, headers, exc_info)

        token = _current_id.set(request_id)
        try:
            return self.wsgi_app(environ, start_with_id)
        finally:
            _current_id.reset(token)


# Redaction ----------------------------------------------------------------------------------
MASK = "***"
_REDACTIONS: list[tuple[re.Pattern, str]] = [
    # credentials in URLs: scheme://user:password@host
    (re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://[^\s:/@]*:)[^\s@/]+@"), rf"\1{MASK}@"),
    # headers whose whole value is a secret
    (re.compile(r"(?i)\b((?:set-)?cookie|authorization|proxy-authorization|x-csrf-token)"
                r"(['\"]?\s*[:=]\s*['\"]?)[^\r\n'\"]*"), rf"\1\2{MASK}"),
    (re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]+"), rf"\1 {MASK}"),
    # key=value, key: value, "key": "value" for secret-sounding keys
    (re.compile(r"(?i)\b([a-z0-9_-]*(?:password|passwd|confirm|secret|token|api[_-]?key)"
                r"[a-z0-9_-]*)(['\"]?\s*[:=]\s*['\"]?)(?!\*\*\*)[^\s&;,'\"})\]]+"),
     rf"\1\2{MASK}"),
    # signed tokens (itsdangerous: payload.timestamp.signature), in a link or not
    (re.compile(r"\.?[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{4,8}\.[A-Za-z0-9_-]{20,}"), MASK),
    # password hashes
    (re.compile(r"\$(?:argon2(?:id|i|d)|2[aby]|pbkdf2[\w-]*|scrypt)\$[^\s'\")]+"), MASK),
    # e-mail addresses
    (re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"),
     f"{MASK}@{MASK}"),
]


def redact(text: str) -> str:
    """`text` without secrets or addresses."""
    for pattern, replacement in _REDACTIONS:
        text = pattern.sub(replacement, text)
    return text


class SqlValuesFilter(logging.Filter):
    """The rows SQLAlchemy logs at DEBUG hold what no pattern recognises (a session token,
    a name): only their shape is kept. Its parameters are hidden by the engine itself
    (`hide_parameters`, crunchtime/config.py)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.startswith("sqlalchemy.engine") and record.msg == "Row %r":
            record.args = ("(values hidden)",)
        return True


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _current_id.get()
        return True


# Formats ------------------------------------------------------------------------------------
def _utc_time(record: logging.LogRecord) -> str:
    moment = datetime.fromtimestamp(record.created, UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


class TextFormatter(logging.Formatter):
    """`2025-03-14T09:30:00.123Z INFO crunchtime.services.mail [4f2a…] message`"""

    def format(self, record: logging.LogRecord) -> str:
        line = (f"{_utc_time(record)} {record.levelname} {record.name} "
                f"[{getattr(record, 'request_id', NO_REQUEST)}] {record.getMessage()}")
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        if record.stack_info:
            line += "\n" + self.formatStack(record.stack_info)
        return redact(line)


_STANDARD_ATTRIBUTES = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime",
                                                                      "request_id"}


class JsonFormatter(logging.Formatter):
    """One object per line: time, level, logger, request_id, message, the record's extra
    fields, and the traceback as `exception`."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {"time": _utc_time(record), "level": record.levelname, "logger": record.name,
                 "request_id": getattr(record, "request_id", NO_REQUEST),
                 "message": record.getMessage()}
        for name, value in vars(record).items():
            if name not in _STANDARD_ATTRIBUTES and not name.startswith("_"):
                entry[name] = value if isinstance(value, int | float | bool | None) else str(value)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps({name: redact(value) if isinstance(value, str) else value
                           for name, value in entry.items()}, ensure_ascii=False)


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever sys.stderr is at the time (a test's capture, a restarted stream)."""

    def __init__(self):
        super().__init__(sys.stderr)

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value):
        pass


def make_handler(log_format: str = "text", stream=None) -> logging.Handler:
    handler = logging.StreamHandler(stream) if stream is not None else _StderrHandler()
    handler.setFormatter(JsonFormatter() if log_format == "json" else TextFormatter())
    handler.addFilter(RequestIdFilter())
    handler.addFilter(SqlValuesFilter())
    setattr(handler, _HANDLER_MARK, True)
    return handler


def configure_logging(level: str = "INFO", log_format: str = "text", stream=None) -> None:
    """The root logger writes through one handler of ours (replaced, never doubled, when an
    app is built again in the same process)."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, _HANDLER_MARK, False):
            root.removeHandler(handler)
    root.addHandler(make_handler(log_format, stream))
    root.setLevel(level.upper())

