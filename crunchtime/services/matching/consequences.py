"""What publishing a run would do, in the numbers an organiser confirms: who is placed, who
is left without a team and why, which challenges get no team, who changes team."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import sqlalchemy as sa

from crunchtime.extensions import db
from crunchtime.models import (
    Challenge,
    MatchingRun,
    Membership,
    Placement,
    StudentProfile,
    Team,
)


@dataclass(frozen=True)
class Consequences:
    """`without_consent`/`without_team`: active students the run does not place, without and
    with consent; `placed_without_consent`: placed students who have not (or no longer)
    consented: such a run cannot be published."""

    placed: int
    teams: int
    without_consent: int
    without_team: int
    placed_without_consent: int
    challenges_without_team: list[str] = field(default_factory=list)
    replaces: MatchingRun | None = None
    changing_team: int = 0

    @property
    def unplaced(self) -> int:
        return self.without_consent + self.without_team

    @property
    def needs_confirmation(self) -> bool:
        """Publishing leaves students without a team or replaces published teams."""
        return bool(self.unplaced or self.replaces is not None)


def consequences_of(run: MatchingRun, previous: MatchingRun | None) -> Consequences:
    db.session.flush()
    placed = _placed_consent(run)
    consented = dict(db.session.execute(
        sa.select(StudentProfile.id, StudentProfile.consent_at.is_not(None))
        .where(StudentProfile.edition_id == run.edition_id,
               StudentProfile.deleted_at.is_(None))).all())
    unplaced = [ok for student, ok in consented.items() if student not in placed]
    new_teams = _run_teams(run)
    return Consequences(
        placed=len(placed), teams=len({slot for slot, _ in new_teams.values()}),
        without_consent=sum(1 for ok in unplaced if not ok),
        without_team=sum(1 for ok in unplaced if ok),
        placed_without_consent=sum(1 for ok in placed.values() if not ok),
        challenges_without_team=_challenges_without_team(run),
        replaces=previous,
        changing_team=_changing_team(new_teams, _published_teams(previous)) if previous else 0,
    )


def _placed_consent(run: MatchingRun) -> dict[int, bool]:
    return dict(db.session.execute(
        sa.select(Placement.student_id, StudentProfile.consent_at.is_not(None))
        .join(StudentProfile, Placement.student_id == StudentProfile.id)
        .where(Placement.run_id == run.id)).all())


def _challenges_without_team(run: MatchingRun) -> list[str]:
    hosting = sa.select(Placement.challenge_id).where(Placement.run_id == run.id)
    return list(db.session.scalars(
        sa.select(Challenge.code).where(Challenge.edition_id == run.edition_id,
                                        Challenge.status == "approved",
                                        Challenge.id.not_in(hosting))
        .order_by(Challenge.code)))


def _with_teammates(rows) -> dict[int, tuple]:
    """Per student: (their team slot, (challenge, the team's members))."""
    members: dict[tuple, set[int]] = defaultdict(set)
    slot_of: dict[int, tuple] = {}
    for student, challenge, slot in rows:
        members[(challenge, slot)].add(student)
        slot_of[student] = (challenge, slot)
    return {student: (slot, (slot[0], frozenset(members[slot])))
            for student, slot in slot_of.items()}


def _run_teams(run: MatchingRun) -> dict[int, tuple]:
    return _with_teammates(db.session.execute(
        sa.select(Placement.student_id, Placement.challenge_id, Placement.team_index)
        .where(Placement.run_id == run.id)).all())


def _published_teams(previous: MatchingRun) -> dict[int, tuple]:
    return _with_teammates(db.session.execute(
        sa.select(Membership.student_id, Team.challenge_id, Team.id)
        .join(Team, Membership.team_id == Team.id)
        .where(Team.matching_run_id == previous.id)).all())


def _changing_team(new: dict[int, tuple], old: dict[int, tuple]) -> int:
    """Students whose challenge or teammates differ (joining or leaving counts as a change)."""
    return sum(1 for student in new.keys() | old.keys()
               if (new.get(student) or (None, None))[1] != (old.get(student) or (None, None))[1])
