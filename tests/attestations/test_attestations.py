"""Attestations of participation: the facts, the PDF in French or English, the student's
page and download, the public verification, and the refusals."""

from __future__ import annotations

import re
import zlib

import pytest
import sqlalchemy as sa

from crunchtime.extensions import db as _db
from crunchtime.models import (
    Attestation,
    Award,
    Criterion,
    JudgingRound,
    Programme,
    StudentProfile,
)
from crunchtime.models.base import utcnow
from crunchtime.services.attestations import attendance
from crunchtime.services.attestations import facts as service
from crunchtime.services.attestations.documents import attestation_html
from tests import factories
from tests.helpers import fr, says, text

PDF = "/attestations/attestation.pdf"


def pdf_title(data: bytes) -> str:
    """The document title a PDF carries (pypdf and poppler are not installed here): its
    streams inflated, its UTF-16 title string decoded."""
    parts = [data]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    found = re.search(rb"/Title <feff([0-9a-f]+)>", b"".join(parts))
    assert found, "the PDF has no title"
    return bytes.fromhex(found.group(1).decode()).decode("utf-16-be")


def publish_results(edition, *awards) -> None:
    judging_round = JudgingRound(edition_id=edition.id, number=1, status="closed",
                                 results_published_at=utcnow())
    _db.session.add(judging_round)
    _db.session.flush()
    _db.session.add(Criterion(edition_id=edition.id, round_id=judging_round.id, key="c",
                              label_fr="C"))
    _db.session.add_all(awards)
    edition.phase = "results"
    _db.session.commit()


@pytest.fixture
def world(db):
    edition = factories.edition(phase="judging", name="Crunch Time 2026", year=2026)
    organisation = factories.organisation("Alstom")
    challenge = factories.challenge(edition, organisation, code="C017",
                                    title="Trains à hydrogène")
    student = factories.student(edition, first_name="Léa", last_name="Martin")
    programme = Programme(edition_id=edition.id, name="Génie mécanique")
    _db.session.add(programme)
    _db.session.flush()
    profile = _db.session.scalar(sa.select(StudentProfile).where(
        StudentProfile.user_id == student.id))
    profile.programme_id = programme.id
    _db.session.commit()
    team = factories.team(edition, challenge, members=[student], name="Hydrogène")
    loner = factories.student(edition)
    return {"edition": edition, "student": student, "team": team, "loner": loner,
            "challenge": challenge}


@pytest.fixture
def published(world):
    edition, team, challenge = world["edition"], world["team"], world["challenge"]
    publish_results(edition, Award(edition_id=edition.id, challenge_id=challenge.id, place=1,
                                   team_id=team.id, score=8.5),
                    Award(edition_id=edition.id, challenge_id=None, place=2, team_id=team.id))
    return world


def test_the_facts_state_edition_student_team_challenge_and_awards(published):
    facts = service.student_facts(published["student"], published["edition"])
    assert facts.edition_name == "Crunch Time 2026" and facts.student_name == "Léa Martin"
    assert facts.programme == "Génie mécanique"
    assert (facts.team_code, facts.team_name) == (published["team"].code, "Hydrogène")
    assert (facts.challenge_code, facts.organisation) == ("C017", "Alstom")
    assert facts.awards == [service.AwardFact(2, None), service.AwardFact(1, "C017")]
    assert facts.presence is None  # no presence recorded
    assert facts.verify_url.endswith(f"/attestations/verify/{facts.reference}")


def test_a_reference_is_issued_once_and_kept(published):
    first = service.student_facts(published["student"], published["edition"])
    again = service.student_facts(published["student"], published["edition"])
    assert first.reference == again.reference
    assert _db.session.scalar(sa.select(sa.func.count(Attestation.id))) == 1
    assert len(first.reference) == 14 and first.reference.count("-") == 2


