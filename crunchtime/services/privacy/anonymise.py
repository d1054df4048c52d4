"""Anonymising a student: personal fields emptied, their team's project kept with their name
removed — from its texts and from what others wrote about it (mentions.py) — for a deletion
request, or the retention rule of retention.py. Every text column that can hold a student's
data is listed in personal_fields.py with what happens to it here."""

from __future__ import annotations

import sqlalchemy as sa

from crunchtime.extensions import db
from crunchtime.files import storage
from crunchtime.models import (
    Absence,
    DeletionRequest,
    Membership,
    MilestoneFeedback,
    MilestoneProgress,
    OutboxMessage,
    Preference,
    StudentProfile,
    SubmissionFile,
    SubmissionVersion,
    UniversityIdentity,
    User,
)
from crunchtime.models.base import utcnow
from crunchtime.models.student import student_skill
from crunchtime.models.user import new_session_token
from crunchtime.services.privacy.mentions import erase_from_teams
from crunchtime.services.privacy.names import Person


def anonymous_email(user_id: int) -> str:
    return f"anonyme-{user_id}@anonymise.invalid"


def person_of(user: User) -> Person:
    return Person.of(user.first_name, user.last_name, user.email)


def anonymise_profiles(profile_ids: list[int], person: Person, user_id: int | None = None) -> None:
    """Empty the profiles' personal fields (their gallery agreement too) and remove the
    student from their teams' projects and from what others wrote about them."""
    if not profile_ids:
        return
    now = utcnow()
    db.session.execute(sa.update(StudentProfile).where(StudentProfile.id.in_(profile_ids))
                       .values(interests="", friend_group_key=None, consent_at=None,
                               year_of_study=None, programme_id=None, deleted_at=now)
                       .execution_options(synchronize_session=False))
    db.session.execute(sa.update(Membership).where(Membership.student_id.in_(profile_ids))
                       .values(gallery_consent_at=None)
                       .execution_options(synchronize_session=False))
    db.session.execute(sa.delete(student_skill).where(student_skill.c.profile_id.in_(profile_ids)))
    db.session.execute(sa.delete(Preference).where(Preference.student_id.in_(profile_ids)))
    erase_from_teams(profile_ids, person, user_id)


def _unlink_authorship(user: User) -> None:
    for model, column in ((SubmissionVersion, SubmissionVersion.author_id),
                          (SubmissionFile, SubmissionFile.uploaded_by_id),
                          (MilestoneProgress, MilestoneProgress.completed_by_id),
                          (MilestoneFeedback, MilestoneFeedback.author_id)):
        db.session.execute(sa.update(model).where(column == user.id).values({column.key: None})
                           .execution_options(synchronize_session=False))


def _erase_absences(user: User) -> None:
    """A declared absence's reason, the organisers' note on it and its document (a medical
    certificate, often) go; the decision stays, for the attendance counts."""
    for absence in db.session.scalars(sa.select(Absence).where(Absence.user_id == user.id)):
        if absence.stored_name:
            storage.delete_stored(absence.stored_name)
        absence.reason = absence.note = ""
        absence.stored_name = absence.original_name = absence.content_type = None
        absence.sha256, absence.size = None, None


def anonymise_student(user: User) -> None:
    """The whole account, in the caller's unit of work: it can no longer sign in."""
    person = person_of(user)
    profile_ids = list(db.session.scalars(
        sa.select(StudentProfile.id).where(StudentProfile.user_id == user.id)))
    anonymise_profiles(profile_ids, person, user.id)
    _unlink_authorship(user)
    _erase_absences(user)
    db.session.execute(sa.delete(UniversityIdentity).where(UniversityIdentity.user_id == user.id))
    for request in db.session.scalars(sa.select(DeletionRequest)
                                      .where(DeletionRequest.user_id == user.id)):
        request.note = person.erase(request.note)
    db.session.execute(sa.delete(OutboxMessage).where(OutboxMessage.recipient == user.email))
    user.email = anonymous_email(user.id)
    user.first_name = user.last_name = ""
    user.password_hash, user.locale, user.last_login_at = None, None, None
    user.email_verified_at = None
    user.active, user.organisation_id = False, None
    user.session_token = new_session_token()
    db.session.flush()
    db.session.expire_all()  # the bulk updates above bypassed the objects in the session
