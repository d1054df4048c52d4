"""Anonymisation leaves nothing of the student: every text column of the models is either in
the register of personal fields (services/privacy/personal_fields.py) or declared not
personal, and after a student with data in every registered field is anonymised — on request
or by the retention rule — none of their values remains anywhere in the database. Their
team's project stays, without them."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from crunchtime.extensions import db as _db
from crunchtime.models import (
    Absence,
    Announcement,
    AuditEvent,
    Base,
    ConflictOfInterest,
    DeletionRequest,
    HelpRequest,
    IncubationFlag,
    IncubationNomination,
    Interest,
    Membership,
    Milestone,
    MilestoneFeedback,
    MilestoneProgress,
    OutboxMessage,
    PresenceSession,
    ScoreEvent,
    StudentProfile,
    SubmissionFile,
    SubmissionVersion,
    Team,
    UniversityIdentity,
    User,
)
from crunchtime.models.base import utcnow
from crunchtime.services.audit import record_audit
from crunchtime.services.privacy.personal_fields import NOT_PERSONAL, PERSONAL_FIELDS
from crunchtime.services.privacy.requests import process_request, refuse_request, request_deletion
from crunchtime.services.privacy.retention import purge_expired
from crunchtime.text import fold
from tests import factories
from tests.worlds import build_world, profile_id

FIRST, LAST = "Séraphine", "Quintaval"
EMAIL = "seraphine.quintaval@etu.example"
MARK = "xq7kw"  # in the values that are hers alone (interests, friend group)
KEPT_LINK = "https://hybus.example/demo"
TEXT_TYPES = (sa.String, sa.Text, sa.JSON)


def text_columns(base) -> set[tuple[type, str]]:
    """(model, column) of every String, Text or JSON column mapped on `base`."""
    found = set()
    for mapper in base.registry.mappers:
        for column in mapper.columns:
            kind = getattr(column.type, "impl", column.type)
            if isinstance(column.type, TEXT_TYPES) or isinstance(kind, TEXT_TYPES):
                found.add((mapper.class_, column.key))
    return found


def unregistered(base) -> set[tuple[str, str]]:
    known = set(PERSONAL_FIELDS) | set(NOT_PERSONAL)
    return {(model.__name__, column) for model, column in text_columns(base) - known}


def test_every_text_column_is_personal_or_declared_not_personal():
    assert unregistered(Base) == set()
    assert not set(PERSONAL_FIELDS) & set(NOT_PERSONAL)
    assert set(PERSONAL_FIELDS) | set(NOT_PERSONAL) <= text_columns(Base), "stale entries"


def test_a_new_text_column_in_neither_list_is_caught():
    class Other(DeclarativeBase):
        pass

    class Badge(Other):
        __tablename__ = "badge"
        id: Mapped[int] = mapped_column(primary_key=True)
        nickname: Mapped[str] = mapped_column(sa.String(40))

    assert unregistered(Other) == {("Badge", "nickname")}


# ---- a student with data in every personal field -----------------------------------------

def _account(ctx):
    student = ctx["student"]
    student.first_name, student.last_name, student.email = FIRST, LAST, EMAIL
    student.locale = "en"
    ctx["secrets"] = [student.password_hash, student.session_token]


def _profile(ctx):
    profile = ctx["profile"]
    profile.interests = f"Apiculture urbaine {MARK}"
    profile.friend_group_key = f"{MARK}-amis"


def _team(ctx):
    team = ctx["team"]
    team.name = f"Les abeilles de {FIRST}"
    team.continuation_plan = f"{FIRST}, Hugo\n\nContinuer avec {LAST.upper()}."


def _version(ctx):
    version = ctx["version"]
    for name in ("title", "pitch", "problem", "solution", "prototype", "user_tests"):
        setattr(version, name, f"{name} porté par {FIRST} {LAST} ({EMAIL})"[:200])
    version.links = {"repository": f"https://github.com/s{LAST.lower()}/hybus",
                     "video": "https://seraphine-quintaval.fr/pitch", "demo": KEPT_LINK}


def _file(ctx):
    _db.session.add(SubmissionFile(
        submission_id=ctx["version"].submission_id, stored_name="f" * 40, content_type="a/b",
        original_name=f"cv_{fold(FIRST)}_{LAST.upper()}.pdf", size=1, sha256="0" * 64,
        uploaded_by_id=ctx["student"].id))


def _stage(ctx):
    milestone = Milestone(edition_id=ctx["world"].edition.id, key="proto", label_fr="Proto")
    _db.session.add(milestone)
    _db.session.flush()
    progress = MilestoneProgress(team_id=ctx["team"].id, milestone_id=milestone.id,
                                 note=f"Photo de {FIRST} au prototype",
                                 completed_by_id=ctx["student"].id)
    _db.session.add(progress)
    _db.session.flush()
    ctx["progress"] = progress


def _feedback(ctx):
    _db.session.add(MilestoneFeedback(progress_id=ctx["progress"].id,
                                      author_id=ctx["world"].company.id,
                                      text=f"Bravo {LAST}, écrivez-nous à {EMAIL}"))


def _score(ctx):
    world = ctx["world"]
    criterion_id = _db.session.scalar(sa.select(ScoreEvent.criterion_id).limit(1))
    _db.session.add(ScoreEvent(
        client_event_id="anon-1", round_id=world.round.id, jury_id=profile_id(world.juries[0]),
        team_id=ctx["team"].id, criterion_id=criterion_id, kind="score", value=7,
        comment=f"{FIRST} {LAST} a porté le pitch", reason=f"Après échange avec {FIRST}"))


def _comments(ctx):
    for nomination in _db.session.scalars(sa.select(IncubationNomination)):
        nomination.comment = f"{FIRST} pilote le projet"
    _db.session.scalar(sa.select(Interest)).note = f"Appeler {FIRST} {LAST} lundi"
    _db.session.add(IncubationFlag(team_id=ctx["team"].id, status="shortlisted", reasons=[],
                                   note=f"{LAST} {FIRST}, très convaincante"))


def _help_requests(ctx):
    _db.session.add(HelpRequest(
        edition_id=ctx["world"].edition.id, team_id=ctx["team"].id, tags=[],
        topic=f"{FIRST} a cassé le capteur", location=f"Bureau de {FIRST} {LAST}",
        status="resolved", mentor_id=ctx["world"].organizer.id,
        resolution_note=f"Réparé avec {LAST}"))


def _absence(ctx):
    day = datetime(2026, 12, 7, tzinfo=UTC)
    session = PresenceSession(edition_id=ctx["world"].edition.id, day=day.date(), part="morning",
                              starts_at=day.replace(hour=8), ends_at=day.replace(hour=12))
    _db.session.add(session)
    _db.session.flush()
    _db.session.add(Absence(user_id=ctx["student"].id, session_id=session.id,
                            reason=f"{FIRST} {LAST} chez le médecin", status="accepted",
                            decided_at=day, stored_name="0" * 32, content_type="application/pdf",
                            original_name=f"certificat-{LAST}.pdf",
                            note=f"Vu avec {FIRST}"))


def _identity(ctx):
    _db.session.add(UniversityIdentity(user_id=ctx["student"].id, provider="cas",
                                       subject=f"{FIRST.lower()}.{LAST.lower()}",
                                       provider_email=EMAIL))


def _conflict(ctx):
    _db.session.add(ConflictOfInterest(jury_id=profile_id(ctx["world"].juries[1]),
                                       kind="student", student_id=ctx["profile"].id,
                                       note=f"{FIRST} est ma nièce"))


def _announcements(ctx):
    edition = ctx["world"].edition
    _db.session.add_all([
        Announcement(edition_id=edition.id, audience="team", team_id=ctx["team"].id,
                     text_fr=f"{FIRST}, passez au stand", text_en=f"{FIRST}, come by",
                     published_at=utcnow()),
        Announcement(edition_id=edition.id, audience="everyone", published_at=utcnow(),
                     text_fr=f"Bravo à {FIRST} {LAST} !", text_en=f"Well done {LAST} {FIRST}")])


def _audit(ctx):
    team, student, world = ctx["team"], ctx["student"], ctx["world"]
    record_audit(student, "team.rename", team, edition_id=world.edition.id, code=team.code,
                 previous=f"Équipe {LAST}", name=team.name)
    record_audit(world.organizer, "incubation.decide", world.round, edition_id=world.edition.id,
                 note=f"Dossier de {FIRST}")
    record_audit(world.juries[0], "judging.retract", world.round, edition_id=world.edition.id,
                 reason=f"{LAST} absente", seq=1)
    record_audit(world.organizer, "student.note", student, comment=f"Joindre {EMAIL}")


def _mails(ctx):
    _db.session.add_all([
        OutboxMessage(recipient=EMAIL, subject=f"Bonjour {FIRST}", body=f"Bonjour {FIRST}",
                      error=f"550 {EMAIL} unknown"),
        OutboxMessage(recipient=ctx["teammate"].email, subject="Votre équipe",
                      body=f"Vos coéquipiers :\n- {FIRST} {LAST} <{EMAIL}>")])


def _refused_request(ctx):
    _db.session.commit()
    refused = request_deletion(ctx["student"])
    refuse_request(ctx["world"].organizer, refused.id, f"Dossier de bourse de {FIRST} en cours")


PLANTERS = {
    (User, "email"): _account, (User, "first_name"): _account, (User, "last_name"): _account,
    (User, "password_hash"): _account, (User, "locale"): _account,
    (User, "session_token"): _account,
    (StudentProfile, "interests"): _profile, (StudentProfile, "friend_group_key"): _profile,
    (Team, "name"): _team, (Team, "continuation_plan"): _team,
    **{(SubmissionVersion, name): _version for name in (
        "title", "pitch", "problem", "solution", "prototype", "user_tests", "links")},
    (SubmissionFile, "original_name"): _file,
    (MilestoneProgress, "note"): _stage, (MilestoneFeedback, "text"): _feedback,
    (ScoreEvent, "comment"): _score, (ScoreEvent, "reason"): _score,
    (IncubationNomination, "comment"): _comments, (Interest, "note"): _comments,
    (IncubationFlag, "note"): _comments, (ConflictOfInterest, "note"): _conflict,
    (Announcement, "text_fr"): _announcements, (Announcement, "text_en"): _announcements,
    (AuditEvent, "details"): _audit,
    (OutboxMessage, "recipient"): _mails, (OutboxMessage, "subject"): _mails,
    (OutboxMessage, "body"): _mails, (OutboxMessage, "error"): _mails,
    (DeletionRequest, "note"): _refused_request,
    (HelpRequest, "topic"): _help_requests, (HelpRequest, "location"): _help_requests,
    (HelpRequest, "resolution_note"): _help_requests,
    (Absence, "reason"): _absence, (Absence, "note"): _absence,
    (Absence, "original_name"): _absence,
    (UniversityIdentity, "provider_email"): _identity, (UniversityIdentity, "subject"): _identity,
}


def test_the_test_plants_data_in_every_personal_field():
    assert set(PLANTERS) == set(PERSONAL_FIELDS)


def seraphine(db, world) -> dict:
    """The first team's student, with a teammate, and her data in every personal field."""
    student, team = world.students[0], world.teams[0]
    teammate = factories.student(world.edition, first_name="Hugo", last_name="Bernard")
    db.session.add(Membership(team_id=team.id, edition_id=world.edition.id,
                              student_id=_profile_of(db, teammate).id))
    ctx = {"world": world, "student": student, "team": team, "teammate": teammate,
           "profile": _profile_of(db, student),
           "version": db.session.scalar(sa.select(SubmissionVersion).where(
               SubmissionVersion.submission.has(team_id=team.id)))}
    db.session.execute(sa.update(Membership).values(gallery_consent_at=utcnow()))
    for planter in dict.fromkeys(PLANTERS.values()):  # each once, in the register's order
        planter(ctx)
    db.session.commit()
    return ctx


