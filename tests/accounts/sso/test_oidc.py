"""OpenID Connect against a stand-in provider whose id tokens the tests sign (or forge):
PKCE, state, nonce, and the id token's signature, issuer, audience and expiry."""

from __future__ import annotations

import time

import pytest
import sqlalchemy as sa
from joserfc.jwk import RSAKey

from crunchtime.models import UniversityIdentity
from tests import factories
from tests.accounts.sso.conftest import query_of
from tests.helpers import says

TOKEN_REFUSED = ("The university's answer could not be verified, so it was ignored. Please "
                 "start again; if it keeps failing, contact the organisers.")


@pytest.fixture(autouse=True)
def _honest_provider(fake):
    fake.id_claims, fake.sign_with, fake.userinfo = {}, None, {}
    yield
    fake.id_claims, fake.sign_with, fake.userinfo = {}, None, {}


def authorize(client, fake) -> dict:
    """Start a sign-in; the provider notes the request (as its /authorize would)."""
    answer = client.get("/sso/oidc?next=/jury/")
    assert answer.status_code == 302
    assert answer.headers["Location"].startswith(f"{fake.url}/authorize?")
    request = query_of(answer.headers["Location"])
    fake.authorizations.append(request)
    return request


def callback(client, request: dict, **changes):
    params = {"state": request["state"], "code": "good-code", **changes}
    return client.get("/sso/oidc/callback", query_string=params)


def signed_in_as(client) -> str | None:
    with client.session_transaction() as session:
        return session.get("_user_id")


def test_the_authorization_request_carries_pkce_state_and_nonce(sso_client, fake):
    request = authorize(sso_client, fake)
    assert request["response_type"] == "code"
    assert request["client_id"] == "crunchtime"
    assert request["redirect_uri"] == "http://localhost/sso/oidc/callback"
    assert request["scope"] == "openid email profile"
    assert request["code_challenge_method"] == "S256"
    assert len(request["state"]) >= 32 and len(request["nonce"]) >= 32
    assert len(request["code_challenge"]) == 43


def test_an_invited_jury_signs_in_by_address_whatever_its_case(sso_client, fake, db, edition):
    jury = factories.jury(edition, email="rtyler@badwolf.org", password=None)
    fake.id_claims = {"email": "RTyler@BadWolf.org", "sub": "abc-123"}
    request = authorize(sso_client, fake)
    answer = callback(sso_client, request)
    assert answer.status_code == 302, answer.get_data(as_text=True)
    assert answer.headers["Location"] == "/jury/"
    token_request = fake.token_requests[-1]
    assert token_request["grant_type"] == "authorization_code"
    assert token_request["redirect_uri"] == "http://localhost/sso/oidc/callback"
    assert signed_in_as(sso_client).startswith(f"{jury.id}:")
    identity = db.session.scalar(sa.select(UniversityIdentity))
    assert (identity.user_id, identity.provider, identity.subject) == (jury.id, "oidc", "abc-123")


def test_a_state_that_does_not_match_is_refused(sso_client, fake, db, edition):
    factories.jury(edition, email="rtyler@badwolf.org")
    request = authorize(sso_client, fake)
    answer = callback(sso_client, request, state="someone-elses-state")
    assert answer.status_code == 400
    assert says(answer, "This sign-in answer does not belong to a sign-in started in this "
                        "browser, or it came too late. Please start again.")
    assert signed_in_as(sso_client) is None
    again = callback(sso_client, request)  # the real state, but the attempt is spent
    assert again.status_code == 400 and signed_in_as(sso_client) is None


def test_a_callback_without_a_started_sign_in_is_refused(sso_client, fake, db):
    answer = sso_client.get("/sso/oidc/callback?state=x&code=good-code")
    assert answer.status_code == 400


@pytest.mark.parametrize("claims", [
    {"nonce": "not-the-nonce-we-sent"},
    {"nonce": None},
    {"aud": "another-client"},
    {"aud": None},
    {"iss": "http://127.0.0.1:1/evil"},
    {"exp": int(time.time()) - 600},
    {"sub": None},
], ids=["wrong nonce", "no nonce", "wrong audience", "no audience", "wrong issuer",
        "expired", "no subject"])
def test_an_id_token_that_does_not_hold_is_refused(sso_client, fake, db, edition, claims):
    factories.jury(edition, email="rtyler@badwolf.org")
    fake.id_claims = claims
    answer = callback(sso_client, authorize(sso_client, fake))
    assert answer.status_code == 400
    assert says(answer, TOKEN_REFUSED)
    assert signed_in_as(sso_client) is None


def test_an_id_token_signed_with_another_key_is_refused(sso_client, fake, db, edition):
    factories.jury(edition, email="rtyler@badwolf.org")
    fake.sign_with = RSAKey.generate_key(2048, {"kid": "k1"})  # same key id, forged
    answer = callback(sso_client, authorize(sso_client, fake))
    assert answer.status_code == 400
    assert signed_in_as(sso_client) is None


def test_a_code_the_provider_refuses_is_a_clear_page(sso_client, fake, db, edition):
    answer = callback(sso_client, authorize(sso_client, fake), code="replayed-code")
    assert answer.status_code == 400
    assert says(answer, "The university sign-in could not be confirmed (an expired or already "
                        "used ticket). Please start again.")


def test_the_person_cancelling_at_the_provider_is_told(sso_client, fake, db):
    request = authorize(sso_client, fake)
    answer = sso_client.get("/sso/oidc/callback", query_string={
        "state": request["state"], "error": "access_denied"})
    assert answer.status_code == 403
    assert says(answer, "The sign-in was cancelled or refused by the university service.")


def test_a_provider_that_is_down_gets_a_clear_page_and_the_password_login(
        make_app, app, db):
    down = make_app(OIDC_ISSUER="http://127.0.0.1:9", OIDC_CLIENT_ID="crunchtime",
                    SSO_TIMEOUT=2)
    answer = down.test_client().get("/sso/oidc")
    assert answer.status_code == 502
    assert 'href="/login"' in answer.get_data(as_text=True)
    login = down.test_client().get("/login")
    assert says(login, "Sign in with my university account")
    assert 'name="password"' in login.get_data(as_text=True)


def test_the_address_missing_from_the_id_token_is_read_from_userinfo(
        sso_client, fake, db, edition):
    jury = factories.jury(edition, email="rtyler@badwolf.org")
    fake.id_claims = {"email": None, "name": None, "sub": "abc-123"}
    fake.userinfo = {"sub": "abc-123", "email": "rtyler@badwolf.org"}
    answer = callback(sso_client, authorize(sso_client, fake))
    assert answer.status_code == 302
    assert signed_in_as(sso_client).startswith(f"{jury.id}:")


def test_userinfo_about_another_subject_is_not_believed(sso_client, fake, db, edition):
    factories.jury(edition, email="rtyler@badwolf.org")
    fake.id_claims = {"email": None, "sub": "abc-123"}
    fake.userinfo = {"sub": "someone-else", "email": "rtyler@badwolf.org"}
    answer = callback(sso_client, authorize(sso_client, fake))
    assert answer.status_code == 400
    assert signed_in_as(sso_client) is None
