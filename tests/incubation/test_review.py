"""The review of flagged teams: filter, evidence, decisions (audited, shortlist e-mailed),
the shortlist as CSV and as a printable page for the incubation committee."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from crunchtime.errors import InvalidInput
from crunchtime.models import AuditEvent, IncubationFlag, OutboxMessage
from crunchtime.services.incubation.flags import compute_flags
from crunchtime.services.incubation.review import decide
from tests.helpers import fr, last_mail_to, says, text
from tests.worlds import post

QUEUE = "/organizer/incubation/"


@pytest.fixture
def flagged(db, world):
    compute_flags(world.organizer, world.edition)
    return world


def flag_id(db, team) -> int:
    return db.session.scalar(sa.select(IncubationFlag.id).where(IncubationFlag.team_id == team.id))


def test_the_queue_filters_by_challenge(db, flagged, as_user):
    client = as_user(flagged.organizer)
    page = text(client.get(QUEUE + f"?challenge={flagged.challenges[1].id}"))
    assert "T002" in page and 'data-team="T001"' not in page
    assert 'data-team="T001"' in text(client.get(QUEUE))


def test_the_evidence_shows_scores_comments_submission_and_interest_notes(db, flagged,
                                                                           as_user):
    response = as_user(flagged.organizer).get(f"{QUEUE}flags/{flag_id(db, flagged.teams[0])}")
    assert response.status_code == 200
    page = text(response)
    assert "Avis 9" in page and "Capteurs connectés" in page
    assert "Rendez-vous pris" in page and "Alstom" in page
    assert "Trouver un client pilote." in page


def test_shortlisting_is_audited_and_tells_the_team_by_e_mail(db, flagged, as_user):
    target = flag_id(db, flagged.teams[0])
    response = post(as_user(flagged.organizer), f"{QUEUE}flags/{target}",
                    {"status": "shortlisted", "note": "Dossier solide"})
    assert response.status_code == 302
    flag = db.session.get(IncubationFlag, target)
    assert flag.status == "shortlisted" and flag.decided_by_id == flagged.organizer.id
    mail = last_mail_to(flagged.students[0].email)
    assert mail.subject == fr("Crunch Time: your project is shortlisted for incubation")
    audit = db.session.scalar(sa.select(AuditEvent).where(
        AuditEvent.action == "incubation.decide"))
    assert audit.details["status"] == "shortlisted" and audit.details["previous"] == "flagged"


def test_declining_needs_a_reason_and_keeps_the_form(db, flagged, as_user):
    target = flag_id(db, flagged.teams[0])
    response = post(as_user(flagged.organizer), f"{QUEUE}flags/{target}",
                    {"status": "declined", "note": ""})
    assert response.status_code == 200
    assert says(response, "Give the reason for declining: the committee and the team will "
                          "want to know.")
    assert db.session.get(IncubationFlag, target).status == "flagged"
    with pytest.raises(InvalidInput):
        decide(flagged.organizer, flagged.edition, target, "adopted", "")


def test_incubated_then_back_to_review_sends_no_mail(db, flagged):
    target = flag_id(db, flagged.teams[1])
    decide(flagged.organizer, flagged.edition, target, "incubated", "")
    decide(flagged.organizer, flagged.edition, target, "flagged", "")
    flag = db.session.get(IncubationFlag, target)
    assert flag.status == "flagged" and flag.decided_at is None
    assert db.session.scalar(sa.select(sa.func.count(OutboxMessage.id))) == 0


def test_the_shortlist_exports_as_csv_and_prints_one_page_per_project(db, flagged, as_user):
    for team in flagged.teams[:2]:
        decide(flagged.organizer, flagged.edition, flag_id(db, team), "shortlisted", "")
    client = as_user(flagged.organizer)
    comma = client.get(QUEUE + "shortlist.csv").get_data(as_text=True)
    assert comma.startswith("\ufeffteam,team_name,challenge,")
    assert comma.count("\r\n") == 3 and "T001" in comma
    semicolon = client.get(QUEUE + "shortlist.csv?sep=semicolon").get_data(as_text=True)
    assert semicolon.startswith("\ufeffteam;team_name;challenge;")
    printed = text(client.get(QUEUE + "shortlist/print"))
    assert printed.count('class="panel print-page"') == 2
    assert "Capteurs connectés" in printed and "Avis 9" in printed