def _profile_of(db, user) -> StudentProfile:
    return db.session.scalar(sa.select(StudentProfile).where(StudentProfile.user_id == user.id))


def needles(ctx) -> list[str]:
    return [fold(value) for value in (FIRST, LAST, EMAIL, MARK, *ctx["secrets"])]


def database_dump() -> dict[str, str]:
    """table.column -> every value of it, folded, for the whole database."""
    dump = {}
    for table in _db.metadata.sorted_tables:
        rows = _db.session.connection().execute(sa.select(table)).all()
        for index, column in enumerate(table.columns):
            values = [row[index] for row in rows if row[index] is not None]
            dump[f"{table.name}.{column.name}"] = fold(" | ".join(
                json.dumps(value, ensure_ascii=False) if isinstance(value, dict | list)
                else str(value) for value in values))
    return dump


def remaining(ctx) -> dict[str, list[str]]:
    found = {}
    for place, values in database_dump().items():
        hits = [needle for needle in needles(ctx) if needle and needle in values]
        if hits:
            found[place] = hits
    return found


def on_request(db, world, ctx) -> None:
    process_request(world.organizer, request_deletion(ctx["student"]).id)


def by_retention(db, world, ctx) -> None:
    world.edition.phase, world.edition.is_current = "closed", False
    db.session.add(AuditEvent(edition_id=world.edition.id, action="edition.phase",
                              details={"old": "results", "new": "closed"},
                              created_at=datetime(2020, 12, 1, tzinfo=UTC)))
    db.session.commit()
    assert purge_expired(3, now=datetime(2026, 11, 1, tzinfo=UTC))


