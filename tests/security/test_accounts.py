"""Accounts: a self-registered address is verified by a link before it can log in, students
register with their school's domain, registration does not tell which addresses have an
account, and an outsider cannot lock a jury out by failing its logins."""

from __future__ import annotations

import sqlalchemy as sa

from crunchtime.models import User
from crunchtime.services.accounts import invitations
from tests import factories
from tests.helpers import csrf_token, last_mail_to, link_in, path_of, post_form, says, text

STUDENT = {"first_name": "Léa", "last_name": "Dupré", "email": "lea.dupre@etu.utbm.fr",
           "password": "tournesol-hydrogène-42", "confirm": "tournesol-hydrogène-42"}
CHECK_MAILBOX = ("We sent a message to %(email)s: open the link it contains to confirm your "
                 "address, then log in. The link is valid for 7 days.")
NOT_VERIFIED = ("Your e-mail address is not confirmed yet: open the link we sent to it. "
                "No message? We can send it again.")


def log_in(client, email, password, address="192.0.2.10"):
    token = csrf_token(client, "/login")
    return client.post("/login", data={"email": email, "password": password,
                                       "csrf_token": token},
                       environ_base={"REMOTE_ADDR": address})


def account(db, email) -> User:
    db.session.expire_all()
    return db.session.scalar(sa.select(User).where(User.email == email))


def verification_path(email) -> str:
    mail = last_mail_to(email)
    assert mail is not None and mail.kind == "verify"
    return path_of(link_in(mail.body))


def test_an_unverified_account_is_refused_then_accepted_after_the_link(client, db, edition):
    assert post_form(client, "/register/student", STUDENT).headers["Location"] == "/login"
    refused = log_in(client, STUDENT["email"], STUDENT["password"])
    assert refused.status_code == 200
    assert says(refused, NOT_VERIFIED)
    assert 'action="/email/verify/resend"' in text(refused)
    assert client.get("/student/").status_code == 302

    link = verification_path(STUDENT["email"])
    page = client.get(link)
    assert page.status_code == 200 and STUDENT["email"] in text(page)
    assert account(db, STUDENT["email"]).email_verified_at is None  # opening is not confirming
    confirmed = post_form(client, link, {})
    assert confirmed.headers["Location"] == "/login"
    assert account(db, STUDENT["email"]).email_verified_at is not None
    assert log_in(client, STUDENT["email"], STUDENT["password"]).headers["Location"] \
        == "/student/"
    assert client.get(link).status_code == 400  # single use


def test_a_wrong_password_does_not_tell_that_an_account_waits_for_verification(client, db,
                                                                             edition):
    waiting = factories.student(edition, verified=False)
    response = log_in(client, waiting.email, "not-the-password-at-all")
    assert says(response, "E-mail address or password incorrect.")
    assert not says(response, NOT_VERIFIED)


def test_the_verification_link_can_be_sent_again_within_limits(client, db, edition):
    waiting = factories.student(edition, verified=False)
    statuses = []
    for _ in range(6):
        statuses.append(post_form(client, "/email/verify/resend",
                                  {"email": waiting.email}).status_code)
    assert statuses == [302] * 5 + [429]
    link = verification_path(waiting.email)
    post_form(client, link, {})
    assert log_in(client, waiting.email, factories.PASSWORD).headers["Location"] == "/student/"


def test_resending_says_the_same_whether_or_not_an_account_waits(client, db, edition):
    verified = factories.student(edition)
    answers = []
    for email in (verified.email, "nobody@etu.utbm.fr"):
        response = post_form(client, "/email/verify/resend", {"email": email},
                             follow_redirects=True)
        answers.append(says(response, "If an account is waiting for the confirmation of "
                            "%(email)s, a new link is on its way. It is valid for 7 days.",
                            email=email))
    assert answers == [True, True]
    assert last_mail_to(verified.email) is None


def test_a_student_must_register_with_the_school_domain(client, db, edition, monkeypatch, app):
    monkeypatch.setitem(app.config, "STUDENT_EMAIL_DOMAINS", ["etu.utbm.fr", "utbm.fr"])
    response = post_form(client, "/register/student", {**STUDENT, "email": "lea@gmail.com"})
    assert response.status_code == 200
    assert says(response, "Register with your school e-mail address: it must end in "
                "%(domains)s.", domains="@etu.utbm.fr, @utbm.fr")
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 0
    for email in ("lea@etu.utbm.fr", "lea@utbm.fr", "Lea@Students.UTBM.fr"):
        assert post_form(client, "/register/student", {**STUDENT, "email": email}) \
            .status_code == 302, email


