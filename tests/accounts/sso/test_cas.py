"""CAS 3.0 against a stand-in server: the round trip, and every way a ticket is refused."""

from __future__ import annotations

import sqlalchemy as sa

from crunchtime.models import UniversityIdentity
from tests import factories
from tests.accounts.sso.conftest import query_of
from tests.accounts.sso.fake_provider import CAS_FAILURE
from tests.helpers import says


def start_cas(client) -> str:
    answer = client.get("/sso/cas?next=/student/")
    assert answer.status_code == 302
    return answer.headers["Location"]


def test_the_button_sends_the_browser_to_the_cas_server_with_our_service(sso_client, fake):
    location = start_cas(sso_client)
    assert location.startswith(f"{fake.url}/cas/login?")
    assert query_of(location) == {"service": "http://localhost/sso/cas/callback"}


def test_an_imported_student_signs_in_with_a_ticket_and_is_remembered(
        sso_client, fake, db, edition):
    student = factories.student(edition, email="rtyler@badwolf.org", password=None)
    fake.cas_accepts("rtyler", "RTyler@Badwolf.org")
    start_cas(sso_client)
    answer = sso_client.get("/sso/cas/callback?ticket=ST-1")
    assert answer.status_code == 302
    assert answer.headers["Location"] == "/student/"
    assert fake.validations[-1] == {"ticket": "ST-1",
                                    "service": "http://localhost/sso/cas/callback"}
    identity = db.session.scalar(sa.select(UniversityIdentity))
    assert (identity.user_id, identity.provider, identity.subject) == (student.id, "cas",
                                                                       "rtyler")
    home = sso_client.get("/student/")
    assert home.status_code == 200


def test_the_subject_finds_the_account_after_the_address_changed(sso_client, fake, db, edition):
    student = factories.student(edition, email="rtyler@badwolf.org")
    fake.cas_accepts("rtyler", "rtyler@badwolf.org")
    start_cas(sso_client)
    sso_client.get("/sso/cas/callback?ticket=ST-1")
    other = factories.student(edition, email="rose.tyler@badwolf.org")
    fake.cas_accepts("rtyler", "rose.tyler@badwolf.org")
    client = sso_client.application.test_client()
    start_cas(client)
    answer = client.get("/sso/cas/callback?ticket=ST-2")
    assert answer.status_code == 302
    with client.session_transaction() as session:
        assert session["_user_id"].startswith(f"{student.id}:")
    assert other.id != student.id


def test_a_refused_ticket_shows_a_page_and_signs_nobody_in(sso_client, fake, db, edition):
    factories.student(edition, email="rtyler@badwolf.org")
    fake.cas_answer = CAS_FAILURE
    start_cas(sso_client)
    answer = sso_client.get("/sso/cas/callback?ticket=ST-replayed")
    assert answer.status_code == 400
    assert says(answer, "The university sign-in could not be confirmed (an expired or already "
                        "used ticket). Please start again.")
    with sso_client.session_transaction() as session:
        assert "_user_id" not in session


def test_a_ticket_this_browser_did_not_ask_for_is_ignored(sso_client, fake, db, edition):
    """Login CSRF: a link carrying someone else's ticket must not sign the victim in."""
    factories.student(edition, email="rtyler@badwolf.org")
    fake.cas_accepts("rtyler", "rtyler@badwolf.org")
    count = len(fake.validations)
    answer = sso_client.get("/sso/cas/callback?ticket=ST-1")
    assert answer.status_code == 400
    assert len(fake.validations) == count  # not even sent for validation
    with sso_client.session_transaction() as session:
        assert "_user_id" not in session


def test_a_cas_server_that_is_down_gets_a_clear_page_and_the_password_login(
        make_app, app, db, edition):
    down = make_app(CAS_SERVER_URL="http://127.0.0.1:9/cas/", SSO_TIMEOUT=2)
    client = down.test_client()
    client.get("/sso/cas")
    answer = client.get("/sso/cas/callback?ticket=ST-1")
    assert answer.status_code == 502
    assert says(answer, "The university sign-in service did not answer. Try again in a moment, "
                        "or sign in with your e-mail address and password.")
    assert 'href="/login"' in answer.get_data(as_text=True)


def test_an_answer_without_the_address_is_refused(sso_client, fake, db, edition):
    fake.cas_answer = (
        "<cas:serviceResponse xmlns:cas='http://www.yale.edu/tp/cas'><cas:authenticationSuccess>"
        "<cas:user>ghost</cas:user></cas:authenticationSuccess></cas:serviceResponse>")
    start_cas(sso_client)
    answer = sso_client.get("/sso/cas/callback?ticket=ST-1")
    assert answer.status_code == 403
    assert says(answer, "The university service did not give your e-mail address, which "
                        "Crunch Time needs to find your account.")
