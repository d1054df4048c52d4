"""Which account a university sign-in opens (found, linked, created or refused), the second
factor that still applies, single logout, and the organisers' switch that keeps students off
passwords."""

from __future__ import annotations

import sqlalchemy as sa

from crunchtime.models import AuditEvent, StudentProfile, UniversityIdentity, User
from tests import factories
from tests.accounts.sso.conftest import CONTACT, query_of, sso_settings
from tests.conftest import log_in
from tests.helpers import csrf_token, post_form, says


def cas_sign_in(client, fake, user="rtyler", mail="rtyler@badwolf.org", cn="Rose Tyler"):
    fake.cas_accepts(user, mail, cn)
    client.get("/sso/cas")
    return client.get("/sso/cas/callback?ticket=ST-1")


def oidc_sign_in(client, fake, **claims):
    fake.id_claims, fake.sign_with = claims, None
    answer = client.get("/sso/oidc")
    request = query_of(answer.headers["Location"])
    fake.authorizations.append(request)
    return client.get("/sso/oidc/callback",
                      query_string={"state": request["state"], "code": "good-code"})


def test_an_unknown_student_of_the_university_becomes_a_student_during_registration(
        sso_client, fake, db, edition):
    answer = cas_sign_in(sso_client, fake, "rtyler", "rtyler@badwolf.org", "Rose Tyler")
    assert answer.status_code == 302 and answer.headers["Location"] == "/student/"
    user = db.session.scalar(sa.select(User).where(User.email == "rtyler@badwolf.org"))
    assert (user.role, user.first_name, user.last_name) == ("student", "Rose", "Tyler")
    assert user.password_hash is None and user.email_verified_at is not None
    assert db.session.scalar(sa.select(StudentProfile.edition_id).where(
        StudentProfile.user_id == user.id)) == edition.id
    assert db.session.scalar(sa.select(AuditEvent.action).where(
        AuditEvent.target_id == user.id)) == "account.register_university"


def test_an_address_outside_the_student_domains_gets_the_explanation(
        sso_client, fake, db, edition):
    answer = cas_sign_in(sso_client, fake, "boss", "boss@staff.example.org")
    assert answer.status_code == 403
    assert says(answer, "No Crunch Time account exists for %(email)s, and only students' "
                        "addresses can create one.", email="boss@staff.example.org")
    assert CONTACT in answer.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(UniversityIdentity)) == 0


def test_no_new_student_once_registration_is_over(sso_client, fake, db):
    factories.edition(phase="building")
    answer = cas_sign_in(sso_client, fake)
    assert answer.status_code == 403
    assert says(answer, "No Crunch Time account exists for %(email)s, and student "
                        "registration is not open now.", email="rtyler@badwolf.org")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0


def test_an_imported_student_still_signs_in_after_registration(sso_client, fake, db):
    edition = factories.edition(phase="building")
    student = factories.student(edition, email="rtyler@badwolf.org", password=None,
                                verified=False)
    answer = cas_sign_in(sso_client, fake)
    assert answer.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, student.id).email_verified_at is not None


def test_a_deactivated_account_is_refused(sso_client, fake, db, edition):
    factories.student(edition, email="rtyler@badwolf.org", active=False)
    answer = cas_sign_in(sso_client, fake)
    assert answer.status_code == 403
    assert says(answer, "The Crunch Time account of %(email)s is deactivated.",
                email="rtyler@badwolf.org")


def test_an_account_linked_to_another_university_identity_is_not_taken_over(
        sso_client, fake, db, edition):
    student = factories.student(edition, email="rtyler@badwolf.org")
    db.session.add(UniversityIdentity(user_id=student.id, provider="cas", subject="rose"))
    db.session.commit()
    answer = cas_sign_in(sso_client, fake, "impostor", "rtyler@badwolf.org")
    assert answer.status_code == 403
    with sso_client.session_transaction() as session:
        assert "_user_id" not in session


