"""Log lines: time, level, logger and request id on every line (text or JSON), the request id
taken from a sane `X-Request-ID` or made, echoed on every response, errors included, and
carried by the live events' lines; secrets and addresses never written."""

from __future__ import annotations

import io
import json
import logging
import re

import pytest

from crunchtime.logs import configure_logging, redact

TEXT_LINE = re.compile(
    r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z) (DEBUG|INFO|WARNING|ERROR|CRITICAL) "
    r"(\S+) \[([A-Za-z0-9._-]+)\] (.*)$")


@pytest.fixture
def log_output():
    """configure_logging(level, format) -> the stream every log line of the process goes to;
    the app's own logging is put back afterwards."""
    root = logging.getLogger()
    level = root.level

    def capture(log_level: str = "DEBUG", log_format: str = "text") -> io.StringIO:
        stream = io.StringIO()
        configure_logging(log_level, log_format, stream=stream)
        return stream

    yield capture
    configure_logging("INFO", "text")
    root.setLevel(level)


@pytest.fixture
def noisy_app(make_app):
    """An app with a page that logs, and one that fails, as a real request would."""
    application = make_app(PROPAGATE_EXCEPTIONS=False)
    log = logging.getLogger("crunchtime.tests.page")

    def page():
        log.info("first line")
        log.warning("second line with %s", "an argument", extra={"team": "T042"})
        return "ok"

    def broken():
        log.info("about to fail")
        raise RuntimeError("the page broke")

    application.add_url_rule("/tests/page", "tests_page", page)
    application.add_url_rule("/tests/broken", "tests_broken", broken)
    return application


def test_a_sane_request_id_is_kept_and_echoed(client):
    response = client.get("/health", headers={"X-Request-ID": "lb-4f2a.9_Z"})
    assert response.headers["X-Request-ID"] == "lb-4f2a.9_Z"


@pytest.mark.parametrize("header", ["has spaces", "x" * 129, "<script>", "a;b", ""])
def test_an_unusable_request_id_is_replaced_by_a_new_one(client, header):
    first = client.get("/health", headers={"X-Request-ID": header}).headers["X-Request-ID"]
    second = client.get("/health", headers={"X-Request-ID": header}).headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", first) and first != second


def test_errors_and_missing_pages_carry_the_request_id(noisy_app):
    client = noisy_app.test_client()
    missing = client.get("/no/such/page", headers={"X-Request-ID": "req-404"})
    broken = client.get("/tests/broken", headers={"X-Request-ID": "req-500"})
    assert (missing.status_code, missing.headers["X-Request-ID"]) == (404, "req-404")
    assert (broken.status_code, broken.headers["X-Request-ID"]) == (500, "req-500")


def test_every_line_of_a_request_has_time_level_logger_and_its_id(noisy_app, log_output):
    stream = log_output("INFO", "text")
    client = noisy_app.test_client()
    client.get("/tests/page", headers={"X-Request-ID": "req-1"})
    client.get("/tests/broken", headers={"X-Request-ID": "req-2"})
    logging.getLogger("crunchtime.tests.page").info("outside any request")
    lines = [TEXT_LINE.match(line) for line in stream.getvalue().splitlines()
             if not line.startswith(("Traceback", " ", "RuntimeError"))]
    assert all(lines), stream.getvalue()
    mine = [(m[2], m[3], m[4], m[5]) for m in lines if m[3] == "crunchtime.tests.page"]
    assert mine == [("INFO", "crunchtime.tests.page", "req-1", "first line"),
                    ("WARNING", "crunchtime.tests.page", "req-1",
                     "second line with an argument"),
                    ("INFO", "crunchtime.tests.page", "req-2", "about to fail"),
                    ("INFO", "crunchtime.tests.page", "-", "outside any request")]
    # the failure itself is logged by Flask with the same id, traceback included
    failure = [m for m in lines if m[2] == "ERROR"]
    assert failure and failure[0][4] == "req-2"
    assert "RuntimeError: the page broke" in stream.getvalue()