@pytest.mark.parametrize("anonymise", [on_request, by_retention])
def test_no_personal_value_remains_anywhere_after_anonymisation(db, anonymise):
    world = build_world(teams=2)
    world.round.results_published_at = utcnow()
    ctx = seraphine(db, world)
    assert set(remaining(ctx)) >= {"user_account.email", "student_profile.interests",
                                   "submission_file.original_name", "audit_event.details",
                                   "milestone_feedback.text", "outbox_message.body"}
    anonymise(db, world, ctx)
    db.session.expire_all()
    assert remaining(ctx) == {}
    student = db.session.get(User, ctx["student"].id)
    assert (student.locale, student.email_verified_at, student.password_hash) == (
        None, None, None)
    assert db.session.scalar(sa.select(Membership.gallery_consent_at).where(
        Membership.student_id == ctx["profile"].id)) is None


def test_the_project_stays_without_her(db):
    world = build_world(teams=2)
    world.round.results_published_at = utcnow()
    ctx = seraphine(db, world)
    on_request(db, world, ctx)
    version = db.session.get(SubmissionVersion, ctx["version"].id)
    assert version.pitch.startswith("pitch porté par […]")
    assert version.links == {"demo": KEPT_LINK}
    assert db.session.get(Team, ctx["team"].id).name == "Les abeilles de […]"
    assert db.session.scalar(sa.select(SubmissionFile.original_name)) == "cv_[…].pdf"
    event = db.session.scalar(sa.select(ScoreEvent).where(
        ScoreEvent.client_event_id == "anon-1"))
    assert (event.value, event.comment) == (7, "[…] a porté le pitch")
    assert db.session.scalar(sa.select(OutboxMessage.body).where(
        OutboxMessage.recipient == ctx["teammate"].email)) == "Vos coéquipiers :\n- […] <[…]>"
