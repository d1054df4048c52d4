"""Login, logout, sessions, forgotten passwords and jury invitations."""

from __future__ import annotations

import time

import itsdangerous.timed
import sqlalchemy as sa

from crunchtime.models import AuditEvent, JuryProfile, User
from tests import factories
from tests.helpers import last_mail_to, link_in, path_of, post_form, says, text

NEW_PASSWORD = "nouveau-mot-de-passe-solide"


def log_in_form(client, email, password=factories.PASSWORD, next_path=""):
    path = "/login" + (f"?next={next_path}" if next_path else "")
    return post_form(client, path, {"email": email, "password": password})


def test_each_role_lands_on_its_home_page(client, db, edition):
    homes = {
        factories.student(edition): "/student/",
        factories.company_user(): "/company/",
        factories.jury(edition): "/jury/",
        factories.organizer(): "/organizer/",
    }
    for user, home in homes.items():
        response = log_in_form(client, user.email.upper())
        assert response.status_code == 302 and response.headers["Location"] == home
        assert client.get(home).status_code == 200
        client.post("/logout", data={"csrf_token": _token(client)})


def _token(client):
    from tests.helpers import csrf_token

    return csrf_token(client, "/")


def test_wrong_password_and_unknown_account_get_the_same_message(client, db, student):
    wrong = log_in_form(client, student.email, "not-the-password")
    unknown = log_in_form(client, "nobody@example.org")
    for response in (wrong, unknown):
        assert response.status_code == 200
        assert says(response, "E-mail address or password incorrect.")
    assert client.get("/student/").status_code == 302


def test_deactivated_account_cannot_log_in(client, db, student):
    student.active = False
    db.session.commit()
    response = log_in_form(client, student.email)
    assert says(response, "E-mail address or password incorrect.")


def test_login_starts_a_new_session_without_anything_from_before(client, db, student):
    with client.session_transaction() as session:
        session["planted_by_attacker"] = "x"
        session["sid"] = "fixed-session-id"
    log_in_form(client, student.email)
    with client.session_transaction() as session:
        assert "planted_by_attacker" not in session
        assert session["sid"] != "fixed-session-id"
        assert session["_user_id"] == student.get_id()


def test_login_follows_a_local_next_but_not_an_external_one(client, db, student):
    response = log_in_form(client, student.email, next_path="/account/")
    assert response.headers["Location"] == "/account/"
    client.post("/logout", data={"csrf_token": _token(client)})
    response = log_in_form(client, student.email, next_path="//evil.example/")
    assert response.headers["Location"] == "/student/"


def test_logout_requires_post_and_ends_the_session(client, db, student, login):
    login(student)
    assert client.get("/logout").status_code == 405
    response = client.post("/logout", data={"csrf_token": _token(client)})
    assert response.status_code == 302
    assert client.get("/student/").status_code == 302