def test_organisers_who_must_use_a_second_factor_are_asked_for_it_after_sso(
        make_app, app, fake, db, edition):
    strict = make_app(**sso_settings(fake.url), ORGANIZER_2FA="required")
    factories.organizer(email="rtyler@badwolf.org")
    client = strict.test_client()
    answer = cas_sign_in(client, fake)
    assert answer.status_code == 302
    assert "/organizer" not in answer.headers["Location"]
    with client.session_transaction() as session:
        assert "_user_id" not in session and "pending_login" in session


def test_logout_after_oidc_ends_the_providers_session(sso_client, fake, db, edition):
    factories.jury(edition, email="rtyler@badwolf.org")
    assert oidc_sign_in(sso_client, fake).status_code == 302
    answer = sso_client.post("/logout", data={"csrf_token": csrf_token(sso_client, "/jury/")})
    assert answer.status_code == 302
    location = answer.headers["Location"]
    assert location.startswith(f"{fake.url}/logout?")
    params = query_of(location)
    assert params["post_logout_redirect_uri"] == "http://localhost/"
    assert params["id_token_hint"].count(".") == 2
    assert sso_client.get("/jury/").status_code == 302  # signed out here too


def test_logout_after_cas_ends_the_cas_session(sso_client, fake, db, edition):
    factories.student(edition, email="rtyler@badwolf.org")
    cas_sign_in(sso_client, fake)
    answer = sso_client.post("/logout",
                             data={"csrf_token": csrf_token(sso_client, "/student/")})
    assert answer.headers["Location"] == (
        f"{fake.url}/cas/logout?service=http%3A%2F%2Flocalhost%2F")


def test_logout_after_a_password_stays_here(sso_client, db, student):
    log_in(sso_client, student)
    answer = sso_client.post("/logout",
                             data={"csrf_token": csrf_token(sso_client, "/student/")})
    assert answer.headers["Location"] == "/"


def test_the_login_page_offers_the_university_first(sso_client, db):
    page = sso_client.get("/login").get_data(as_text=True)
    assert page.index("/sso/cas") < page.index('name="password"')
    assert page.index("/sso/oidc") < page.index('name="password"')
    assert "Université de Badwolf" in page


def test_the_login_page_without_sso_has_no_university_button(client, db):
    assert "/sso/" not in client.get("/login").get_data(as_text=True)


def test_organisers_switch_student_passwords_off_and_it_is_audited(
        sso_client, db, edition, organizer, student, company_user):
    log_in(sso_client, organizer)
    answer = post_form(sso_client, "/organizer/sign-in", {"submit": "1"})  # box unticked
    assert answer.status_code == 302
    db.session.expire_all()
    assert edition.settings["student_password_login"] is False
    event = db.session.scalar(sa.select(AuditEvent).where(
        AuditEvent.action == "sso.student_passwords"))
    assert event.actor_id == organizer.id and event.details == {"allowed": False}

    refused = sso_client.application.test_client()
    answer = post_form(refused, "/login", {"email": student.email, "password": factories.PASSWORD})
    assert answer.status_code == 200
    assert says(answer, "Students sign in with their university account: use the button "
                        "above.")
    company = sso_client.application.test_client()
    answer = post_form(company, "/login",
                       {"email": company_user.email, "password": factories.PASSWORD})
    assert answer.status_code == 302

    log_in(sso_client, organizer)
    post_form(sso_client, "/organizer/sign-in", {"allowed": "y", "submit": "1"})
    db.session.expire_all()
    assert edition.settings["student_password_login"] is True


def test_student_passwords_cannot_be_switched_off_without_a_university_sign_in(
        client, db, edition, organizer, login):
    login(organizer)
    page = client.get("/organizer/sign-in")
    assert page.status_code == 200
    answer = post_form(client, "/organizer/sign-in", {"submit": "1"}, follow_redirects=True)
    assert says(answer, "No university sign-in is configured: students would have no way to "
                        "sign in.")
    db.session.expire_all()
    assert (edition.settings or {}).get("student_password_login", True) is True
