"""Organisers review submitted challenges: send back with a comment, approve; all audited
and mailed to the company's contact."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from crunchtime.errors import Conflict, Forbidden
from crunchtime.models import AuditEvent, Challenge, OutboxMessage
from crunchtime.services.challenges import review as challenge_review
from tests import factories
from tests.challenges.conftest import make_challenge, post, set_phase, shows
from tests.challenges.test_company_challenges import DRAFT
from tests.conftest import log_in
from tests.helpers import fr, last_mail_to, post_form, says, text


def client_for(app, user):
    client = app.test_client()
    log_in(client, user)
    return client


def actions(db, challenge) -> list[str]:
    return list(db.session.scalars(
        sa.select(AuditEvent.action)
        .where(AuditEvent.target_type == "Challenge", AuditEvent.target_id == challenge.id)
        .order_by(AuditEvent.id)
    ))


def test_draft_submit_send_back_edit_resubmit_approve(
    app, db, edition, company_user, organizer
):
    company, reviewer = client_for(app, company_user), client_for(app, organizer)
    post_form(company, "/company/challenges/new", DRAFT)
    challenge = db.session.scalar(sa.select(Challenge))
    page = f"/company/challenges/{challenge.id}"
    assert post(company, f"{page}/submit").status_code == 302
    db.session.refresh(challenge)
    assert challenge.status == "submitted" and challenge.submitted_at is not None

    queue = reviewer.get("/organizer/challenges")
    assert shows(queue, challenge.title)
    review = f"/organizer/challenges/{challenge.id}"
    refused = post(reviewer, f"{review}/send-back", {"comment": "  "})
    assert refused.status_code == 200
    assert says(refused, "Explain to the company what to change.")
    comment = "Précisez les données disponibles et le livrable attendu."
    assert post(reviewer, f"{review}/send-back", {"comment": comment}).status_code == 302
    db.session.refresh(challenge)
    assert (challenge.status, challenge.review_comment) == ("rejected", comment)
    mail = last_mail_to("camille.martin@example.org")
    assert mail.kind == "challenge_sent_back" and comment in mail.body
    assert f"http://crunchtime.test/company/challenges/{challenge.id}" in mail.body
    assert challenge.title in mail.subject

    assert shows(company.get("/company/challenges"), comment)
    assert shows(company.get(page), comment)
    post_form(company, f"{page}/edit", {**DRAFT, "context": "Compteurs au pas de 10 minutes."})
    assert post(company, f"{page}/submit").status_code == 302
    db.session.refresh(challenge)
    assert challenge.status == "submitted"

    assert post(reviewer, f"{review}/approve").status_code == 302
    db.session.refresh(challenge)
    assert challenge.status == "approved" and challenge.reviewed_at is not None
    approved = last_mail_to("camille.martin@example.org")
    assert approved.kind == "challenge_approved" and challenge.code in approved.body
    assert actions(db, challenge) == [
        "challenge.create", "challenge.submit", "challenge.send_back", "challenge.update",
        "challenge.submit", "challenge.approve",
    ]
    resubmission = db.session.scalars(sa.select(AuditEvent).where(
        AuditEvent.action == "challenge.submit").order_by(AuditEvent.id)).all()
    assert [e.details["resubmission"] for e in resubmission] == [False, True]
    send_back = db.session.scalar(sa.select(AuditEvent).where(
        AuditEvent.action == "challenge.send_back"))
    assert send_back.actor_id == organizer.id and send_back.details["comment"] == comment


def test_the_queue_lists_submitted_challenges_first_and_filters_by_status(
    client, db, edition, organizer, login
):
    make_challenge(edition, title="Projet validé", status="approved")
    make_challenge(edition, title="Projet ébauché", status="draft")
    make_challenge(edition, title="Projet soumis", status="submitted")
    login(organizer)
    page = text(client.get("/organizer/challenges"))
    assert page.index("Projet soumis") < page.index("Projet validé")
    assert page.index("Projet soumis") < page.index("Projet ébauché")
    filtered = text(client.get("/organizer/challenges?status=approved"))
    assert "Projet validé" in filtered and "Projet soumis" not in filtered


def test_the_contact_gets_the_decision_in_their_own_language(
    client, db, edition, company_user, organizer, login
):
    english = factories.company_user(company_user.organisation, locale="en")
    challenge = make_challenge(edition, company_user.organisation, status="submitted",
                               title="Green campus", contact_email=english.email)
    login(organizer)
    post(client, f"/organizer/challenges/{challenge.id}/approve")
    assert last_mail_to(english.email).subject == "Your challenge “Green campus” is approved"


def test_without_contact_the_author_is_told(db, edition, company_user, organizer):
    challenge = make_challenge(edition, company_user.organisation, status="submitted",
                               created_by_id=company_user.id, contact_email="")
    challenge_review.approve_challenge(organizer, challenge)
    assert last_mail_to(company_user.email).kind == "challenge_approved"


def test_only_submitted_challenges_can_be_decided(client, db, edition, organizer, login):
    draft = make_challenge(edition, status="draft")
    login(organizer)
    for action, data in (("approve", {}), ("send-back", {"comment": "Non"})):
        response = post(client, f"/organizer/challenges/{draft.id}/{action}", data)
        assert response.status_code == 409
    db.session.refresh(draft)
    assert draft.status == "draft"
    assert db.session.scalar(sa.select(sa.func.count(OutboxMessage.id))) == 0


def test_reviewing_outside_its_phases_answers_409_naming_them(
    client, db, edition, organizer, login
):
    challenge = make_challenge(edition, status="submitted")
    set_phase(edition, "matching")
    login(organizer)
    response = post(client, f"/organizer/challenges/{challenge.id}/approve")
    assert response.status_code == 409
    phases = ", ".join(fr(p) for p in ("Setup", "Registration", "Challenges", "Preferences"))
    assert says(response, "This is not possible during the “%(current)s” phase; it is open "
                "during: %(phases)s.", current=fr("Matching"), phases=phases)
    assert says(client.get(f"/organizer/challenges/{challenge.id}"),
                "Reviewing challenges is closed during this phase.")
    db.session.refresh(challenge)
    assert challenge.status == "submitted"


def test_the_review_page_shows_the_challenge_and_its_attachments(
    client, db, edition, organizer, login
):
    from crunchtime.models import ChallengeAttachment

    challenge = make_challenge(edition, status="submitted", problem="Le problème posé")
    challenge.attachments.append(ChallengeAttachment(
        stored_name="a" * 32, original_name="Cahier des charges.pdf",
        content_type="application/pdf", size=2048, sha256="0" * 64))
    db.session.commit()
    page = login(organizer).get(f"/organizer/challenges/{challenge.id}")
    assert "Le problème posé" in text(page) and "Cahier des charges.pdf" in text(page)
    assert f"/organizer/challenges/{challenge.id}/approve" in text(page)


def test_the_service_refuses_a_non_organiser(db, edition, company_user):
    challenge = make_challenge(edition, company_user.organisation, status="submitted")
    with pytest.raises(Forbidden):
        challenge_review.approve_challenge(company_user, challenge)


def test_an_approved_challenge_cannot_be_sent_back(db, edition, organizer):
    challenge = make_challenge(edition, status="approved")
    with pytest.raises(Conflict):
        challenge_review.send_back_challenge(organizer, challenge, "Trop tard")
