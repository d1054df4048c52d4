"""Write the demo's projects (crunchtime/demo/projects.py) into an edition whose teams
exist: submissions, the team's wish to continue, juries' nominations, partners' interest.
Bulk inserts, like the rest of the demo: a few hundred milliseconds for 300 teams."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import sqlalchemy as sa
from scipy.stats import norm, rankdata

from crunchtime.database import insert_rows
from crunchtime.demo.projects import TEXT_FIELDS, DemoProject, demo_project
from crunchtime.extensions import db
from crunchtime.incubation.synthetic import PlantedTeam, plant
from crunchtime.models import (
    Challenge,
    IncubationNomination,
    Interest,
    JudgingRound,
    JuryAssignment,
    Membership,
    StudentProfile,
    Submission,
    SubmissionVersion,
    Team,
    User,
)
from crunchtime.services.teams.continuation import join_plan

INTEREST_NOTES = ("À suivre de près : équipe motivée.", "Piste intéressante pour notre site.",
                  "Proposer un rendez-vous après la semaine.")


@dataclass(frozen=True)
class DemoTeam:
    id: int
    challenge_title: str
    organisation_id: int
    juries: list[int]
    members: list[str]


def demo_teams(edition_id: int) -> list[DemoTeam]:
    """The edition's teams with their challenge, juries (any round) and first names."""
    juries: dict[int, list[int]] = {}
    for team_id, jury_id in db.session.execute(
            sa.select(JuryAssignment.team_id, JuryAssignment.jury_id).distinct()
            .join(JudgingRound).where(JudgingRound.edition_id == edition_id)
            .order_by(JuryAssignment.team_id, JuryAssignment.jury_id)):
        juries.setdefault(team_id, []).append(jury_id)
    members: dict[int, list[str]] = {}
    for team_id, first_name in db.session.execute(
            sa.select(Membership.team_id, User.first_name)
            .join(StudentProfile, StudentProfile.id == Membership.student_id)
            .join(User, User.id == StudentProfile.user_id)
            .where(Membership.edition_id == edition_id).order_by(User.id)):
        members.setdefault(team_id, []).append(first_name)
    rows = db.session.execute(
        sa.select(Team.id, Challenge.title, Challenge.organisation_id)
        .join(Challenge, Challenge.id == Team.challenge_id)
        .where(Team.edition_id == edition_id).order_by(Team.id)).all()
    return [DemoTeam(row.id, row.title, row.organisation_id, juries.get(row.id, []),
                     members.get(row.id, [])) for row in rows]


def planted_from_scores(rng: random.Random, teams: list[DemoTeam],
                        scores: dict[int, float]) -> list[PlantedTeam]:
    """Each team's planted quality read back from its jury score (its rank, as a normal
    quantile), so that projects, nominations and decisions agree with the scores."""
    known = [team.id for team in teams if team.id in scores]
    ranks = rankdata([scores[team] for team in known]) if known else []
    quality = {team: float(norm.ppf((rank - 0.5) / len(known)))
               for team, rank in zip(known, ranks, strict=True)}
    return [plant(rng, quality.get(team.id, float(np.clip(rng.gauss(0, 1), -2, 2))))
            for team in teams]


def _nomination_rows(team: DemoTeam, project: DemoProject, rng: random.Random,
                     now: datetime) -> list[dict]:
    def near(value: int) -> int:
        return max(1, min(5, value + rng.choice((-1, 0, 0, 1))))

    return [{"jury_id": jury, "team_id": team.id, "commitment": near(rating),
             "problem_validated": near(rating), "feasibility": near(rating),
             "impact": near(rating), "comment": "", "withdrawn": False, "created_at": now}
            for jury, rating in project.nominations]


def write_projects(teams: list[DemoTeam], planted: list[PlantedTeam], rng: random.Random,
                   now: datetime) -> list[DemoProject]:
    """Insert every team's project; the caller commits."""
    projects = [demo_project(rng, team.challenge_title, seed, team.juries, team.members)
                for team, seed in zip(teams, planted, strict=True)]
    submissions = dict((team_id, row_id) for row_id, team_id in insert_rows(
        Submission, [{"team_id": team.id, "version": 1, "updated_at": now, "created_at": now,
                      "submitted_at": now if project.handed_in else None}
                     for team, project in zip(teams, projects, strict=True)],
        Submission.id, Submission.team_id))
    insert_rows(SubmissionVersion, [
        {"submission_id": submissions[team.id], "number": 1, "author_id": None,
         **project.texts, "links": project.links, "file_ids": [], "restored_from": None,
         "changed_fields": [name for name in TEXT_FIELDS if project.texts[name]],
         "created_at": now} for team, project in zip(teams, projects, strict=True)])
    insert_rows(IncubationNomination, [
        row for team, project in zip(teams, projects, strict=True)
        for row in _nomination_rows(team, project, rng, now)])
    insert_rows(Interest, [
        {"organisation_id": team.organisation_id, "team_id": team.id, "user_id": None,
         "note": rng.choice(INTEREST_NOTES), "created_at": now}
        for team, project in zip(teams, projects, strict=True) if project.interest])
    db.session.execute(
        sa.update(Team.__table__).where(Team.__table__.c.id == sa.bindparam("team_id"))
        .values(wants_to_continue=sa.bindparam("wants"), continuation_plan=sa.bindparam("plan")),
        [{"team_id": team.id, "wants": project.wants_to_continue,
          "plan": join_plan(project.who, project.plan)}
         for team, project in zip(teams, projects, strict=True)])
    # The demo's members all agreed to the public gallery (each member's consent is needed).
    db.session.execute(sa.update(Membership.__table__)
                       .where(Membership.__table__.c.team_id.in_([team.id for team in teams]))
                       .values(gallery_consent_at=now))
    return projects
