"""Anonymising a student: personal fields emptied, their team's project kept with their name
removed — from its texts and from what others wrote about it (jury comments, nominations,
partners' notes, the incubation decision) — for a deletion request, or the retention rule of
retention.py."""

from __future__ import annotations

import re

import sqlalchemy as sa

from crunchtime.extensions import db
from crunchtime.models import (
    IncubationFlag,
    IncubationNomination,
    Interest,
    Membership,
    MilestoneProgress,
    OutboxMessage,
    Preference,
    ScoreEvent,
    StudentProfile,
    Submission,
    SubmissionFile,
    SubmissionVersion,
    Team,
    User,
)
from crunchtime.models.base import utcnow
from crunchtime.models.student import student_skill
from crunchtime.models.user import new_session_token
from crunchtime.text import fold

ERASED = "[…]"
VERSION_TEXTS = ("title", "pitch", "problem", "solution", "prototype", "user_tests")


def anonymous_email(user_id: int) -> str:
    return f"anonyme-{user_id}@anonymise.invalid"


def name_pattern(first_name: str, last_name: str) -> re.Pattern | None:
    """The student's full name (either order), last name or first name, whatever the case and
    accents (a name of one or two letters only within the full name). Over-erasing a word
    that happens to be a name is the safe side."""
    words = [fold(part.strip()) for part in (first_name, last_name) if len(part.strip()) >= 2]
    if not words:
        return None
    alternatives = [r"\s+".join(map(re.escape, words)), r"\s+".join(map(re.escape, words[::-1]))]
    alternatives += [re.escape(fold(part.strip())) for part in (last_name, first_name)
                     if len(part.strip()) >= 3]
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b")


def scrub(text: str, pattern: re.Pattern | None) -> str:
    """Replace the name in `text`, matching on a folded copy (same length) of it."""
    if not text or pattern is None:
        return text
    folded = fold(text)
    if len(folded) != len(text):  # characters that fold to several: match on the text
        return pattern.sub(ERASED, text)
    spans = [match.span() for match in pattern.finditer(folded)]
    for start, end in reversed(spans):
        text = text[:start] + ERASED + text[end:]
    return text


def _scrub_teams(profile_ids: list[int], pattern: re.Pattern | None) -> None:
    teams = list(db.session.scalars(sa.select(Team).join(Membership)
                                    .where(Membership.student_id.in_(profile_ids))))
    for team in teams:
        team.continuation_plan = scrub(team.continuation_plan, pattern)
        if team.name:
            team.name = scrub(team.name, pattern)[:80]
        versions = db.session.scalars(sa.select(SubmissionVersion).join(Submission)
                                      .where(Submission.team_id == team.id))
        for version in versions:
            for name in VERSION_TEXTS:
                setattr(version, name, scrub(getattr(version, name), pattern))
    team_ids = [team.id for team in teams]
    if team_ids and pattern is not None:
        _scrub_notes(team_ids, pattern)
        _scrub_jury_comments(team_ids, pattern)


def _scrub_notes(team_ids: list[int], pattern: re.Pattern) -> None:
    """Nomination comments, partners' notes and the incubation decision's note."""
    for model, column in ((IncubationNomination, "comment"), (Interest, "note"),
                          (IncubationFlag, "note")):
        for row in db.session.scalars(sa.select(model).where(model.team_id.in_(team_ids))):
            setattr(row, column, scrub(getattr(row, column), pattern))


def _scrub_jury_comments(team_ids: list[int], pattern: re.Pattern) -> None:
    """The one rewrite the append-only ledger allows: the student's name out of the texts
    (comment, correction reason) of score events, never a value. It goes through the
    connection because the ORM refuses any change to a score event (models/ledger.py)."""
    table = ScoreEvent.__table__
    connection = db.session.connection()
    rows = connection.execute(sa.select(table.c.seq, table.c.comment, table.c.reason).where(
        table.c.team_id.in_(team_ids), sa.or_(table.c.comment != "", table.c.reason != "")))
    for seq, comment, reason in rows.all():
        texts = {"comment": scrub(comment or "", pattern), "reason": scrub(reason or "", pattern)}
        if texts != {"comment": comment or "", "reason": reason or ""}:
            connection.execute(sa.update(table).where(table.c.seq == seq).values(**texts))


def anonymise_profiles(profile_ids: list[int], pattern: re.Pattern | None) -> None:
    """Empty the profiles' personal fields and remove the name from their teams' projects."""
    if not profile_ids:
        return
    now = utcnow()
    db.session.execute(sa.update(StudentProfile).where(StudentProfile.id.in_(profile_ids))
                       .values(interests="", friend_group_key=None, consent_at=None,
                               year_of_study=None, programme_id=None, deleted_at=now)
                       .execution_options(synchronize_session=False))
    db.session.execute(sa.delete(student_skill).where(student_skill.c.profile_id.in_(profile_ids)))
    db.session.execute(sa.delete(Preference).where(Preference.student_id.in_(profile_ids)))
    _scrub_teams(profile_ids, pattern)


def anonymise_student(user: User) -> None:
    """The whole account, in the caller's unit of work: it can no longer sign in."""
    profile_ids = list(db.session.scalars(
        sa.select(StudentProfile.id).where(StudentProfile.user_id == user.id)))
    anonymise_profiles(profile_ids, name_pattern(user.first_name, user.last_name))
    for model, column in ((SubmissionVersion, SubmissionVersion.author_id),
                          (SubmissionFile, SubmissionFile.uploaded_by_id),
                          (MilestoneProgress, MilestoneProgress.completed_by_id)):
        db.session.execute(sa.update(model).where(column == user.id).values({column.key: None})
                           .execution_options(synchronize_session=False))
    db.session.execute(sa.delete(OutboxMessage).where(OutboxMessage.recipient == user.email))
    user.email = anonymous_email(user.id)
    user.first_name = user.last_name = ""
    user.password_hash, user.locale, user.last_login_at = None, None, None
    user.active, user.organisation_id = False, None
    user.session_token = new_session_token()
    db.session.flush()
    db.session.expire_all()  # the bulk updates above bypassed the objects in the session
