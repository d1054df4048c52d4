"""Organisers invite a second contact into a registered organisation (sign-up refuses the
name twice): an account without password, a link to set it, an audit entry."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from crunchtime.errors import Conflict, Forbidden, NotFound
from crunchtime.models import AuditEvent, User
from crunchtime.services.accounts import organisations as service
from tests import factories
from tests.helpers import csrf_token, last_mail_to, link_in, path_of, post_form, says, text

NEW_PASSWORD = "tournesol-hydrogène-42"
INVITE = "/organizer/organisations/invite"


@pytest.fixture
def registered(db, edition):
    """An organisation whose first employee signed up; the second one cannot."""
    organisation = factories.organisation("Alstom Belfort")
    factories.company_user(organisation, email="first@alstom.example")
    return organisation


def invite(client, organisation, **fields):
    data = {"organisation": organisation.id, "first_name": "Inès", "last_name": "Roux",
            "email": "Ines.Roux@Alstom.example", **fields}
    return client.post(INVITE, data={
        **data, "csrf_token": csrf_token(client, "/organizer/organisations")})


def account(db, email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == email))


def test_invited_contact_joins_the_organisation_and_sets_a_password(
    client, db, registered, organizer, login
):
    login(organizer)
    response = invite(client, registered)
    assert response.status_code == 302
    contact = account(db, "ines.roux@alstom.example")
    assert contact.role == "company" and contact.organisation_id == registered.id
    assert contact.password_hash is None and not contact.has_password
    entry = db.session.scalar(sa.select(AuditEvent).where(
        AuditEvent.action == "organisation.invite"))
    assert (entry.actor_id, entry.target_id) == (organizer.id, contact.id)
    assert entry.details["organisation_id"] == registered.id

    invitation = path_of(link_in(last_mail_to(contact.email).body))
    assert invitation.startswith("/invitation/")
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    done = post_form(client, invitation, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert done.headers["Location"] == "/company/"
    assert "Alstom Belfort" in text(client.get("/company/"))
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    assert client.get(invitation).status_code == 400


def test_an_invited_contact_cannot_log_in_before_setting_a_password(
    client, db, registered, organizer, login
):
    login(organizer)
    invite(client, registered)
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    response = post_form(client, "/login", {"email": "ines.roux@alstom.example",
                                            "password": NEW_PASSWORD})
    assert response.status_code == 200 and "_user_id" not in _session(client)


def _session(client) -> dict:
    with client.session_transaction() as session:
        return dict(session)


@pytest.mark.parametrize("email", ["FIRST@alstom.example", "first@ALSTOM.EXAMPLE"])
def test_an_email_already_used_in_any_case_re_renders_the_form(
    client, db, registered, organizer, login, email
):
    login(organizer)
    response = invite(client, registered, email=email)
    assert response.status_code == 200
    assert says(response, "An account already exists with this e-mail address.")
    assert "Roux" in text(response)  # the form keeps what was typed
    assert db.session.scalar(sa.select(sa.func.count(User.id)).where(
        User.organisation_id == registered.id)) == 1
    assert last_mail_to(email.lower()) is None


@pytest.mark.parametrize("email", ["ines.roux", "ines@", "inès roux@alstom.example", ""])
def test_a_malformed_email_re_renders_the_form_with_the_error(
    client, db, registered, organizer, login, email
):
    login(organizer)
    response = invite(client, registered, email=email)
    assert response.status_code == 200
    assert 'id="email-error"' in text(response)
    assert db.session.scalar(sa.select(sa.func.count(User.id)).where(
        User.role == "company")) == 1
    assert not db.session.scalar(sa.select(AuditEvent.id).where(
        AuditEvent.action == "organisation.invite"))


def test_the_organisation_page_preselects_the_organisation_to_invite_into(
    client, db, registered, organizer, login
):
    other = factories.organisation("Zodiac Énergie")
    page = text(login(organizer).get(f"/organizer/organisations?invite={other.id}"))
    assert f'<option selected value="{other.id}">' in page
    assert says(client.get("/organizer/organisations"), "Invite a company contact")


def test_only_organisers_invite_and_only_into_a_live_organisation(
    db, registered, organizer, company_user
):
    with pytest.raises(Forbidden):
        service.invite_company_contact(company_user, registered.id, "x@y.fr", "X", "Y")
    with pytest.raises(NotFound):
        service.invite_company_contact(organizer, 999_999, "x@y.fr", "X", "Y")
    kept = factories.organisation("Alstom")
    service.merge_organisations(organizer, registered.id, kept.id)
    with pytest.raises(Conflict):
        service.invite_company_contact(organizer, registered.id, "x@y.fr", "X", "Y")
    assert account(db, "x@y.fr") is None


def test_the_refused_sign_up_now_points_to_the_organisers_invitation(client, db, registered):
    data = {"first_name": "Inès", "last_name": "Roux", "email": "ines@alstom.example",
            "password": NEW_PASSWORD, "confirm": NEW_PASSWORD,
            "organisation": "ALSTOM belfort", "organisation_kind": "company"}
    response = post_form(client, "/register/company", data)
    assert says(response, "“%(name)s” is already registered. Ask the organisers to invite you "
                "into it: you will receive a link to choose your password.",
                name="Alstom Belfort")
