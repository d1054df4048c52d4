"""Everything held about one student, for their RGPD download: a JSON document and, in a
streamed ZIP, the files they uploaded. What others recorded about their team (scores,
nominations, interest, decision) and the announcements they received come from
team_records.py."""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import partial

import sqlalchemy as sa

from crunchtime.extensions import db
from crunchtime.files import storage
from crunchtime.models import (
    AuditEvent,
    Challenge,
    DeletionRequest,
    Edition,
    Membership,
    OutboxMessage,
    Preference,
    StudentProfile,
    Submission,
    SubmissionFile,
    SubmissionVersion,
    Team,
    User,
)
from crunchtime.models.base import utcnow
from crunchtime.services.privacy.team_records import (
    announcements_received,
    iso_moment,
    team_evidence,
)
from crunchtime.services.submissions.archive import path_part
from crunchtime.teamwork.zipstream import ZipMember, stream_zip


def _account(user: User) -> dict:
    return {"email": user.email, "first_name": user.first_name, "last_name": user.last_name,
            "role": user.role, "locale": user.locale, "created_at": iso_moment(user.created_at),
            "last_login_at": iso_moment(user.last_login_at)}


def _profile(profile: StudentProfile, edition: Edition) -> dict:
    preferences = db.session.execute(
        sa.select(Preference.rank, Challenge.code, Challenge.title)
        .join(Challenge, Challenge.id == Preference.challenge_id)
        .where(Preference.student_id == profile.id).order_by(Preference.rank)).all()
    team = db.session.scalar(sa.select(Team).join(Membership, Membership.team_id == Team.id)
                             .where(Membership.student_id == profile.id))
    return {
        "edition": edition.name, "year": edition.year,
        "programme": profile.programme.name if profile.programme else None,
        "year_of_study": profile.year_of_study, "interests": profile.interests,
        "skills": [skill.name for skill in profile.skills],
        "friend_group": profile.friend_group_key, "consent_at": iso_moment(profile.consent_at),
        "completed_at": iso_moment(profile.completed_at),
        "created_at": iso_moment(profile.created_at),
        "choices": [{"rank": rank, "challenge": code, "title": title}
                    for rank, code, title in preferences],
        "team": _team(team) if team else None,
        "announcements_received": announcements_received(profile.user, edition),
    }


def _team(team: Team) -> dict:
    submission = db.session.scalar(sa.select(Submission).where(Submission.team_id == team.id))
    version = db.session.scalar(sa.select(SubmissionVersion).where(
        SubmissionVersion.submission_id == submission.id,
        SubmissionVersion.number == submission.version)) if submission else None
    return {
        "code": team.code, "name": team.name, "challenge": team.challenge.code,
        **team_evidence(team),
        "submission": None if version is None else {
            name: getattr(version, name)
            for name in ("title", "pitch", "problem", "solution", "prototype", "user_tests")
        } | {"links": version.links, "version": version.number,
             "submitted_at": iso_moment(submission.submitted_at)},
    }


def _uploaded_files(user: User) -> list[SubmissionFile]:
    return list(db.session.scalars(
        sa.select(SubmissionFile).where(SubmissionFile.uploaded_by_id == user.id,
                                        SubmissionFile.deleted_at.is_(None))
        .order_by(SubmissionFile.id)))


def personal_data(user: User) -> dict:
    """The student's data as one JSON-ready document."""
    profiles = db.session.execute(
        sa.select(StudentProfile, Edition).join(Edition)
        .where(StudentProfile.user_id == user.id).order_by(Edition.year)).all()
    versions = db.session.scalar(sa.select(sa.func.count(SubmissionVersion.id))
                                 .where(SubmissionVersion.author_id == user.id))
    mails = db.session.execute(
        sa.select(OutboxMessage.created_at, OutboxMessage.subject)
        .where(OutboxMessage.recipient == user.email).order_by(OutboxMessage.id)).all()
    actions = db.session.execute(
        sa.select(AuditEvent.created_at, AuditEvent.action)
        .where(AuditEvent.actor_id == user.id).order_by(AuditEvent.id)).all()
    requests = db.session.scalars(sa.select(DeletionRequest)
                                  .where(DeletionRequest.user_id == user.id))
    return {
        "generated_at": utcnow().isoformat(),
        "account": _account(user),
        "editions": [_profile(profile, edition) for profile, edition in profiles],
        "submission_versions_written": versions,
        "files_uploaded": [{"name": f.original_name, "type": f.content_type, "size": f.size,
                            "sha256": f.sha256, "uploaded_at": iso_moment(f.created_at)}
                           for f in _uploaded_files(user)],
        "emails_sent_to_you": [{"at": iso_moment(at), "subject": subject} for at, subject in mails],
        "your_actions": [{"at": iso_moment(at), "action": action} for at, action in actions],
        "deletion_requests": [{"status": r.status, "at": iso_moment(r.created_at)}
                              for r in requests],
    }


def personal_data_json(user: User) -> str:
    return json.dumps(personal_data(user), ensure_ascii=False, indent=2)


def personal_archive(user: User) -> Iterator[bytes]:
    """data.json and every file the student uploaded, as a streamed ZIP."""
    now = utcnow()
    members = [ZipMember("data.json", now, data=personal_data_json(user).encode("utf-8"))]
    taken: set[str] = set()
    for row in _uploaded_files(user):
        name = path_part(row.original_name)
        while name.lower() in taken:
            name = f"{row.id}-{name}"
        taken.add(name.lower())
        members.append(ZipMember(f"files/{name}", row.created_at,
                                 opener=partial(storage.open_stored, row.stored_name),
                                 size=row.size))
    return stream_zip(members)
