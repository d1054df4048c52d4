"""RGPD: a student downloads their data and asks for deletion (queued while their team is
judged); organisers anonymise or refuse; the retention rule anonymises old editions."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from crunchtime.errors import Conflict, InvalidInput
from crunchtime.files import storage
from crunchtime.models import (
    AuditEvent,
    DeletionRequest,
    OutboxMessage,
    Preference,
    StudentProfile,
    SubmissionFile,
    SubmissionVersion,
    User,
)
from crunchtime.services.mail import queue_mail
from crunchtime.services.privacy import process_request, refuse_request, request_deletion
from crunchtime.services.retention import purge_expired
from tests import factories
from tests.challenges import samples
from tests.helpers import says, text
from tests.incubation.conftest import build_world, post


@pytest.fixture
def lea(db, world):
    """The first team's student, renamed Léa Moreau, whose name the project mentions."""
    student = world.students[0]
    student.first_name, student.last_name = "Léa", "Moreau"
    version = db.session.scalar(sa.select(SubmissionVersion).join(SubmissionVersion.submission)
                                .where(SubmissionVersion.submission.has(team_id=world.teams[0].id)))
    version.pitch = "Porté par Léa MOREAU et son équipe."
    version.author_id = student.id
    db.session.add(Preference(student_id=_profile(db, student).id,
                              challenge_id=world.challenges[0].id, rank=1))
    queue_mail(student.email, "Bienvenue", "Bonjour Léa")
    db.session.commit()
    return student


def _profile(db, user) -> StudentProfile:
    return db.session.scalar(sa.select(StudentProfile).where(StudentProfile.user_id == user.id))


def _upload(db, world, user) -> SubmissionFile:
    stored = storage.save_upload(io.BytesIO(samples.PNG), "maquette.png", max_bytes=10_000)
    submission_id = db.session.scalar(sa.select(SubmissionVersion.submission_id).join(
        SubmissionVersion.submission).where(SubmissionVersion.submission.has(
            team_id=world.teams[0].id)))
    row = SubmissionFile(submission_id=submission_id, stored_name=stored.stored_name,
                         original_name="maquette.png", content_type=stored.content_type,
                         size=stored.size, sha256=stored.sha256, uploaded_by_id=user.id)
    db.session.add(row)
    db.session.commit()
    return row


def test_a_student_downloads_their_data_as_json_and_with_their_files(db, world, lea, as_user):
    _upload(db, world, lea)
    client = as_user(lea)
    data = json.loads(client.get("/my-data/data.json").get_data(as_text=True))
    assert data["account"]["email"] == lea.email
    [edition] = data["editions"]
    assert edition["choices"][0]["challenge"] == "C001"
    assert edition["team"]["code"] == "T001"
    assert edition["team"]["submission"]["pitch"] == "Porté par Léa MOREAU et son équipe."
    assert data["emails_sent_to_you"][0]["subject"] == "Bienvenue"
    archive = zipfile.ZipFile(io.BytesIO(client.get("/my-data/data.zip").get_data()))
    assert sorted(archive.namelist()) == ["data.json", "files/maquette.png"]
    assert archive.read("files/maquette.png") == samples.PNG


def test_a_deletion_request_is_processed_by_anonymising_the_student(db, world, lea, as_user):
    response = post(as_user(lea), "/my-data/deletion", {"confirm": "y"})
    assert response.status_code == 302
    request = db.session.scalar(sa.select(DeletionRequest))
    assert request.status == "pending"
    process_request(world.organizer, request.id)
    user = db.session.get(User, lea.id)
    assert user.email.endswith("@anonymise.invalid") and not user.active
    assert (user.first_name, user.last_name, user.password_hash) == ("", "", None)
    profile = _profile(db, user)
    assert profile.deleted_at is not None and profile.interests == ""
    assert db.session.scalar(sa.select(sa.func.count(Preference.id))) == 0
    version = db.session.scalar(sa.select(SubmissionVersion).where(
        SubmissionVersion.submission.has(team_id=world.teams[0].id)))
    assert version.pitch == "Porté par […] et son équipe." and version.author_id is None
    assert db.session.scalar(sa.select(sa.func.count(OutboxMessage.id)).where(
        OutboxMessage.recipient == lea.email)) == 0
    assert db.session.get(DeletionRequest, request.id).status == "done"
    assert db.session.scalar(sa.select(AuditEvent.id).where(
        AuditEvent.action == "privacy.anonymise")) is not None


def test_a_request_while_the_team_is_judged_is_queued_until_results(db, as_user):
    world = build_world(phase="judging", teams=2)
    student = world.students[0]
    response = post(as_user(student), "/my-data/deletion", {"confirm": "y"}, follow_redirects=True)
    assert says(response, "Your request is recorded. Your team is being judged: it will be "
                          "processed once the results are published.")
    request = db.session.scalar(sa.select(DeletionRequest))
    assert request.status == "deferred"
    with pytest.raises(Conflict):
        process_request(world.organizer, request.id)
    world.edition.phase = "results"
    db.session.commit()
    process_request(world.organizer, request.id)
    assert not db.session.get(User, student.id).active


def test_asking_twice_is_refused_and_refusing_needs_a_reason(db, world):
    student = world.students[1]
    request = request_deletion(student)
    with pytest.raises(Conflict):
        request_deletion(student)
    with pytest.raises(InvalidInput):
        refuse_request(world.organizer, request.id, "  ")
    refuse_request(world.organizer, request.id, "Dossier de bourse en cours")
    assert db.session.get(DeletionRequest, request.id).status == "refused"
    with pytest.raises(Conflict):
        process_request(world.organizer, request.id)


def test_the_organisers_page_lists_requests(db, world, as_user):
    request_deletion(world.students[2])
    page = text(as_user(world.organizer).get("/organizer/privacy/"))
    assert world.students[2].email in page


def closed_edition(db, year: int):
    edition = factories.edition(phase="closed", current=False, year=year)
    db.session.add(AuditEvent(edition_id=edition.id, action="edition.phase",
                              details={"old": "results", "new": "closed"},
                              created_at=datetime(year, 12, 1, tzinfo=UTC)))
    db.session.commit()
    return edition


def test_retention_anonymises_students_of_editions_closed_long_ago(app, db, world):
    old = closed_edition(db, 2019)
    recent = closed_edition(db, 2025)
    gone = factories.student(old, first_name="Ancien", last_name="Étudiant")
    returning = factories.student(old, first_name="Revenu", last_name="Deux")
    db.session.add(StudentProfile(user_id=returning.id, edition_id=recent.id))
    factories.student(recent)
    db.session.commit()
    dry = app.test_cli_runner().invoke(args=["purge", "--dry-run", "--years", "3"])
    assert dry.exit_code == 0 and "2 students would be anonymised" in dry.output
    assert db.session.get(User, gone.id).active
    lines = purge_expired(3, now=datetime(2026, 11, 1, tzinfo=UTC))
    assert [line.edition.id for line in lines] == [old.id]
    assert not db.session.get(User, gone.id).active
    kept = db.session.get(User, returning.id)
    assert kept.active and kept.first_name == "Revenu"
    old_profile = db.session.scalar(sa.select(StudentProfile).where(
        StudentProfile.user_id == returning.id, StudentProfile.edition_id == old.id))
    assert old_profile.deleted_at is not None
    again = app.test_cli_runner().invoke(args=["purge", "--dry-run", "--years", "3"])
    assert "Nothing to anonymise" in again.output