def test_a_company_registers_with_any_domain(client, db, edition, monkeypatch, app):
    monkeypatch.setitem(app.config, "STUDENT_EMAIL_DOMAINS", ["etu.utbm.fr"])
    data = {**STUDENT, "email": "innovation@alstom.example", "organisation": "Alstom",
            "organisation_kind": "company"}
    assert post_form(client, "/register/company", data).status_code == 302


def register(client, email):
    return post_form(client, "/register/student", {**STUDENT, "email": email},
                     follow_redirects=True)


def test_outside_registration_nobody_learns_that_an_address_has_an_account(client, db):
    edition = factories.edition(phase="building")
    taken = factories.student(edition, email="taken@etu.utbm.fr")
    answers = [register(client, taken.email), register(client, "free@etu.utbm.fr")]
    for response in answers:
        assert response.status_code == 200
        assert not says(response, "An account already exists with this e-mail address.")
    first, second = (text(response).replace("taken@", "").replace("free@", "")
                     for response in answers)
    assert first == second.replace(csrf_value(second), csrf_value(first))


def csrf_value(page: str) -> str:
    marker = 'name="csrf_token" type="hidden" value="'
    start = page.index(marker) + len(marker)
    return page[start:page.index('"', start)]


def test_registration_answers_a_taken_address_like_a_new_one(client, db, edition):
    taken = factories.student(edition, email="taken@etu.utbm.fr")
    new, old = register(client, "new@etu.utbm.fr"), register(client, taken.email)
    for response, email in ((new, "new@etu.utbm.fr"), (old, taken.email)):
        assert says(response, CHECK_MAILBOX, email=email)
        assert not says(response, "An account already exists with this e-mail address.")
    assert last_mail_to(taken.email).kind == "account_exists"
    assert last_mail_to("new@etu.utbm.fr").kind == "verify"
    assert account(db, taken.email).first_name == taken.first_name  # nothing overwritten


def test_registering_again_before_verifying_sends_the_link_again(client, db, edition):
    register(client, STUDENT["email"])
    first = last_mail_to(STUDENT["email"]).id
    register(client, STUDENT["email"])
    again = last_mail_to(STUDENT["email"])
    assert again.id != first and again.kind == "verify"
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 1


def test_invitation_and_reset_links_verify_the_address(client, db, edition, organizer):
    jury = invitations.invite_jury(organizer, "claire@ge.example", "Claire", "Martin")
    post_form(client, path_of(link_in(last_mail_to(jury.email).body)),
              {"password": "tournesol-hydrogène-42", "confirm": "tournesol-hydrogène-42"})
    assert account(db, jury.email).email_verified_at is not None

    waiting = factories.student(edition, verified=False)
    browser = client.application.test_client()
    post_form(browser, "/password/forgot", {"email": waiting.email})
    reset = path_of(link_in(last_mail_to(waiting.email).body))
    post_form(browser, reset, {"password": "tournesol-hydrogène-42",
                               "confirm": "tournesol-hydrogène-42"})
    assert account(db, waiting.email).email_verified_at is not None


def test_accounts_made_by_the_organisers_commands_are_verified(app, db):
    result = app.test_cli_runner().invoke(args=["create-organizer", "chef@utbm.fr"])
    assert result.exit_code == 0, result.output
    assert account(db, "chef@utbm.fr").email_verified_at is not None


def test_demo_accounts_log_in_at_once(app, client, db):
    result = app.test_cli_runner().invoke(args=["demo", "--students", "20", "--seed", "2"])
    assert result.exit_code == 0, result.output
    unverified = db.session.scalar(sa.select(sa.func.count(User.id)).where(
        User.email_verified_at.is_(None)))
    assert unverified == 0


def test_an_outsider_failing_from_many_addresses_does_not_lock_a_jury_out(client, db, jury):
    for n in range(30):
        address = f"198.51.100.{n + 1}"
        for _ in range(5):
            assert log_in(client, jury.email, "devine-devine-devine", address).status_code == 200
        assert log_in(client, jury.email, "devine-devine-devine", address).status_code == 429
    response = log_in(client, jury.email, factories.PASSWORD, "203.0.113.7")
    assert response.status_code == 302 and response.headers["Location"] == "/jury/"


def test_an_account_still_has_a_bound_across_addresses(client, db, jury, monkeypatch, app):
    monkeypatch.setitem(app.config, "RATELIMIT_LOGIN_FAILURES_PER_ACCOUNT", "8 per hour")
    statuses = [log_in(client, jury.email, "devine-devine-devine", f"198.51.100.{n}")
                .status_code for n in range(1, 10)]
    assert statuses == [200] * 8 + [429]
