"""Conflicts of interest a jury member declares (a team, an organisation, a student); the
assignment never crosses them, pairs already made that cross one are undone (or, once scored,
left to the organisers to retract), and no new score crosses one."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _

from crunchtime.errors import Conflict, InvalidInput, NotFound
from crunchtime.extensions import db
from crunchtime.models import (
    Challenge,
    ConflictOfInterest,
    Edition,
    JuryProfile,
    Membership,
    Organisation,
    StudentProfile,
    Team,
    User,
)
from crunchtime.models.judging import CONFLICT_KINDS
from crunchtime.services.accounts.jury_profiles import jury_profile
from crunchtime.services.audit import record_audit
from crunchtime.services.judging.assignment import assignment_inputs, drop_blocked_pairs
from crunchtime.services.judging.ledger.turns import lock_jury
from crunchtime.services.judging.rounds import edition_rounds
from crunchtime.services.judging.words import CONFLICT_KIND_LABELS, label_of
from crunchtime.text import fold

NOTE_MAX = 500


@dataclass(frozen=True)
class ConflictLine:
    id: int
    jury_id: int
    kind: str
    kind_label: str
    target: str
    note: str


@dataclass(frozen=True)
class Declared:
    """A new conflict, and what it did to pairs already made."""

    conflict: ConflictOfInterest
    unassigned: int
    scored_pairs: int


def team_choices(edition: Edition) -> list[tuple[int, str]]:
    rows = db.session.execute(
        sa.select(Team.id, Team.code, Team.name, Challenge.title)
        .join(Challenge, Challenge.id == Team.challenge_id)
        .where(Team.edition_id == edition.id).order_by(Team.code))
    return [(id, f"{code}{' · ' + name if name else ''} — {title}")
            for id, code, name, title in rows]


def organisation_choices(edition: Edition) -> list[tuple[int, str]]:
    rows = db.session.execute(
        sa.select(Organisation.id, Organisation.name).join(Challenge)
        .where(Challenge.edition_id == edition.id).distinct().order_by(Organisation.name))
    return [(id, name) for id, name in rows]


def find_student(edition: Edition, query: str) -> StudentProfile:
    """The one student of the edition whose e-mail or full name is `query`."""
    wanted = fold(" ".join((query or "").split()))
    if not wanted:
        raise InvalidInput(_("Enter the student's name or e-mail address."), field="student")
    rows = db.session.execute(
        sa.select(StudentProfile.id, User.email, User.first_name, User.last_name)
        .join(User, User.id == StudentProfile.user_id)
        .where(StudentProfile.edition_id == edition.id))
    matches = [profile_id for profile_id, email, first, last in rows
               if wanted in (email, fold(f"{first} {last}"), fold(f"{last} {first}"))]
    if not matches:
        raise InvalidInput(_("No student of this edition matches “%(query)s”.", query=query),
                           field="student")
    if len(matches) > 1:
        raise InvalidInput(_("Several students match: enter the e-mail address instead."),
                           field="student")
    return db.session.get(StudentProfile, matches[0])


def _target(edition: Edition, kind: str, team_id, organisation_id, student) -> dict:
    if kind == "team":
        team = db.session.get(Team, team_id) if team_id else None
        if team is None or team.edition_id != edition.id:
            raise InvalidInput(_("Choose a team of this edition."), field="team")
        return {"team_id": team.id}
    if kind == "organisation":
        if not organisation_id or db.session.get(Organisation, organisation_id) is None:
            raise InvalidInput(_("Choose an organisation."), field="organisation")
        return {"organisation_id": organisation_id}
    return {"student_id": find_student(edition, student).id}


def has_declared_conflict(jury_id: int, team_id: int) -> bool:
    """Whether the jury declared a conflict with the team, its organisation or a member."""
    return (jury_id, team_id) in declared_conflicts({(jury_id, team_id)})


def declared_conflicts(pairs: set[tuple[int, int]]) -> set[tuple[int, int]]:
    """The (jury, team) pairs among `pairs` where the jury declared a conflict with the team,
    its organisation or a member: one query when these juries declared none, three else."""
    juries = {jury for jury, _team in pairs}
    declared = db.session.execute(sa.select(
        ConflictOfInterest.jury_id, ConflictOfInterest.team_id,
        ConflictOfInterest.organisation_id, ConflictOfInterest.student_id,
    ).where(ConflictOfInterest.jury_id.in_(juries))).all() if juries else []
    if not declared:
        return set()
    teams = {team for _jury, team in pairs}
    organisation_of = dict(db.session.execute(
        sa.select(Team.id, Challenge.organisation_id)
        .join(Challenge, Challenge.id == Team.challenge_id).where(Team.id.in_(teams))).all())
    members: dict[int, set[int]] = defaultdict(set)
    for team, student in db.session.execute(sa.select(Membership.team_id, Membership.student_id)
                                            .where(Membership.team_id.in_(teams))):
        members[team].add(student)
    return {(jury, team) for jury, team in pairs for declared_jury, *crossed in declared
            if declared_jury == jury and _crosses(crossed, team, organisation_of, members)}


def _crosses(conflict, team: int, organisation_of: dict, members: dict) -> bool:
    team_id, organisation_id, student_id = conflict
    return (team_id == team
            or (organisation_id is not None and organisation_id == organisation_of.get(team))
            or (student_id is not None and student_id in members[team]))


def declare_conflict(user, kind: str, *, team_id: int | None = None,
                     organisation_id: int | None = None, student: str = "",
                     note: str = "") -> Declared:
    """Record the jury's conflict and undo its unscored pairs that now cross it; the scored
    ones stay for the organisers to retract, and take no new score (see ledger/writes.py)."""
    profile = jury_profile(user)
    lock_jury(profile.id)  # a score being written now commits first, or sees the conflict
    edition = db.session.get(Edition, profile.edition_id)
    if kind not in CONFLICT_KINDS:
        raise InvalidInput(_("Choose what the conflict is with."), field="kind")
    target = _target(edition, kind, team_id, organisation_id, student)
    duplicate = db.session.scalar(sa.select(ConflictOfInterest.id).filter_by(
        jury_id=profile.id, kind=kind, **target))
    if duplicate is not None:
        raise Conflict(_("You have already declared this conflict."))
    conflict = ConflictOfInterest(jury_id=profile.id, kind=kind, note=(note or "")[:NOTE_MAX],
                                  **target)
    db.session.add(conflict)
    db.session.flush()
    record_audit(user, "judging.conflict_declare", conflict, edition_id=edition.id,
                 kind=kind, **target)
    unassigned = scored = 0
    for judging_round in edition_rounds(edition):
        if judging_round.status == "closed":
            continue
        blocked = [pair for pair in assignment_inputs(judging_round).blocked
                   if pair[0] == profile.id]
        removed, kept = drop_blocked_pairs(user, judging_round, blocked)
        unassigned, scored = unassigned + removed, scored + len(kept)
    db.session.commit()
    return Declared(conflict, unassigned, scored)


def withdraw_conflict(user, conflict_id: int) -> None:
    profile = jury_profile(user)
    conflict = db.session.get(ConflictOfInterest, conflict_id)
    if conflict is None or conflict.jury_id != profile.id:
        raise NotFound(_("This conflict of interest does not exist."))
    record_audit(user, "judging.conflict_withdraw", conflict, edition_id=profile.edition_id,
                 kind=conflict.kind)
    db.session.delete(conflict)
    db.session.commit()


def conflict_lines(edition: Edition, jury_id: int | None = None) -> list[ConflictLine]:
    """Declared conflicts in words (one jury's, or the whole edition's)."""
    query = (sa.select(ConflictOfInterest, Team.code, Organisation.name, User.first_name,
                       User.last_name)
             .join(JuryProfile, JuryProfile.id == ConflictOfInterest.jury_id)
             .outerjoin(Team, Team.id == ConflictOfInterest.team_id)
             .outerjoin(Organisation, Organisation.id == ConflictOfInterest.organisation_id)
             .outerjoin(StudentProfile, StudentProfile.id == ConflictOfInterest.student_id)
             .outerjoin(User, User.id == StudentProfile.user_id)
             .where(JuryProfile.edition_id == edition.id)
             .order_by(ConflictOfInterest.id))
    if jury_id is not None:
        query = query.where(ConflictOfInterest.jury_id == jury_id)
    lines = []
    for conflict, team_code, organisation, first, last in db.session.execute(query):
        target = {"team": team_code, "organisation": organisation,
                  "student": f"{first or ''} {last or ''}".strip()}[conflict.kind]
        lines.append(ConflictLine(conflict.id, conflict.jury_id, conflict.kind,
                                  label_of(CONFLICT_KIND_LABELS, conflict.kind), target or "—",
                                  conflict.note))
    return lines
