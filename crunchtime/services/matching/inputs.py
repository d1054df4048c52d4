"""What the matching model reads, loaded from the database in a few queries."""

from __future__ import annotations

from collections import defaultdict

import sqlalchemy as sa

from crunchtime.extensions import db
from crunchtime.matching import ChallengeInput, MatchingParameters, StudentInput
from crunchtime.models import Challenge, Edition, Preference, Programme, Skill, StudentProfile
from crunchtime.models.organisation import challenge_skill
from crunchtime.models.student import student_skill
from crunchtime.services.matching.settings import TeamSettings, edition_team_settings


def _skills_by(table, key_column, ids_query) -> dict[int, tuple[str, ...]]:
    rows = db.session.execute(
        sa.select(key_column, Skill.name).join(Skill, Skill.id == table.c.skill_id)
        .where(key_column.in_(ids_query)).order_by(Skill.name)
    )
    skills: dict[int, list[str]] = defaultdict(list)
    for owner, name in rows:
        skills[owner].append(name)
    return {owner: tuple(names) for owner, names in skills.items()}


def student_inputs(edition: Edition) -> list[StudentInput]:
    """Every active student of the edition, with programme, skills, text, ranked codes and
    whether they consented (the model never places those who did not)."""
    profiles = db.session.execute(
        sa.select(StudentProfile.id, Programme.name, StudentProfile.year_of_study,
                  StudentProfile.interests, StudentProfile.friend_group_key,
                  StudentProfile.consent_at)
        .outerjoin(Programme, StudentProfile.programme_id == Programme.id)
        .where(StudentProfile.edition_id == edition.id, StudentProfile.deleted_at.is_(None))
        .order_by(StudentProfile.id)
    ).all()
    ids = sa.select(StudentProfile.id).where(StudentProfile.edition_id == edition.id)
    skills = _skills_by(student_skill, student_skill.c.profile_id, ids)
    choices: dict[int, list[str]] = defaultdict(list)
    for student_id, code in db.session.execute(
        sa.select(Preference.student_id, Challenge.code)
        .join(Challenge, Preference.challenge_id == Challenge.id)
        .where(Preference.student_id.in_(ids), Challenge.status == "approved")
        .order_by(Preference.student_id, Preference.rank)
    ):
        choices[student_id].append(code)
    return [
        StudentInput(id=row.id, programme=row.name or "", year=row.year_of_study or 0,
                     skills=skills.get(row.id, ()), interests=row.interests or "",
                     choices=tuple(choices.get(row.id, ())), group=row.friend_group_key,
                     consented=row.consent_at is not None)
        for row in profiles
    ]


def challenge_inputs(edition: Edition) -> list[ChallengeInput]:
    """Every approved challenge: its text (title, problem, context), skills and teams wanted."""
    rows = db.session.execute(
        sa.select(Challenge.id, Challenge.code, Challenge.title, Challenge.problem,
                  Challenge.context, Challenge.teams_wanted)
        .where(Challenge.edition_id == edition.id, Challenge.status == "approved")
        .order_by(Challenge.code)
    ).all()
    ids = sa.select(Challenge.id).where(Challenge.edition_id == edition.id)
    skills = _skills_by(challenge_skill, challenge_skill.c.challenge_id, ids)
    return [
        ChallengeInput(code=row.code, text=f"{row.title}\n{row.problem}\n{row.context}",
                       skills=skills.get(row.id, ()), teams_wanted=row.teams_wanted)
        for row in rows
    ]


def parameters_for(edition: Edition, pins: dict[int, str] | None = None,
                   settings: TeamSettings | None = None, **overrides) -> MatchingParameters:
    """The model's parameters: the team settings given (else the edition's), the pins, and
    the package defaults for the utility weights (see MatchingParameters)."""
    settings = settings or edition_team_settings(edition)
    return MatchingParameters(**settings.as_parameters(), pins=dict(pins or {}), **overrides)
