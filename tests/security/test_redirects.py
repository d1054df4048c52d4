"""Open redirects: after login and after a language switch only same-site paths are followed;
any other `next` sends the visitor to their home."""

from __future__ import annotations

from urllib.parse import quote, urljoin, urlsplit

import pytest

from tests import factories
from tests.helpers import csrf_token

SITE = "http://crunchtime.test"
# `next` as the app reads it (after the one decoding of the query string or the form).
PAYLOADS = [
    "/\t/evil.example/x",
    "/\n/evil.example/x",
    "/\r\n/evil.example/x",
    "\t//evil.example/x",
    " //evil.example/x",
    "/\\evil.example/x",
    "/\\/evil.example/x",
    "\\\\evil.example/x",
    "//evil.example/x",
    "///evil.example/x",
    "////evil.example/x",
    "/%2F%2Fevil.example/x",
    "/%2f/evil.example/x",
    "/%09/evil.example/x",
    "/%0a/evil.example/x",
    "/%2509/evil.example/x",
    "/%252F%252Fevil.example/x",
    "/%5Cevil.example/x",
    "/%255Cevil.example/x",
    "https:evil.example/x",
    "https://evil.example/x",
    "HTTPS://evil.example/x",
    "javascript:alert(document.cookie)",
    "data:text/html,<script>alert(1)</script>",
    "evil.example/x",
    "/\u3000/evil.example/x",
    "/\u00a0/evil.example/x",
    "/\u2028/evil.example/x",
    "/\u200b/evil.example/x",
    "/\ufeff/evil.example/x",
    "/%E3%80%80/evil.example/x",
    "/%C2%A0/evil.example/x",
    "/%2e%2e//evil.example/x",
    "/..//evil.example/x",
    "/%2e%2e%2f%2fevil.example/x",
    "/./\t/evil.example/x",
]


def lands_on_site(location: str) -> bool:
    """Where a browser would go from this Location (it drops tabs and newlines and strips
    leading blanks, as the URL standard says), on our own site and as a plain path."""
    cleaned = location.replace("\t", "").replace("\n", "").replace("\r", "").lstrip(" \x00")
    target = urlsplit(urljoin(SITE + "/login", cleaned))
    return target.netloc == "crunchtime.test" and cleaned.startswith("/") \
        and not cleaned.startswith("//") and "\\" not in cleaned


def log_in(client, student, next_value: str, raw: bool = False):
    query = next_value if raw else quote(next_value, safe="")
    token = csrf_token(client, "/login")
    return client.post(f"/login?next={query}", data={
        "email": student.email, "password": factories.PASSWORD, "csrf_token": token})


@pytest.mark.parametrize("payload", PAYLOADS)
def test_login_never_follows_an_off_site_next(client, db, student, payload):
    response = log_in(client, student, payload)
    assert response.status_code == 302
    assert response.headers["Location"] == "/student/"
    assert lands_on_site(response.headers["Location"])


def test_the_reported_tab_payload_goes_home(client, db, student):
    """POST /login?next=/%09/evil.example/x answered Location: //evil.example/x."""
    response = log_in(client, student, "/%09/evil.example/x", raw=True)
    assert response.headers["Location"] == "/student/"


def test_login_still_follows_a_same_site_path(client, db, student):
    response = log_in(client, student, "/account/?tab=password")
    assert response.headers["Location"] == "/account/?tab=password"


def switch_language(client, next_value: str):
    token = csrf_token(client, "/privacy")
    return client.post("/language", data={"locale": "fr", "next": next_value,
                                          "csrf_token": token})


@pytest.mark.parametrize("payload", PAYLOADS)
def test_language_switch_never_follows_an_off_site_next(client, db, payload):
    response = switch_language(client, payload)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert lands_on_site(response.headers["Location"])


@pytest.mark.parametrize("payload", ["/%09/evil.example/x", "/\\evil.example", "https:evil"])
def test_language_switch_sends_a_signed_in_user_home(client, db, student, login, payload):
    login(student)
    response = switch_language(client, payload)
    assert response.headers["Location"] == "/student/"


def test_language_switch_follows_a_same_site_path(client, db):
    response = switch_language(client, "/challenges/?q=hydrogene")
    assert response.headers["Location"] == "/challenges/?q=hydrogene"
