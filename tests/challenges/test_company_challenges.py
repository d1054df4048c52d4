"""A company drafts, edits and submits its own challenges, and only its own."""

from __future__ import annotations

import sqlalchemy as sa

from crunchtime.errors import InvalidInput
from crunchtime.models import AuditEvent, Challenge, Skill
from crunchtime.services.challenges import drafts as service
from crunchtime.services.challenges.drafts import ChallengeFields
from tests import factories
from tests.challenges.conftest import make_challenge, post, set_phase
from tests.helpers import fr, post_form, says, text

DRAFT = {
    "title": "Réduire la consommation d'énergie du campus",
    "problem": "Les bâtiments consomment trop la nuit.",
    "context": "Données de compteurs disponibles.",
    "deliverable": "Un prototype de tableau de bord.",
    "teams_wanted": "2",
    "contact_name": "Camille Martin",
    "contact_email": "Camille.Martin@example.org",
}


def challenges_of(db):
    return db.session.scalars(sa.select(Challenge).order_by(Challenge.id)).all()


def audit(db, action):
    return db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
    ).all()


def test_company_drafts_a_challenge_with_the_next_code_and_its_search_text(
    client, db, edition, company_user, organisation, skills, login
):
    login(company_user)
    response = post_form(client, "/company/challenges/new",
                         {**DRAFT, "skills": [skills[0].id, skills[2].id]})
    assert response.status_code == 302
    challenge = challenges_of(db)[0]
    assert response.headers["Location"] == f"/company/challenges/{challenge.id}"
    assert (challenge.code, challenge.status, challenge.teams_wanted) == ("C001", "draft", 2)
    assert challenge.organisation_id == organisation.id
    assert challenge.contact_email == "camille.martin@example.org"
    assert {skill.name for skill in challenge.skills} == {"Énergie", "Programmation Python"}
    assert "energie du campus" in challenge.search_text
    assert organisation.name.lower() in challenge.search_text
    assert "programmation python" in challenge.search_text
    [entry] = audit(db, "challenge.create")
    assert (entry.actor_id, entry.target_id) == (company_user.id, challenge.id)


def test_codes_follow_the_highest_code_of_the_edition(
    client, db, edition, company_user, login
):
    make_challenge(edition, code="C007")
    make_challenge(factories.edition(current=False), code="C042")
    login(company_user)
    post_form(client, "/company/challenges/new", DRAFT)
    post_form(client, "/company/challenges/new", DRAFT)
    assert [c.code for c in challenges_of(db)][-2:] == ["C008", "C009"]


def test_next_code_fills_a_gap_once_c999_is_taken():
    assert service.next_challenge_code([]) == "C001"
    assert service.next_challenge_code(["C001", "X12", "C010"]) == "C011"
    assert service.next_challenge_code(["C999", "C001"]) == "C002"


def test_the_new_form_offers_the_users_name_and_email_as_contact(
    client, db, edition, company_user, login
):
    login(company_user)
    page = text(client.get("/company/challenges/new"))
    assert f'value="{company_user.email}"' in page


def test_an_empty_title_is_refused_and_the_input_kept(client, db, edition, company_user, login):
    login(company_user)
    response = post_form(client, "/company/challenges/new", {**DRAFT, "title": "   "})
    assert response.status_code == 200
    assert says(response, "Give the challenge a title.")
    assert "Les bâtiments consomment trop la nuit." in text(response)
    assert challenges_of(db) == []


def test_teams_outside_one_to_ten_are_refused(client, db, edition, company_user, login):
    login(company_user)
    for teams in ("0", "11", "-3"):
        response = post_form(client, "/company/challenges/new", {**DRAFT, "teams_wanted": teams})
        assert response.status_code == 200
        assert says(response, "The number of teams must be between %(low)d and %(high)d.",
                    low=1, high=10)
    assert challenges_of(db) == []


def test_a_malformed_contact_email_is_refused(client, db, edition, company_user, login):
    login(company_user)
    response = post_form(client, "/company/challenges/new",
                         {**DRAFT, "contact_email": "camille@@example"})
    assert response.status_code == 200
    assert challenges_of(db) == []


def test_the_service_refuses_bad_input_from_any_caller(db, edition, company_user):
    other_skill = Skill(edition_id=factories.edition(current=False).id, name="Ailleurs")
    db.session.add(other_skill)
    db.session.commit()
    cases = [
        (ChallengeFields(title=""), "title"),
        (ChallengeFields(title="Défi", teams_wanted=11), "teams_wanted"),
        (ChallengeFields(title="Défi", teams_wanted=None), "teams_wanted"),
        (ChallengeFields(title="Défi", contact_email="pas-une-adresse"), "contact_email"),
        (ChallengeFields(title="Défi", skill_ids=[other_skill.id]), "skills"),
        (ChallengeFields(title="Défi", problem="x" * 10_001), "problem"),
    ]
    for fields, field in cases:
        try:
            service.create_challenge(company_user, fields)
        except InvalidInput as error:
            assert error.details["field"] == field
        else:
            raise AssertionError(f"{field} accepted")
    assert challenges_of(db) == []


