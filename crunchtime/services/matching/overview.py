"""What the organisers see of a run: teams by challenge, members, and two runs compared."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import gettext as _

from crunchtime.errors import InvalidInput
from crunchtime.extensions import db
from crunchtime.models import (
    Challenge,
    MatchingRun,
    Organisation,
    Placement,
    Programme,
    StudentProfile,
    User,
)
from crunchtime.services.matching.undo import undo_stack
from crunchtime.services.matching.words import organiser_explanation


@dataclass
class PlacedStudent:
    student_id: int
    name: str
    email: str
    programme: str
    year: int | None
    explanation: str
    pinned: bool


@dataclass
class ProposedTeam:
    index: int
    members: list[PlacedStudent] = field(default_factory=list)


@dataclass
class ChallengeTeams:
    code: str
    title: str
    organisation: str
    teams_wanted: int
    teams: dict[int, ProposedTeam] = field(default_factory=dict)

    @property
    def students(self) -> int:
        return sum(len(team.members) for team in self.teams.values())


def run_overview(run: MatchingRun) -> list[ChallengeTeams]:
    """Every proposed team of the run, grouped by challenge, in one query."""
    rows = db.session.execute(
        sa.select(Placement, Challenge.code, Challenge.title, Challenge.teams_wanted,
                  Organisation.name.label("organisation"), User.first_name, User.last_name,
                  User.email, Programme.name.label("programme"), StudentProfile.year_of_study)
        .join(Challenge, Placement.challenge_id == Challenge.id)
        .join(Organisation, Challenge.organisation_id == Organisation.id)
        .join(StudentProfile, Placement.student_id == StudentProfile.id)
        .join(User, StudentProfile.user_id == User.id)
        .outerjoin(Programme, StudentProfile.programme_id == Programme.id)
        .where(Placement.run_id == run.id)
        .order_by(Challenge.code, Placement.team_index, User.last_name, User.first_name)
    ).all()
    challenges: dict[str, ChallengeTeams] = {}
    for row in rows:
        placement = row[0]
        entry = challenges.setdefault(row.code, ChallengeTeams(
            row.code, row.title, row.organisation, row.teams_wanted))
        team = entry.teams.setdefault(placement.team_index, ProposedTeam(placement.team_index))
        team.members.append(PlacedStudent(
            placement.student_id, f"{row.first_name} {row.last_name}", row.email,
            row.programme or "", row.year_of_study,
            organiser_explanation(json.loads(placement.explanation or "{}")), placement.pinned))
    return list(challenges.values())


def student_id_by_email(run: MatchingRun, email: str) -> int:
    student_id = db.session.scalar(
        sa.select(StudentProfile.id).join(User, StudentProfile.user_id == User.id)
        .where(User.email == email.strip().lower(),
               StudentProfile.edition_id == run.edition_id))
    if student_id is None:
        raise InvalidInput(_("No student has the e-mail address %(email)s in this edition.",
                             email=email.strip()), field="student")
    return student_id


COMPARED_METRICS = ("objective_ratio_to_lp_bound", "first_choice_share", "top3_share",
                    "any_choice_share", "outside_choices_share", "mean_fit",
                    "team_diversity_mean", "skills_coverage_mean", "capacity_violations",
                    "size_violations", "group_violations", "pin_violations")
# What a move or a swap changes, kept before the change so the run page shows both.
CHANGE_METRICS = COMPARED_METRICS


def compare_runs(first: MatchingRun, second: MatchingRun) -> dict:
    """The headline metrics of two runs side by side, and how many students they place
    differently."""
    def placed(run):
        return dict(db.session.execute(sa.select(Placement.student_id, Placement.challenge_id)
                                       .where(Placement.run_id == run.id)).all())

    a, b = placed(first), placed(second)
    moved = sum(1 for student, challenge in a.items() if b.get(student) != challenge)
    metrics = [(name, first.metrics.get(name), second.metrics.get(name))
               for name in COMPARED_METRICS]
    return {"metrics": metrics, "students_on_another_challenge": moved}


def per_programme(run: MatchingRun) -> list[tuple[str, dict]]:
    table = run.metrics.get("by_programme") or {}
    return sorted(table.items())


def team_counts(overview: list[ChallengeTeams]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for entry in overview:
        counts["teams"] += len(entry.teams)
        counts["students"] += entry.students
    return dict(counts)


def last_change(run: MatchingRun) -> list[tuple[str, object, object]]:
    """The figures before and after the organiser's last move or swap (empty: none yet)."""
    before = run.metrics.get("before_change")
    if not before:
        return []
    return [(name, before.get(name), run.metrics.get(name)) for name in CHANGE_METRICS]


def split_friend_groups(run: MatchingRun) -> list[str]:
    """The friend groups whose members the run puts in different teams."""
    slots: dict[str, set[tuple[int, int]]] = defaultdict(set)
    for key, challenge, index in db.session.execute(
        sa.select(StudentProfile.friend_group_key, Placement.challenge_id, Placement.team_index)
        .join(Placement, Placement.student_id == StudentProfile.id)
        .where(Placement.run_id == run.id, StudentProfile.friend_group_key.is_not(None))
    ):
        slots[key].add((challenge, index))
    return sorted(key for key, placed in slots.items() if len(placed) > 1)


def undoable_change(run: MatchingRun) -> dict | None:
    """The last move or swap that can be undone: who, from which team to which (None: no
    change to undo), and how many changes can be undone in all."""
    stack = undo_stack(run)
    if not stack or run.status != "preview":
        return None
    saved = stack[-1]["placements"]
    ids = [row["student"] for row in saved]
    names = {row.id: f"{row.first_name} {row.last_name}" for row in db.session.execute(
        sa.select(StudentProfile.id, User.first_name, User.last_name)
        .join(User, StudentProfile.user_id == User.id).where(StudentProfile.id.in_(ids)))}
    now = {row.student_id: (row.code, row.team_index) for row in db.session.execute(
        sa.select(Placement.student_id, Challenge.code, Placement.team_index)
        .join(Challenge, Placement.challenge_id == Challenge.id)
        .where(Placement.run_id == run.id, Placement.student_id.in_(ids)))}
    codes = dict(db.session.execute(sa.select(Challenge.id, Challenge.code).where(
        Challenge.id.in_([row["challenge"] for row in saved]))).all())
    moves = [{"name": names.get(row["student"], "?"),
              "before": (codes.get(row["challenge"], "?"), row["team_index"] + 1),
              "after": (now[row["student"]][0], now[row["student"]][1] + 1)
              if row["student"] in now else None}
             for row in saved]
    return {"action": stack[-1]["action"], "moves": moves, "count": len(stack)}
