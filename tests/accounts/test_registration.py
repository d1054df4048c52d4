"""Student and company self-registration, and the bad inputs they must refuse politely."""

from __future__ import annotations

import sqlalchemy as sa
from markupsafe import escape

from crunchtime.models import Organisation, StudentProfile, User
from tests import factories
from tests.helpers import fr, last_mail_to, link_in, path_of, post_form, says, text

STUDENT = {
    "first_name": "Léa",
    "last_name": "Dupré",
    "email": "Lea.Dupre@etu.utbm.fr",
    "password": "tournesol-hydrogène-42",
    "confirm": "tournesol-hydrogène-42",
}


def users(db):
    return db.session.scalars(sa.select(User)).all()


def confirm_address(client, email: str):
    """Open the verification link mailed to `email` and press its button."""
    mail = last_mail_to(email)
    assert mail is not None and mail.kind == "verify"
    path = path_of(link_in(mail.body))
    assert path.startswith("/email/verify/")
    return post_form(client, path, {})


def test_student_registers_confirms_the_address_and_logs_in(client, db, edition):
    response = post_form(client, "/register/student", STUDENT)
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert says(client.get("/login"), "We sent a message to %(email)s: open the link it contains "
                "to confirm your address, then log in. The link is valid for 7 days.",
                email="lea.dupre@etu.utbm.fr")
    user = db.session.scalar(sa.select(User).where(User.email == "lea.dupre@etu.utbm.fr"))
    assert user.role == "student" and user.first_name == "Léa"
    assert user.password_hash.startswith("$argon2id$")
    assert user.email_verified_at is None
    profile = db.session.scalar(sa.select(StudentProfile).where(StudentProfile.user_id == user.id))
    assert profile.edition_id == edition.id
    assert client.get("/student/").status_code == 302  # not signed in

    assert confirm_address(client, user.email).headers["Location"] == "/login"
    login = post_form(client, "/login", {"email": STUDENT["email"],
                                         "password": STUDENT["password"]})
    assert login.headers["Location"] == "/student/"
    home = client.get("/student/")
    assert home.status_code == 200 and "Léa" in text(home)


def test_a_taken_address_gets_the_same_answer_and_its_owner_a_mail(client, db, edition):
    owner = factories.student(edition, email="lea.dupre@etu.utbm.fr")
    response = post_form(client, "/register/student", STUDENT, follow_redirects=True)
    assert says(response, "We sent a message to %(email)s: open the link it contains to confirm "
                "your address, then log in. The link is valid for 7 days.",
                email="lea.dupre@etu.utbm.fr")
    assert not says(response, "An account already exists with this e-mail address.")
    assert len(users(db)) == 1
    mail = last_mail_to(owner.email)
    assert mail.kind == "account_exists" and "/login" in mail.body
    assert "/password/forgot" in mail.body


def test_malformed_email_is_refused(client, db, edition):
    response = post_form(client, "/register/student", {**STUDENT, "email": "lea@@utbm"})
    assert response.status_code == 200
    assert says(response, "Enter a valid e-mail address, such as prenom.nom@utbm.fr.")
    assert users(db) == []


def test_weak_password_is_refused_with_the_reason(client, db, edition):
    for password, reason in [
        ("court", fr("The password must have at least %(n)d characters.", n=12)),
        ("aaaaaaaaaaaaaa", fr("This password is too common or too simple; choose another one.")),
        ("dupre-secret-2026", fr("The password must not contain your name or your e-mail "
                                 "address.")),
    ]:
        data = {**STUDENT, "password": password, "confirm": password}
        response = post_form(client, "/register/student", data)
        assert response.status_code == 200
        assert str(escape(reason)) in text(response), password
    assert users(db) == []


def test_mismatched_confirmation_is_refused(client, db, edition):
    response = post_form(client, "/register/student", {**STUDENT, "confirm": "autre-chose-123456"})
    assert says(response, "The two passwords do not match.")
    assert users(db) == []


def test_registration_outside_its_phases_says_which_phases_allow_it(client, db):
    factories.edition(phase="building")
    response = post_form(client, "/register/student", STUDENT)
    assert response.status_code == 200
    page = text(response)
    assert str(escape(fr("Building"))) in page and str(escape(fr("Registration"))) in page
    assert fr("Building") != "Building"
    assert users(db) == []


def test_registration_without_edition_is_refused_clearly(client, db):
    response = post_form(client, "/register/student", STUDENT)
    assert says(response, "No edition is open yet: an organiser must create one first.")
    assert users(db) == []


def test_company_registers_with_a_new_organisation(client, db, edition):
    data = {**STUDENT, "email": "innovation@alstom.example", "organisation": "  Alstom  Belfort ",
            "organisation_kind": "company"}
    response = post_form(client, "/register/company", data)
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    user = db.session.scalar(sa.select(User).where(User.role == "company"))
    assert user.organisation.name == "Alstom Belfort"
    confirm_address(client, user.email)
    login = post_form(client, "/login", {"email": user.email, "password": STUDENT["password"]})
    assert login.headers["Location"] == "/company/"
    assert client.get("/company/").status_code == 200


def test_company_cannot_join_an_existing_organisation_by_name(client, db, edition):
    factories.organisation("Alstom Belfort")
    data = {**STUDENT, "email": "x@alstom.example", "organisation": "alstom belfort",
            "organisation_kind": "company"}
    response = post_form(client, "/register/company", data)
    assert response.status_code == 200
    assert says(
        response,
        "“%(name)s” is already registered. Ask the organisers to invite you into it: you will "
        "receive a link to choose your password.",
        name="Alstom Belfort",
    )
    assert db.session.scalar(sa.select(sa.func.count(Organisation.id))) == 1
    assert users(db) == []


def test_unknown_organisation_kind_is_refused(client, db, edition):
    data = {**STUDENT, "organisation": "Labo", "organisation_kind": "startup"}
    response = post_form(client, "/register/company", data)
    assert response.status_code == 200
    assert users(db) == []


def test_missing_csrf_token_gives_a_400_page_not_a_stack_trace(client, db, edition):
    response = client.post("/register/student", data=STUDENT)
    assert response.status_code == 400
    assert says(
        response,
        "This form has expired or was not sent from our site. Reload the page and submit it "
        "again.",
    )
    assert users(db) == []
