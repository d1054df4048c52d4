"""Erasing an anonymised student from what stays: their team's project (name, texts, links,
file names, stage notes, the continuation plan) and what others wrote about it (jury comments,
nominations, partners' notes and feedback, the incubation decision, juries' conflict notes,
announcements, the audit log, mails to their teammates). The project itself stays, for the
incubation model of the next years. The register of these fields: personal_fields.py."""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa

from crunchtime.extensions import db
from crunchtime.models import (
    Announcement,
    AuditEvent,
    ConflictOfInterest,
    DeletionRequest,
    HelpRequest,
    IncubationFlag,
    IncubationNomination,
    Interest,
    Membership,
    MilestoneFeedback,
    MilestoneProgress,
    OutboxMessage,
    ScoreEvent,
    StudentProfile,
    Submission,
    SubmissionFile,
    SubmissionVersion,
    Team,
    User,
)
from crunchtime.services.privacy.names import Person

VERSION_TEXTS = ("title", "pitch", "problem", "solution", "prototype", "user_tests")
# Audit actions whose details hold what somebody typed about a team, found by edition (their
# target is a round or the flag, not the team).
TEXT_ACTIONS = ("judging.retract", "incubation.decide")


def _set_erased(row, column: str, erase) -> None:
    value = getattr(row, column)
    if value:
        erased = erase(value)
        if erased != value:
            setattr(row, column, erased)


def _rows(model, *conditions) -> Iterable:
    return db.session.scalars(sa.select(model).where(*conditions))


def _team_name(team: Team, person: Person) -> str | None:
    """The erased name, or none (the code shows) when another team of the edition has it."""
    name = person.erase(team.name)[:80]
    if name == team.name:
        return name
    taken = db.session.scalar(sa.select(Team.id).where(
        Team.edition_id == team.edition_id, sa.func.lower(Team.name) == name.lower(),
        Team.id != team.id))
    return None if taken else name


def _projects(team_ids: list[int], person: Person) -> None:
    versions = _rows(SubmissionVersion, SubmissionVersion.submission_id.in_(
        sa.select(Submission.id).where(Submission.team_id.in_(team_ids))))
    for version in versions:
        for name in VERSION_TEXTS:
            _set_erased(version, name, person.erase)
        links = version.links or {}
        if any(person.is_in_link(link) for link in links.values()):
            version.links = {key: link for key, link in links.items()
                             if not person.is_in_link(link)}
    files = _rows(SubmissionFile, SubmissionFile.submission_id.in_(
        sa.select(Submission.id).where(Submission.team_id.in_(team_ids))))
    for row in files:
        _set_erased(row, "original_name", person.erase_in_file_name)
    progress = list(_rows(MilestoneProgress, MilestoneProgress.team_id.in_(team_ids)))
    for row in progress:
        _set_erased(row, "note", person.erase)
    for row in _rows(MilestoneFeedback,
                     MilestoneFeedback.progress_id.in_([row.id for row in progress])):
        _set_erased(row, "text", person.erase)


def _notes(team_ids: list[int], profile_ids: list[int], person: Person) -> None:
    """Nomination comments, partners' notes, the incubation decision, conflict notes."""
    for model, column in ((IncubationNomination, "comment"), (Interest, "note"),
                          (IncubationFlag, "note")):
        for row in _rows(model, model.team_id.in_(team_ids)):
            _set_erased(row, column, person.erase)
    for row in _rows(ConflictOfInterest, sa.or_(ConflictOfInterest.team_id.in_(team_ids),
                                                ConflictOfInterest.student_id.in_(profile_ids))):
        _set_erased(row, "note", person.erase)
    for row in _rows(HelpRequest, HelpRequest.team_id.in_(team_ids)):  # mentoring
        for column in ("topic", "location", "resolution_note"):
            _set_erased(row, column, person.erase)


