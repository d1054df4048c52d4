"""The university sign-in against a real identity provider: LemonLDAP::NG from Debian, with
its demo users (dwho, rtyler, msmith; passwords = logins; addresses @badwolf.org), started by
the session fixture `identity_provider`. The provider's pages are driven over HTTP here;
test_browser.py drives them in Chromium."""

from __future__ import annotations

import sqlalchemy as sa

from crunchtime.models import UniversityIdentity, User
from tests import factories
from tests.accounts.sso.conftest import hosted_client, path_and_query, query_of, sso_settings
from tests.helpers import csrf_token, says


def signed_in_as(client) -> str | None:
    with client.session_transaction() as session:
        return session.get("_user_id")


def cas_ticket_url(real_client, portal, user: str) -> str:
    """Our button, the provider's login form: the callback URL, ticket included."""
    start = real_client.get("/sso/cas")
    assert start.status_code == 302
    back = portal.sign_in(start.headers["Location"], user)
    assert "ticket=ST-" in back, back
    return back


def test_an_imported_student_signs_in_through_cas(real_client, portal, identity_provider, db,
                                                  edition):
    student = factories.student(edition, email="dwho@badwolf.org", password=None)
    back = cas_ticket_url(real_client, portal, "dwho")
    assert back.startswith(f"{identity_provider.app_url}/sso/cas/callback?")
    answer = real_client.get(path_and_query(back))
    assert answer.status_code == 302 and answer.headers["Location"] == "/student/"
    assert signed_in_as(real_client).startswith(f"{student.id}:")
    identity = db.session.scalar(sa.select(UniversityIdentity))
    assert (identity.provider, identity.subject, identity.user_id) == ("cas", "dwho",
                                                                       student.id)


def test_a_replayed_cas_ticket_is_refused(real_client, portal, identity_provider, db, edition):
    factories.student(edition, email="dwho@badwolf.org")
    back = cas_ticket_url(real_client, portal, "dwho")
    assert real_client.get(path_and_query(back)).status_code == 302
    thief = hosted_client(real_client.application, identity_provider.app_url)
    thief.get("/sso/cas")  # a sign-in of its own, to get past the state check
    answer = thief.get(path_and_query(back))
    assert answer.status_code == 400
    assert signed_in_as(thief) is None


def test_a_cas_ticket_issued_for_another_service_is_refused(real_client, portal,
                                                            identity_provider, db, edition):
    factories.student(edition, email="dwho@badwolf.org")
    other = identity_provider.url + "/cas/login?service=" + "http%3A%2F%2F127.0.0.1%3A" + str(
        identity_provider.app_port) + "%2Fother-service"
    back = portal.sign_in(other, "dwho")
    ticket = query_of(back)["ticket"]
    real_client.get("/sso/cas")
    answer = real_client.get(f"/sso/cas/callback?ticket={ticket}")
    assert answer.status_code == 400
    assert signed_in_as(real_client) is None


def test_a_new_student_signs_in_through_openid_connect_and_logs_out_everywhere(
        real_client, portal, identity_provider, db, edition):
    start = real_client.get("/sso/oidc")
    assert start.status_code == 302
    assert start.headers["Location"].startswith(f"{identity_provider.url}/oauth2/authorize?")
    back = portal.sign_in(start.headers["Location"], "rtyler")
    assert back.startswith(f"{identity_provider.app_url}/sso/oidc/callback?"), back
    answer = real_client.get(path_and_query(back))
    assert answer.status_code == 302, answer.get_data(as_text=True)
    assert answer.headers["Location"] == "/student/"
    user = db.session.scalar(sa.select(User).where(User.email == "rtyler@badwolf.org"))
    assert user.role == "student" and user.password_hash is None
    assert (user.first_name, user.last_name) == ("Rose", "Tyler")

    logout = real_client.post("/logout",
                              data={"csrf_token": csrf_token(real_client, "/student/")})
    location = logout.headers["Location"]
    assert location.startswith(f"{identity_provider.url}/oauth2/logout?")
    assert query_of(location)["post_logout_redirect_uri"] == f"{identity_provider.app_url}/"
    assert portal.follow(location) == f"{identity_provider.app_url}/"
    # The provider's session is over: the next sign-in asks for the password again.
    again = real_client.get("/sso/oidc")
    page = portal.http.get(again.headers["Location"], allow_redirects=False, timeout=10)
    assert page.status_code == 200 and 'name="password"' in page.text


def test_the_provider_remembers_the_person_but_not_for_another_browser(
        real_client, portal, identity_provider, db, edition):
    factories.student(edition, email="msmith@badwolf.org")
    first = real_client.get("/sso/oidc")
    real_client.get(path_and_query(portal.sign_in(first.headers["Location"], "msmith")))
    assert signed_in_as(real_client) is not None
    stranger = hosted_client(real_client.application, identity_provider.app_url)
    start = stranger.get("/sso/oidc")
    # A stranger's browser has no provider session: it gets the login form, not a code.
    page = type(portal)().http.get(start.headers["Location"], allow_redirects=False, timeout=10)
    assert page.status_code == 200 and 'name="password"' in page.text


def test_an_unknown_person_outside_the_domains_is_told_why(make_app, app, identity_provider,
                                                          portal, db, edition):
    strict = make_app(**{**sso_settings(identity_provider.url),
                         "STUDENT_EMAIL_DOMAINS": ["univ-badwolf.fr"]})
    client = hosted_client(strict, identity_provider.app_url)
    back = portal.sign_in(client.get("/sso/cas").headers["Location"], "msmith")
    answer = client.get(path_and_query(back))
    assert answer.status_code == 403
    assert says(answer, "No Crunch Time account exists for %(email)s, and only students' "
                        "addresses can create one.", email="msmith@badwolf.org")