def test_the_document_is_written_in_french_or_in_english(published, app):
    facts = service.student_facts(published["student"], published["edition"])
    french = attestation_html(facts, "fr")
    assert fr("Attestation of participation") in french and 'lang="fr"' in french
    assert "Léa Martin" in french and "Trains à hydrogène" in french and "Alstom" in french
    assert fr("Place %(place)d among the teams of challenge %(code)s",
              place=1, code="C017") in french
    assert facts.reference in french and facts.verify_url in french
    english = attestation_html(facts, "en")
    assert "Attestation of participation" in english and 'lang="en"' in english
    assert "Place 2 in the overall ranking" in english
    assert "http" not in english.split("<style>")[1].split("</style>")[0]  # no web font


def test_the_presence_line_appears_only_when_presence_is_recorded(published, monkeypatch):
    class Row:
        present, sessions, justified, unjustified = 8, 10, 1, 1

    student = published["student"]
    monkeypatch.setattr(attendance, "attendance_of",
                        lambda edition, user_ids=None: {student.id: Row()})
    facts = service.student_facts(student, published["edition"])
    assert facts.presence == attendance.Presence(8, 10)
    assert fr("Present at %(present)d of %(num)d session", "Present at %(present)d of "
              "%(num)d sessions", num=10, present=8) in attestation_html(facts, "fr")
    # No session recorded (the edition does not take presence): no line at all.
    assert service.student_facts(student, published["edition"]).presence is not None
    monkeypatch.undo()
    assert service.student_facts(student, published["edition"]).presence is None


def test_a_student_downloads_the_pdf_in_the_chosen_language(published, as_user):
    client = as_user(published["student"])
    page = client.get("/attestations/")
    assert page.status_code == 200 and "Léa Martin" in text(page)
    response = client.get(PDF, query_string={"lang": "en"})
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    assert "Léa Martin" in pdf_title(response.data)
    assert "attachment" in response.headers["Content-Disposition"]
    assert client.get(PDF, query_string={"lang": "de"}).status_code == 400


def test_a_student_without_a_team_is_told_why_there_is_no_attestation(published, as_user):
    client = as_user(published["loner"])
    page = client.get("/attestations/")
    assert page.status_code == 200
    assert says(page, "You were not in a team in this edition: an attestation states a team's "
                      "work, so there is none to issue. Contact the organisers if this is a "
                      "mistake.")
    assert PDF not in text(page)
    assert client.get(PDF, query_string={"lang": "fr"}).status_code == 409
    assert _db.session.scalar(sa.select(sa.func.count(Attestation.id))) == 0


def test_no_attestation_before_the_results_are_published(world, as_user):
    client = as_user(world["student"])
    page = client.get("/attestations/")
    assert says(page, "Attestations are available once the results are published.")
    assert client.get(PDF, query_string={"lang": "fr"}).status_code == 409


def test_anyone_can_check_a_reference(published, client):
    facts = service.student_facts(published["student"], published["edition"])
    page = client.get(f"/attestations/verify/{facts.reference}")
    assert page.status_code == 200
    assert says(page, "Genuine attestation") and "Léa Martin" in text(page)
    typed = facts.reference.replace("-", " ").lower().replace("0", "o")
    assert client.get(f"/attestations/verify/{typed}").status_code == 200
    asked = client.get("/attestations/verify", query_string={"reference": typed})
    assert asked.status_code == 302 and asked.headers["Location"].endswith(facts.reference)


def test_an_unknown_reference_is_not_genuine(published, client):
    response = client.get("/attestations/verify/AAAA-BBBB-CCCC")
    assert response.status_code == 404
    assert says(response, "Unknown reference")
    assert "Léa Martin" not in text(response)


def test_an_erased_students_reference_no_longer_checks(published, client):
    facts = service.student_facts(published["student"], published["edition"])
    profile = _db.session.scalar(sa.select(StudentProfile).where(
        StudentProfile.user_id == published["student"].id))
    profile.deleted_at = utcnow()
    _db.session.commit()
    response = client.get(f"/attestations/verify/{facts.reference}")
    assert response.status_code == 404 and "Léa Martin" not in text(response)