def test_the_list_shows_only_the_organisations_own_challenges(
    client, db, edition, company_user, organisation, other_company, login
):
    mine = make_challenge(edition, organisation, title="Notre défi", status="draft")
    make_challenge(edition, other_company.organisation, title="Le défi des autres")
    response = login(company_user).get("/company/challenges")
    assert "Notre défi" in text(response) and "Le défi des autres" not in text(response)
    assert f"/company/challenges/{mine.id}" in text(response)


def test_another_organisations_challenge_answers_403_and_is_audited(
    client, db, edition, company_user, other_company, login
):
    theirs = make_challenge(edition, other_company.organisation, status="draft")
    login(company_user)
    for method, path in [
        ("GET", f"/company/challenges/{theirs.id}"),
        ("GET", f"/company/challenges/{theirs.id}/edit"),
        ("POST", f"/company/challenges/{theirs.id}/edit"),
        ("POST", f"/company/challenges/{theirs.id}/submit"),
    ]:
        response = (client.get(path) if method == "GET"
                    else post(client, path, DRAFT))
        assert response.status_code == 403, path
        assert says(response, "This challenge belongs to another organisation.")
    entries = audit(db, "access.denied")
    assert len(entries) == 4
    assert {(e.actor_id, e.target_type, e.target_id) for e in entries} == {
        (company_user.id, "Challenge", theirs.id)}
    assert entries[1].details["purpose"] == "edit"
    assert entries[1].details["path"] == f"/company/challenges/{theirs.id}/edit"
    assert entries[1].details["challenge_organisation_id"] == other_company.organisation_id
    db.session.refresh(theirs)
    assert theirs.status == "draft" and theirs.title != DRAFT["title"]


def test_an_unknown_challenge_answers_404(client, db, edition, company_user, login):
    assert login(company_user).get("/company/challenges/999999").status_code == 404


def test_a_draft_is_edited_and_its_search_text_follows(
    client, db, edition, company_user, organisation, login
):
    challenge = make_challenge(edition, organisation, status="draft", title="Ancien titre")
    login(company_user)
    response = post_form(client, f"/company/challenges/{challenge.id}/edit",
                         {**DRAFT, "title": "Mobilité douce"})
    assert response.status_code == 302
    db.session.refresh(challenge)
    assert challenge.title == "Mobilité douce" and "mobilite douce" in challenge.search_text
    assert len(audit(db, "challenge.update")) == 1


def test_submitted_and_approved_challenges_are_locked_for_the_company(
    client, db, edition, company_user, organisation, login
):
    login(company_user)
    for status, message in [
        ("submitted", "This challenge is waiting for the organisers' review: it cannot be "
                      "changed until they approve it or send it back to you."),
        ("approved", "This challenge is approved: it can no longer be changed. Write to the "
                     "organisers if something must change."),
    ]:
        challenge = make_challenge(edition, organisation, status=status, title="Figé")
        page = client.get(f"/company/challenges/{challenge.id}")
        assert page.status_code == 200 and says(page, message)
        assert f"/company/challenges/{challenge.id}/edit" not in text(page)
        assert client.get(f"/company/challenges/{challenge.id}/edit").status_code == 409
        response = post(client, f"/company/challenges/{challenge.id}/edit", DRAFT)
        assert response.status_code == 409 and says(response, message)
        assert post(client, f"/company/challenges/{challenge.id}/submit").status_code == 409
        db.session.refresh(challenge)
        assert (challenge.title, challenge.status) == ("Figé", status)


def test_an_incomplete_draft_cannot_be_submitted(
    client, db, edition, company_user, organisation, login
):
    challenge = make_challenge(edition, organisation, status="draft", problem="Un problème")
    login(company_user)
    response = post(client, f"/company/challenges/{challenge.id}/submit", follow_redirects=True)
    assert response.status_code == 200
    missing = ", ".join([fr("expected deliverable"), fr("contact person"),
                         fr("contact e-mail address")])
    assert says(response, "Before submitting, complete: %(fields)s.", fields=missing)
    db.session.refresh(challenge)
    assert challenge.status == "draft"


def test_posting_outside_its_phases_answers_409_naming_them(
    client, db, edition, company_user, organisation, login
):
    challenge = make_challenge(edition, organisation, status="draft", title="Avant")
    set_phase(edition, "matching")
    login(company_user)
    phases = ", ".join(fr(label) for label in ("Setup", "Registration", "Challenges",
                                                "Preferences"))
    message = ("This is not possible during the “%(current)s” phase; it is open during: "
               "%(phases)s.")
    for response in (
        client.get("/company/challenges/new"),
        post(client, "/company/challenges/new", DRAFT),
        post(client, f"/company/challenges/{challenge.id}/edit", DRAFT),
        post(client, f"/company/challenges/{challenge.id}/submit"),
    ):
        assert response.status_code == 409
        assert says(response, message, current=fr("Matching"), phases=phases)
    assert [c.title for c in challenges_of(db)] == ["Avant"]
    listing = client.get("/company/challenges")
    assert says(listing, "Posting challenges is closed during the “%(phase)s” phase.",
                phase=fr("Matching"))


def test_a_challenge_of_a_past_edition_cannot_change(
    client, db, edition, company_user, organisation, login
):
    old = make_challenge(factories.edition(current=False), organisation, status="draft")
    login(company_user)
    response = post(client, f"/company/challenges/{old.id}/edit", DRAFT)
    assert response.status_code == 409
    assert says(response, "This challenge belongs to a past edition; it can no longer change.")
