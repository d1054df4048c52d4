"""Fixtures of the university sign-in tests: an app whose CAS server and OpenID Connect
provider are a local fake (fake_provider.py), and one whose provider is a real LemonLDAP::NG
started for the session (lemonldap.py; mandatory in CI, skipped with the reason elsewhere
when it is not installed)."""

from __future__ import annotations

import os
import re
import threading
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from werkzeug.serving import make_server

from crunchtime.security.sso import oidc
from tests.accounts.sso import lemonldap
from tests.accounts.sso.fake_provider import RunningFake

CONTACT = "crunchtime@univ.example"


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("true", "1")


@pytest.fixture(autouse=True)
def _fresh_provider_metadata():
    oidc.forget_metadata()
    yield
    oidc.forget_metadata()


@pytest.fixture(scope="module")
def fake():
    with RunningFake() as provider:
        yield provider


def sso_settings(provider_url: str, cas_path: str = "/cas/") -> dict:
    return {
        "CAS_SERVER_URL": provider_url + cas_path,
        "OIDC_ISSUER": provider_url,
        "OIDC_CLIENT_ID": lemonldap.OIDC_CLIENT_ID,
        "OIDC_CLIENT_SECRET": lemonldap.OIDC_CLIENT_SECRET,
        "STUDENT_EMAIL_DOMAINS": ["badwolf.org"],
        "SSO_DISPLAY_NAME": "Université de Badwolf",
        "SSO_CONTACT": CONTACT,
        "SSO_TIMEOUT": 5,
    }


@pytest.fixture(scope="module")
def sso_app(app, make_app, fake):
    """The app, signing in through the fake provider (the session app ran the migrations)."""
    return make_app(**sso_settings(fake.url))


@pytest.fixture
def sso_client(sso_app, db):
    return sso_app.test_client()


def query_of(location: str) -> dict:
    return {name: values[0] for name, values in parse_qs(urlsplit(location).query).items()}


def path_and_query(location: str) -> str:
    parts = urlsplit(location)
    return parts.path + ("?" + parts.query if parts.query else "")


# -- the real provider ---------------------------------------------------------------------
@pytest.fixture(scope="session")
def identity_provider():
    """LemonLDAP::NG on loopback, for the whole session; how long it took to start is printed
    (pytest -s) and kept on the object."""
    missing = lemonldap.missing_parts()
    if missing:
        message = ("LemonLDAP::NG is not installed (missing: " + ", ".join(missing) + "); "
                   "./scripts/test installs it as root: apt-get install lemonldap-ng "
                   "lemonldap-ng-fastcgi-server nginx")
        if in_ci():
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    idp_port = lemonldap.free_port_in(5240, 5249)
    app_port = lemonldap.free_port_in(5250, 5259)
    app_url = f"http://127.0.0.1:{app_port}"
    provider = lemonldap.LemonLDAP(idp_port, [app_url])
    try:
        provider.start()
    except RuntimeError as error:
        provider.stop()
        pytest.fail(str(error), pytrace=False)
    provider.app_url = app_url
    provider.app_port = app_port
    print(f"\nLemonLDAP::NG ready in {provider.startup_seconds:.2f} s at {provider.url}")
    yield provider
    provider.stop()


@pytest.fixture(scope="session")
def real_sso_app(app, make_app, identity_provider):
    return make_app(**sso_settings(identity_provider.url))


@pytest.fixture
def real_client(real_sso_app, identity_provider, db):
    """A test client whose requests carry the URL the provider knows (service, redirect)."""
    return hosted_client(real_sso_app, identity_provider.app_url)


def hosted_client(application, base_url: str):
    """A test client of `application` as served at `base_url` (its Host, its callbacks)."""

    class HostedClient(application.test_client_class):
        def open(self, *args, **kwargs):
            if args and isinstance(args[0], str):
                kwargs.setdefault("base_url", base_url)
            return super().open(*args, **kwargs)

        def session_transaction(self, *args, **kwargs):
            kwargs.setdefault("base_url", base_url)
            return super().session_transaction(*args, **kwargs)

    return HostedClient(application, application.response_class, use_cookies=True)


@pytest.fixture(scope="session")
def real_live_server(real_sso_app, identity_provider):
    """The LemonLDAP::NG-backed app served on the port the provider knows, for the browser."""
    server = make_server("127.0.0.1", identity_provider.app_port, real_sso_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield identity_provider.app_url
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


class PortalBrowser:
    """The provider's side of a sign-in, driven over HTTP (requests) like a browser would:
    its login form (hidden fields and all), its cookies, its redirects back to the app."""

    def __init__(self):
        import requests

        self.http = requests.Session()

    def sign_in(self, url: str, user: str, password: str | None = None) -> str:
        """Open `url` at the provider, type the credentials; the URL it sends us back to."""
        import html

        answer = self.http.get(url, allow_redirects=False, timeout=10)
        if answer.status_code in (302, 303):  # already signed in at the provider
            return answer.headers["Location"]
        page = answer.text
        assert 'name="password"' in page, page[:2000]
        fields = {html.unescape(name): html.unescape(value) for name, value in re.findall(
            r'<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page)}
        fields.update(user=user, password=password or user)
        answer = self.http.post(url, data=fields, allow_redirects=False, timeout=10)
        alerts = re.findall(r"<div[^>]*alert[^>]*>(.*?)</div>", answer.text, re.S)
        assert answer.status_code in (302, 303), alerts[:3] or answer.text[-3000:]
        return answer.headers["Location"]

    def follow(self, url: str) -> str:
        answer = self.http.get(url, allow_redirects=False, timeout=10)
        return answer.headers.get("Location", "") if answer.status_code in (302, 303) else ""


@pytest.fixture
def portal():
    return PortalBrowser()


def wait_until(predicate, timeout: float = 5) -> bool:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()