def _jury_comments(team_ids: list[int], person: Person) -> None:
    """The one rewrite the append-only ledger allows: the student's name out of the texts
    (comment, correction reason) of score events, never a value. It goes through the
    connection because the ORM refuses any change to a score event (models/ledger.py)."""
    table = ScoreEvent.__table__
    connection = db.session.connection()
    rows = connection.execute(sa.select(table.c.seq, table.c.comment, table.c.reason).where(
        table.c.team_id.in_(team_ids), sa.or_(table.c.comment != "", table.c.reason != "")))
    for seq, comment, reason in rows.all():
        texts = {"comment": person.erase(comment or ""), "reason": person.erase(reason or "")}
        if texts != {"comment": comment or "", "reason": reason or ""}:
            connection.execute(sa.update(table).where(table.c.seq == seq).values(**texts))


def _announcements(team_ids: list[int], edition_ids: list[int], person: Person) -> None:
    """To their team: any of their names goes; to more people: their full name only."""
    for row in _rows(Announcement, Announcement.edition_id.in_(edition_ids)):
        erase = person.erase if row.team_id in team_ids else person.erase_full_name
        _set_erased(row, "text_fr", erase)
        _set_erased(row, "text_en", erase)


def _audit(team_ids: list[int], edition_ids: list[int], person: Person,
           user_id: int | None) -> None:
    """Details of the entries about their teams (a rename keeps the old and new names) and
    the typed reasons of the editions; with the whole account, their own actions and the
    entries about it too."""
    flags = sa.select(IncubationFlag.id).where(IncubationFlag.team_id.in_(team_ids))
    submissions = sa.select(Submission.id).where(Submission.team_id.in_(team_ids))
    about = [sa.and_(AuditEvent.target_type == "Team", AuditEvent.target_id.in_(team_ids)),
             sa.and_(AuditEvent.target_type == "IncubationFlag", AuditEvent.target_id.in_(flags)),
             sa.and_(AuditEvent.target_type == "Submission",
                     AuditEvent.target_id.in_(submissions)),
             sa.and_(AuditEvent.edition_id.in_(edition_ids), AuditEvent.action.in_(TEXT_ACTIONS))]
    if user_id is not None:
        requests = sa.select(DeletionRequest.id).where(DeletionRequest.user_id == user_id)
        about += [AuditEvent.actor_id == user_id,
                  sa.and_(AuditEvent.target_type == "User", AuditEvent.target_id == user_id),
                  sa.and_(AuditEvent.target_type == "DeletionRequest",
                          AuditEvent.target_id.in_(requests))]
    for row in _rows(AuditEvent, sa.or_(*about)):
        details = person.erase_in_value(row.details or {})
        if details != row.details:
            row.details = details


def _teammates_mail(team_ids: list[int], user_id: int | None, person: Person) -> None:
    """Mails to their teammates (the teams' publication lists every member's address)."""
    teammates = (sa.select(User.email).join(StudentProfile, StudentProfile.user_id == User.id)
                 .join(Membership, Membership.student_id == StudentProfile.id)
                 .where(Membership.team_id.in_(team_ids)))
    if user_id is not None:
        teammates = teammates.where(User.id != user_id)
    for row in _rows(OutboxMessage, OutboxMessage.recipient.in_(teammates)):
        _set_erased(row, "subject", person.erase)
        _set_erased(row, "body", person.erase)


def erase_from_teams(profile_ids: list[int], person: Person, user_id: int | None) -> None:
    """Erase the student from their teams' projects and from what others wrote, in the
    caller's unit of work. `user_id` when the whole account goes (else only these profiles)."""
    team_ids = list(db.session.scalars(sa.select(Membership.team_id).where(
        Membership.student_id.in_(profile_ids))))
    edition_ids = list(db.session.scalars(sa.select(StudentProfile.edition_id).where(
        StudentProfile.id.in_(profile_ids))))
    for team in _rows(Team, Team.id.in_(team_ids)):
        team.continuation_plan = person.erase(team.continuation_plan)
        if team.name:
            team.name = _team_name(team, person)
    if team_ids:
        _projects(team_ids, person)
        _jury_comments(team_ids, person)
        _teammates_mail(team_ids, user_id, person)
    _notes(team_ids, profile_ids, person)
    _announcements(team_ids, edition_ids, person)
    _audit(team_ids, edition_ids, person, user_id)
