"""RGPD: a student downloads their data and asks for deletion (queued while their team is
judged); organisers anonymise or refuse; the retention rule anonymises old editions."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from crunchtime.errors import Conflict, InvalidInput
from crunchtime.files import storage
from crunchtime.models import (
    AuditEvent,
    Criterion,
    DeletionRequest,
    IncubationFlag,
    IncubationNomination,
    Interest,
    OutboxMessage,
    Preference,
    ScoreEvent,
    StudentProfile,
    SubmissionFile,
    SubmissionVersion,
    User,
)
from crunchtime.models.base import utcnow
from crunchtime.services.announcements.posts import AnnouncementDraft, create_announcement
from crunchtime.services.editions.phases import change_phase
from crunchtime.services.judging.results import publish_results
from crunchtime.services.mail import queue_mail
from crunchtime.services.privacy.requests import process_request, refuse_request, request_deletion
from crunchtime.services.privacy.retention import purge_expired
from crunchtime.views.templating import paris_time
from tests import factories
from tests.challenges import samples
from tests.helpers import fr, says, text
from tests.worlds import build_world, post, profile_id


@pytest.fixture
def lea(db, world):
    """The first team's student, renamed Léa Moreau, whose name the project mentions; the
    results of the edition are published (nothing is being judged any more)."""
    world.round.results_published_at = utcnow()
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


def _download(client) -> tuple[dict, str]:
    raw = client.get("/my-data/data.json").get_data(as_text=True)
    return json.loads(raw), raw


def test_the_download_holds_what_others_recorded_about_the_team(db, world, lea, as_user):
    team = world.teams[0]
    db.session.add(IncubationFlag(team_id=team.id, status="shortlisted", score=81.5,
                                  note="Dossier solide", reasons=[]))
    db.session.commit()
    create_announcement(world.organizer, world.edition, AnnouncementDraft(
        audience="team", team_id=team.id, text_fr="Votre salle : B12"))
    create_announcement(world.organizer, world.edition, AnnouncementDraft(
        audience="role", role="jury", text_fr="Aux jurys seulement"))
    data, raw = _download(as_user(lea))
    mine = data["editions"][0]["team"]
    assert len(mine["jury_scores"]) == 6  # three juries, two criteria
    assert {line["jury"] for line in mine["jury_scores"]} == {1, 2, 3}
    assert all(line["comment"].startswith("Avis") for line in mine["jury_scores"])
    assert not any(jury.email in raw for jury in world.juries)
    assert [n["commitment"] for n in mine["incubation_nominations"]] == [5, 5, 5]
    assert [i["organisation"] for i in mine["partner_interest"]] == ["Alstom"]
    assert "Rendez-vous pris" not in raw  # the partner's own note stays out
    assert mine["incubation_decision"]["status"] == "shortlisted"
    assert mine["incubation_decision"]["note"] == "Dossier solide"
    assert mine["continuation"] == {"wants_to_continue": True, "who": "Léa, Hugo",
                                    "plan": "Trouver un client pilote."}
    received = data["editions"][0]["announcements_received"]
    assert [a["text_fr"] for a in received] == ["Votre salle : B12"]


def test_jury_scores_stay_out_of_the_download_until_the_results_are_published(db, world,
                                                                               as_user):
    data, _raw = _download(as_user(world.students[0]))
    team = data["editions"][0]["team"]
    assert team["jury_scores"] == [] and len(team["incubation_nominations"]) == 3


def test_deletion_removes_the_name_from_what_others_wrote_about_the_team(db, world, lea):
    team, other = world.teams[0], world.teams[1]
    criterion = db.session.scalar(sa.select(Criterion).where(
        Criterion.round_id == world.round.id).limit(1))
    db.session.add(ScoreEvent(
        client_event_id="rgpd-1", round_id=world.round.id, jury_id=profile_id(world.juries[0]),
        team_id=team.id, criterion_id=criterion.id, kind="score", value=7,
        comment="Léa Moreau a porté le pitch ; MOREAU convaincante.",
        reason="Correction après échange avec Lea"))
    for nomination in db.session.scalars(sa.select(IncubationNomination)):
        nomination.comment = "Léa pilote le projet"
    db.session.scalar(sa.select(Interest)).note = "Appeler Léa Moreau lundi"
    db.session.add(IncubationFlag(team_id=team.id, status="shortlisted", reasons=[],
                                  note="Moreau Léa, très convaincante"))
    db.session.commit()
    process_request(world.organizer, request_deletion(lea).id)
    event = db.session.get(ScoreEvent, db.session.scalar(
        sa.select(ScoreEvent.seq).where(ScoreEvent.client_event_id == "rgpd-1")))
    assert event.comment == "[…] a porté le pitch ; […] convaincante." and event.value == 7
    assert event.reason == "Correction après échange avec […]"
    assert {n.comment for n in db.session.scalars(sa.select(IncubationNomination))} == {
        "[…] pilote le projet"}
    assert db.session.scalar(sa.select(Interest.note)) == "Appeler […] lundi"
    assert db.session.scalar(sa.select(IncubationFlag.note)) == "[…], très convaincante"
    untouched = db.session.scalars(sa.select(ScoreEvent.comment).where(
        ScoreEvent.team_id == other.id)).all()
    assert untouched and all(comment.startswith("Avis") for comment in untouched)


def test_the_privacy_page_says_what_is_stored_why_for_how_long_and_who_sees_it(
        app, db, monkeypatch):
    monkeypatch.setitem(app.config, "RETENTION_YEARS", 5)
    response = app.test_client().get("/privacy")
    assert response.status_code == 200
    for heading in ("What we store", "Why", "For how long", "Who sees it"):
        assert says(response, heading)
    assert says(response, "%(num)d year after the edition closes",
                "%(num)d years after the edition closes", num=5)
    assert says(response, "Until you ask for deletion, or %(num)d year after the end of your "
                          "last edition", "Until you ask for deletion, or %(num)d years after "
                          "the end of your last edition", num=5)
    assert says(response, "To form the teams")
    assert says(response, "The organisers of the university see everything. A company or "
                          "public body sees only the teams working on its own challenges. "
                          "Juries see the projects they are assigned to score. The public "
                          "sees the project gallery, if your team agrees, with first names "
                          "only.")
    assert says(response, "Partners' private notes on your team are not in it: they are the "
                          "partner's own working notes (the organisers can show them to you "
                          "on request). On deletion your name is removed from them, as from "
                          "the juries' comments and the organisers' notes.")


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


RELEASED = ("Your team is no longer being judged: your request to delete your personal data "
            "is no longer on hold, and the organisers will now process it.")


def _release_mails(db, user) -> list[OutboxMessage]:
    return list(db.session.scalars(sa.select(OutboxMessage).where(
        OutboxMessage.recipient == user.email, OutboxMessage.kind == "privacy")))


def test_a_request_while_the_team_is_judged_waits_for_the_published_results(db, as_user):
    world = build_world(phase="judging", teams=2)
    student = world.students[0]
    response = post(as_user(student), "/my-data/deletion", {"confirm": "y"}, follow_redirects=True)
    assert says(response, "Your request is recorded. Your team is being judged: it will be "
                          "processed once the results are published.")
    request = db.session.scalar(sa.select(DeletionRequest))
    assert request.status == "deferred"
    with pytest.raises(Conflict):
        process_request(world.organizer, request.id)
    change_phase(world.edition, "results", world.organizer)  # not published yet: still waits
    assert db.session.get(DeletionRequest, request.id).status == "deferred"
    with pytest.raises(Conflict):
        process_request(world.organizer, request.id)
    assert _release_mails(db, student) == []
    publish_results(world.organizer, world.edition)
    assert db.session.get(DeletionRequest, request.id).status == "pending"
    [mail] = _release_mails(db, student)
    assert fr(RELEASED) in mail.body
    assert db.session.scalar(sa.select(AuditEvent.id).where(
        AuditEvent.action == "privacy.release")) is not None
    process_request(world.organizer, request.id)
    assert not db.session.get(User, student.id).active


def test_leaving_judging_without_results_also_frees_the_request(db, as_user):
    world = build_world(phase="judging", teams=2)
    student, other = world.students
    waiting = request_deletion(student)
    assert waiting.status == "deferred"
    change_phase(world.edition, "building", world.organizer)  # judging reopened later
    assert db.session.get(DeletionRequest, waiting.id).status == "pending"
    assert len(_release_mails(db, student)) == 1 and _release_mails(db, other) == []
    with force_locale("fr"):
        when = paris_time(waiting.created_at)
    assert says(as_user(student).get("/my-data/"),
                "Your request of %(when)s is recorded; the organisers will process it.",
                when=when)


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
