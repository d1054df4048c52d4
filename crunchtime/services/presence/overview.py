"""Who is here: a team's members at the session in progress (the team page, the company's
view), the organisers' figures per session and per programme (the cockpit), a student's own
record, and the staff's list of a team's members to tick."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from crunchtime.extensions import db
from crunchtime.models import (
    Absence,
    CheckIn,
    Edition,
    Membership,
    PresenceSession,
    Programme,
    StudentProfile,
    Team,
    User,
)
from crunchtime.models.base import UTCDateTime, utcnow
from crunchtime.presence import window
from crunchtime.services.presence.sessions import edition_sessions, session_open_at


@dataclass(frozen=True)
class MemberPresence:
    user_id: int
    first_name: str
    last_name: str
    check_in: CheckIn | None
    late: bool


@dataclass(frozen=True)
class TeamPresence:
    session: PresenceSession | None
    members: list[MemberPresence]

    @property
    def here(self) -> int:
        return sum(member.check_in is not None for member in self.members)


def _members(team_ids: list[int], edition_id: int) -> list[tuple[int, User]]:
    return list(db.session.execute(
        sa.select(Membership.team_id, User)
        .join(StudentProfile, StudentProfile.id == Membership.student_id)
        .join(User, User.id == StudentProfile.user_id)
        .where(Membership.team_id.in_(team_ids), Membership.edition_id == edition_id)
        .order_by(User.last_name, User.first_name, User.id)).all())


def _check_ins(session: PresenceSession | None, user_ids: list[int]) -> dict[int, CheckIn]:
    if session is None or not user_ids:
        return {}
    return {row.user_id: row for row in db.session.scalars(sa.select(CheckIn).where(
        CheckIn.session_id == session.id, CheckIn.user_id.in_(user_ids)))}


def members_at(session: PresenceSession | None, team_ids: list[int],
               edition_id: int) -> dict[int, list[MemberPresence]]:
    """Per team, its members and their check-in at `session` (if any)."""
    rows = _members(team_ids, edition_id)
    seen = _check_ins(session, [user.id for _, user in rows])
    result: dict[int, list[MemberPresence]] = {team_id: [] for team_id in team_ids}
    for team_id, user in rows:
        row = seen.get(user.id)
        late = row is not None and window.is_late(session.starts_at, row.at)
        result[team_id].append(MemberPresence(user.id, user.first_name, user.last_name, row,
                                              late))
    return result


def team_presence(team: Team, moment: datetime | None = None) -> TeamPresence:
    """Who of the team checked in for the session in progress (None when none is)."""
    edition = db.session.get(Edition, team.edition_id)
    session = session_open_at(edition, moment or utcnow())
    return TeamPresence(session, members_at(session, [team.id], team.edition_id)[team.id])


def teams_here(edition: Edition, team_ids: list[int],
               moment: datetime | None = None) -> tuple[PresenceSession | None, dict]:
    """For a list of teams: the session in progress and, per team, (here, members)."""
    session = session_open_at(edition, moment or utcnow())
    members = members_at(session, team_ids, edition.id)
    return session, {team_id: (sum(m.check_in is not None for m in rows), len(rows))
                     for team_id, rows in members.items()}


@dataclass(frozen=True)
class SessionFigure:
    session: PresenceSession
    present: int
    late: int
    justified: int
    pending: int
    state: str


@dataclass(frozen=True)
class ProgrammeFigure:
    name: str
    students: int
    present: int


@dataclass(frozen=True)
class PresenceFigures:
    students: int
    focus: PresenceSession | None
    focus_present: int
    sessions: list[SessionFigure]
    programmes: list[ProgrammeFigure]


def _late_threshold(sessions: list[PresenceSession]):
    """Per check-in, the moment after which it is late (its session's start + LATE_AFTER)."""
    if not sessions:
        return None
    return sa.case(*[(CheckIn.session_id == s.id,
                      sa.literal(s.starts_at + window.LATE_AFTER, UTCDateTime()))
                     for s in sessions], else_=None)


def _session_counts(edition: Edition,
                    sessions: list[PresenceSession]) -> tuple[dict, dict, Counter, Counter]:
    present, late = {}, {}
    threshold = _late_threshold(sessions)
    if threshold is not None:
        for session_id, total, late_count in db.session.execute(
                sa.select(CheckIn.session_id, sa.func.count(CheckIn.id),
                          sa.func.count(CheckIn.id).filter(CheckIn.at > threshold))
                .join(PresenceSession, PresenceSession.id == CheckIn.session_id)
                .where(PresenceSession.edition_id == edition.id)
                .group_by(CheckIn.session_id)):
            present[session_id], late[session_id] = total, late_count
    justified, pending = Counter(), Counter()
    for session_id, status, count in db.session.execute(
            sa.select(Absence.session_id, Absence.status, sa.func.count(Absence.id))
            .join(PresenceSession, PresenceSession.id == Absence.session_id)
            .where(PresenceSession.edition_id == edition.id)
            .group_by(Absence.session_id, Absence.status)):
        if status == "accepted":
            justified[session_id] += count
        elif status == "pending":
            pending[session_id] += count
    return present, late, justified, pending


def _focus(sessions: list[PresenceSession], moment: datetime) -> PresenceSession | None:
    """The session in progress, else the last one that started."""
    started = [s for s in sessions if s.starts_at - window.OPENS_BEFORE <= moment]
    return started[-1] if started else None


def _programmes(edition: Edition, focus: PresenceSession | None) -> list[ProgrammeFigure]:
    here = sa.func.count(CheckIn.id)
    rows = db.session.execute(
        sa.select(Programme.name, sa.func.count(sa.distinct(StudentProfile.id)), here)
        .select_from(StudentProfile)
        .outerjoin(Programme, Programme.id == StudentProfile.programme_id)
        .outerjoin(CheckIn, sa.and_(CheckIn.user_id == StudentProfile.user_id,
                                    CheckIn.session_id == (focus.id if focus else -1)))
        .where(StudentProfile.edition_id == edition.id, StudentProfile.deleted_at.is_(None))
        .group_by(Programme.name).order_by(Programme.name)).all()
    return [ProgrammeFigure(name or "", students, present) for name, students, present in rows]


def presence_figures(edition: Edition, moment: datetime | None = None) -> PresenceFigures:
    """The cockpit's presence panel, in four queries whatever the number of students (one
    while the week has no session)."""
    moment = moment or utcnow()
    sessions = edition_sessions(edition)
    if not sessions:
        return PresenceFigures(0, None, 0, [], [])
    present, late, justified, pending = _session_counts(edition, sessions)
    focus = _focus(sessions, moment)
    programmes = _programmes(edition, focus)
    figures = [SessionFigure(s, present.get(s.id, 0), late.get(s.id, 0), justified[s.id],
                             pending[s.id], window.window_state(s.starts_at, s.ends_at, moment))
               for s in sessions]
    return PresenceFigures(sum(row.students for row in programmes), focus,
                           present.get(focus.id, 0) if focus else 0, figures, programmes)


@dataclass(frozen=True)
class RecordLine:
    session: PresenceSession
    state: str
    check_in: CheckIn | None
    absence: Absence | None


def _record_state(session: PresenceSession, row: CheckIn | None, absence: Absence | None,
                  moment: datetime) -> str:
    if row is not None:
        return "late" if window.is_late(session.starts_at, row.at) else "present"
    if absence is not None and absence.status == "accepted":
        return "justified"
    if absence is not None and absence.status == "pending":
        return "pending"
    timing = window.window_state(session.starts_at, session.ends_at, moment)
    if timing == window.AFTER:
        return "absent"
    return "open" if timing == window.OPEN else "upcoming"


def student_record(user: User, edition: Edition,
                   moment: datetime | None = None) -> list[RecordLine]:
    """Each session of the week with what it is for this student."""
    moment = moment or utcnow()
    sessions = edition_sessions(edition)
    ids = [s.id for s in sessions]
    seen = {row.session_id: row for row in db.session.scalars(sa.select(CheckIn).where(
        CheckIn.user_id == user.id, CheckIn.session_id.in_(ids)))} if ids else {}
    absences = {row.session_id: row for row in db.session.scalars(sa.select(Absence).where(
        Absence.user_id == user.id, Absence.session_id.in_(ids)))} if ids else {}
    return [RecordLine(s, _record_state(s, seen.get(s.id), absences.get(s.id), moment),
                       seen.get(s.id), absences.get(s.id)) for s in sessions]


def edition_teams(edition: Edition) -> list[Team]:
    return list(db.session.scalars(sa.select(Team).where(Team.edition_id == edition.id)
                                   .order_by(Team.code)))