def test_forgotten_password_mails_a_link_that_works_once(client, db, student):
    response = post_form(client, "/password/forgot", {"email": student.email.upper()})
    assert response.status_code == 302
    mail = last_mail_to(student.email)
    assert mail is not None and mail.kind == "reset"
    link = link_in(mail.body)
    assert link.startswith("http://crunchtime.test/password/reset/")
    reset_path = path_of(link)
    assert client.get(reset_path).status_code == 200

    data = {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    response = post_form(client, reset_path, data)
    assert response.status_code == 302 and response.headers["Location"] == "/student/"

    client.post("/logout", data={"csrf_token": _token(client)})
    reused = client.get(reset_path)
    assert reused.status_code == 400
    assert says(reused, "This link has already been used. Ask for a new one if you need it.")
    assert log_in_form(client, student.email, NEW_PASSWORD).status_code == 302


def test_forgotten_password_for_unknown_email_reveals_nothing(client, db):
    response = post_form(client, "/password/forgot", {"email": "ghost@example.org"},
                         follow_redirects=True)
    assert says(
        response,
        "If an account exists for %(email)s, a link to choose a new password is on its way. "
        "It is valid for one hour.",
        email="ghost@example.org",
    )
    assert last_mail_to("ghost@example.org") is None


def test_expired_reset_link_is_refused(client, db, student, monkeypatch):
    post_form(client, "/password/forgot", {"email": student.email})
    reset_path = path_of(link_in(last_mail_to(student.email).body))
    later = time.time() + 2 * 3600
    monkeypatch.setattr(itsdangerous.timed.time, "time", lambda: later)
    response = client.get(reset_path)
    assert response.status_code == 400
    assert says(response, "This link has expired. Ask for a new one.")
    data = {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    response = client.post(reset_path, data=data)
    assert response.status_code == 400
    assert log_in_form(client, student.email, NEW_PASSWORD).status_code == 200


def test_tampered_reset_link_is_refused(client, db, student):
    post_form(client, "/password/forgot", {"email": student.email})
    reset_path = path_of(link_in(last_mail_to(student.email).body))
    response = client.get(reset_path[:-3] + "abc")
    assert response.status_code == 400
    assert says(response, "This link is not valid. Check that you copied it completely.")


def test_weak_password_on_reset_keeps_the_link_usable(client, db, student):
    post_form(client, "/password/forgot", {"email": student.email})
    reset_path = path_of(link_in(last_mail_to(student.email).body))
    response = post_form(client, reset_path, {"password": "short", "confirm": "short"})
    assert response.status_code == 200
    assert client.get(reset_path).status_code == 200


def test_password_change_ends_other_sessions(app, db, student):
    first, second = app.test_client(), app.test_client()
    for browser in (first, second):
        log_in_form(browser, student.email)
        assert browser.get("/student/").status_code == 200
    data = {"current_password": factories.PASSWORD, "password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD}
    response = post_form(first, "/account/", data)
    assert response.status_code == 302
    assert first.get("/student/").status_code == 200
    assert second.get("/student/").status_code == 302


def test_password_change_with_wrong_current_password_is_refused(client, db, student, login):
    login(student)
    data = {"current_password": "wrong-password!", "password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD}
    response = post_form(client, "/account/", data)
    assert says(response, "The current password is not correct.")


def test_organiser_invites_a_jury_who_sets_a_password_and_logs_in(client, db, edition,
                                                                  organizer, login):
    login(organizer)
    data = {"first_name": "Claire", "last_name": "Martin", "email": "Claire.Martin@ge.example",
            "expertise": "Énergie, turbines"}
    response = post_form(client, "/organizer/juries", data)
    assert response.status_code == 302
    jury = db.session.scalar(sa.select(User).where(User.email == "claire.martin@ge.example"))
    assert jury.role == "jury" and jury.password_hash is None
    assert db.session.scalar(sa.select(JuryProfile).where(JuryProfile.user_id == jury.id))
    audit = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "jury.invite"))
    assert audit.actor_id == organizer.id

    outbox = client.get("/organizer/outbox")
    assert "claire.martin@ge.example" in text(outbox)
    invitation = path_of(link_in(last_mail_to(jury.email).body))
    client.post("/logout", data={"csrf_token": _token(client)})

    page = client.get(invitation)
    assert page.status_code == 200 and "claire.martin@ge.example" in text(page)
    response = post_form(client, invitation, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.headers["Location"] == "/jury/"
    client.post("/logout", data={"csrf_token": _token(client)})
    assert log_in_form(client, jury.email, NEW_PASSWORD).headers["Location"] == "/jury/"
    assert client.get(invitation).status_code == 400


def test_inviting_an_existing_email_is_refused_on_the_form(client, db, edition, organizer,
                                                           login, student):
    login(organizer)
    data = {"first_name": "A", "last_name": "B", "email": student.email.upper()}
    response = post_form(client, "/organizer/juries", data)
    assert response.status_code == 200
    assert says(response, "An account already exists with this e-mail address.")