def test_json_lines_are_one_object_each_with_the_extra_fields(noisy_app, log_output):
    stream = log_output("INFO", "json")
    noisy_app.test_client().get("/tests/page", headers={"X-Request-ID": "req-json"})
    noisy_app.test_client().get("/tests/broken", headers={"X-Request-ID": "req-json-2"})
    entries = [json.loads(line) for line in stream.getvalue().splitlines()]
    warning = next(e for e in entries if e["message"] == "second line with an argument")
    assert warning["level"] == "WARNING" and warning["logger"] == "crunchtime.tests.page"
    assert warning["request_id"] == "req-json" and warning["team"] == "T042"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", warning["time"])
    error = next(e for e in entries if e["level"] == "ERROR")
    assert error["request_id"] == "req-json-2"
    assert "RuntimeError: the page broke" in error["exception"]


def test_log_level_and_format_come_from_the_environment(make_app, tmp_path, log_output):
    from crunchtime.config import ConfigError, load_config

    config = load_config(tmp_path, {"LOG_LEVEL": "warning", "LOG_FORMAT": "JSON"})
    assert (config["LOG_LEVEL"], config["LOG_FORMAT"]) == ("WARNING", "json")
    with pytest.raises(ConfigError, match="LOG_FORMAT must be one of text, json"):
        load_config(tmp_path, {"LOG_FORMAT": "xml"})
    with pytest.raises(ConfigError, match="LOG_LEVEL"):
        load_config(tmp_path, {"LOG_LEVEL": "chatty"})
    make_app(LOG_LEVEL="WARNING", LOG_FORMAT="json")
    handler = logging.getLogger().handlers[-1]
    assert logging.getLogger().level == logging.WARNING
    assert json.loads(handler.format(logging.makeLogRecord({"msg": "m", "name": "x"})))


def test_live_event_lines_carry_the_connection_id_and_the_event_number(
        app, db, live_test_client, fresh_live_hub, log_output):
    stream = log_output("DEBUG", "text")
    with app.app_context():
        socket = live_test_client(app, namespace="/live", headers={"X-Request-ID": "sock-7"})
        socket.emit("resync", {"public": ["old-epoch", 0]}, namespace="/live", callback=True)
        socket.disconnect(namespace="/live")
    ids = {m[4]: m[5] for m in map(TEXT_LINE.match, stream.getvalue().splitlines())
           if m and m[3] == "crunchtime.realtime.handlers"}
    assert ids["sock-7.0"].startswith("live connection ")
    assert ids["sock-7.2"].endswith(" ended")  # connect 0, resync 1, disconnect 2


@pytest.mark.parametrize("line, hidden", [
    ("POST /login password=tournesol-42&email=x", "tournesol-42"),
    ('{"password": "tournesol-42", "confirm": "tournesol-42"}', "tournesol-42"),
    ("csrf_token=IjE2ZjM1.aBcD.xyz123&next=/", "IjE2ZjM1.aBcD.xyz123"),
    ("GET /password/reset/eyJ1c2VyIjo0Mn0.Z8x1Aw.kq3v9E_-hT2yQWl0bUx8s1aP4cM HTTP/1.1",
     "eyJ1c2VyIjo0Mn0.Z8x1Aw.kq3v9E_-hT2yQWl0bUx8s1aP4cM"),
    ("Cookie: session=.eJwlzj0OwjAMBeCrRJ4ZmjhxnJ6CHVUoThw6lLZqykS5O5EY", "eJwlzj0"),
    ("Set-Cookie: session=abc123def; HttpOnly; Path=/", "abc123def"),
    ("Authorization: Bearer s3cr3t-t0ken", "s3cr3t-t0ken"),
    ("headers {'Authorization': 'Basic dXNlcjpwYXNz'}", "dXNlcjpwYXNz"),
    ("mail to Lea.Dupre@etu.utbm.fr refused", "Lea.Dupre"),
    ("connecting to postgresql://crunch:hunter2@db.local/ct", "hunter2"),
    ("reset_token: 8f14e45fceea167a5a36dedd4bea2543", "8f14e45fceea167a5a36dedd4bea2543"),
    ("Row (8, '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2g', 'student')",
     "c2FsdHNhbHQ$aGFzaGhhc2g"),
])
def test_secrets_and_addresses_are_masked(line, hidden):
    assert hidden not in redact(line)
    assert "***" in redact(line)


def test_ordinary_lines_are_left_alone():
    line = "live board not recomputed; retrying in 1.0 s (team T042, 3 juries)"
    assert redact(line) == line

