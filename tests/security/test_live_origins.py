"""Live connections only from our own pages: an Engine.IO handshake whose Origin is another
site's is refused (a page there would otherwise get a socket with its visitor's cookies)."""

from __future__ import annotations

import json

import pytest

from crunchtime.config import load_config
from crunchtime.realtime.origins import normalise_origin, origin_check

HANDSHAKE = "/socket.io/?EIO=4&transport=polling"


def handshake(client, origin: str | None):
    headers = {"Origin": origin} if origin is not None else {}
    return client.get(HANDSHAKE, headers=headers)


def close(app, response) -> None:
    """End the Engine.IO session a successful handshake opened."""
    sid = json.loads(response.get_data(as_text=True)[1:])["sid"]
    engineio_socket = app.wsgi_app.engineio_app.eio.sockets.pop(sid, None)
    if engineio_socket is not None:
        engineio_socket.close(wait=False, abort=True)


@pytest.mark.parametrize("origin", [
    "https://evil.example", "http://evil.example", "http://crunchtime.test.evil.example",
    "https://crunchtime.test", "http://crunchtime.test:8080", "null", "file://",
])
def test_a_handshake_from_another_origin_is_refused(client, db, origin):
    response = handshake(client, origin)
    assert response.status_code in (400, 403)
    assert "sid" not in response.get_data(as_text=True)


def test_a_handshake_from_the_base_url_origin_is_accepted(app, client, db):
    response = handshake(client, "http://crunchtime.test")  # BASE_URL in tests
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "http://crunchtime.test"
    close(app, response)


def test_a_page_of_the_server_itself_connects_without_base_url(app, client, db):
    """Development and tests without BASE_URL in the environment: the request's own host."""
    assert app.config["LIVE_SAME_HOST_ORIGIN"]
    response = handshake(client, "http://localhost")
    assert response.status_code == 200
    close(app, response)


def test_a_client_without_origin_is_not_a_browser_page_and_connects(app, client, db):
    response = handshake(client, None)
    assert response.status_code == 200
    close(app, response)


def environ(host: str, scheme: str = "http", **forwarded) -> dict:
    return {"HTTP_HOST": host, "wsgi.url_scheme": scheme, **forwarded}


def test_configured_origins_are_allowed_and_nothing_else():
    check = origin_check({"BASE_URL": "https://crunchtime.example.fr/",
                          "LIVE_ALLOWED_ORIGINS": ["https://live.example.fr:8443"],
                          "LIVE_SAME_HOST_ORIGIN": False, "BEHIND_PROXY": 1})
    here = environ("evil.example")
    assert check("https://crunchtime.example.fr", here)
    assert check("https://CRUNCHTIME.example.fr:443", here)
    assert check("https://live.example.fr:8443", here)
    assert not check("https://live.example.fr", here)
    assert not check("http://crunchtime.example.fr", here)
    # Without the same-host rule, the request's own Host (which a client chooses) is not enough.
    assert not check("http://evil.example", here)
    assert not check("null", here)


def test_the_same_host_rule_compares_with_the_request_and_trusted_proxy_headers():
    check = origin_check({"BASE_URL": "http://127.0.0.1:5000", "LIVE_ALLOWED_ORIGINS": [],
                          "LIVE_SAME_HOST_ORIGIN": True, "BEHIND_PROXY": 0})
    assert check("http://localhost:5000", environ("localhost:5000"))
    assert not check("http://evil.example", environ("localhost:5000"))
    forwarded = environ("127.0.0.1:8001", HTTP_X_FORWARDED_HOST="crunchtime.example.fr",
                        HTTP_X_FORWARDED_PROTO="https")
    assert not check("https://crunchtime.example.fr", forwarded)  # no trusted proxy
    proxied = origin_check({"BASE_URL": "", "LIVE_SAME_HOST_ORIGIN": True, "BEHIND_PROXY": 1})
    assert proxied("https://crunchtime.example.fr", forwarded)


def test_origins_come_from_the_environment(tmp_path):
    production = load_config(tmp_path, environ={
        "CRUNCHTIME_ENV": "production", "SECRET_KEY": "x" * 40,
        "BASE_URL": "https://crunchtime.example.fr",
        "LIVE_ALLOWED_ORIGINS": "https://a.example.fr, https://b.example.fr:8443,"})
    assert production["LIVE_ALLOWED_ORIGINS"] == ["https://a.example.fr",
                                                   "https://b.example.fr:8443"]
    assert not production["LIVE_SAME_HOST_ORIGIN"]
    development = load_config(tmp_path, environ={"SECRET_KEY": "x"})
    assert development["LIVE_SAME_HOST_ORIGIN"] and development["LIVE_ALLOWED_ORIGINS"] == []


def test_origins_are_normalised_as_browsers_write_them():
    assert normalise_origin("https://Example.FR:443/path") == "https://example.fr"
    assert normalise_origin("http://example.fr:8080") == "http://example.fr:8080"
    assert normalise_origin("http://[::1]:5000") == "http://[::1]:5000"
    assert normalise_origin("javascript:alert(1)") is None
    assert normalise_origin("null") is None
