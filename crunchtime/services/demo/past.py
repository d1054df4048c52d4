"""A past edition for the demo (`crunchtime demo --stage results`): closed, archived, with
teams, scores, projects and the incubation committee's decisions, so that the incubation
model has something to learn from and its held-out figures show on the review page."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime

import sqlalchemy as sa

from crunchtime.database import insert_rows
from crunchtime.demo.cohort import generate_cohort
from crunchtime.extensions import db
from crunchtime.incubation import synthetic
from crunchtime.models import (
    AuditEvent,
    Challenge,
    Criterion,
    Edition,
    IncubationFlag,
    JudgingRound,
    JuryAssignment,
    JuryProfile,
    Membership,
    Programme,
    RoundEntry,
    ScoreEvent,
    StudentProfile,
    Team,
)
from crunchtime.scoring.simulation import SyntheticJudging, simulate_scores
from crunchtime.services.demo.bulk import insert_names, insert_users
from crunchtime.services.demo.projects import demo_teams, write_projects
from crunchtime.services.judging.rankings import criterion_scales

MIN_TEAMS = 100
TEAM_SIZE = 5
JURIES_PER_TEAM = 3
ALUMNI_DOMAIN = "anciens.demo.crunchtime.fr"
DECLINE_NOTES = ("Projet prometteur mais équipe dispersée après la semaine.",
                 "Marché trop étroit à ce stade ; à revoir l'an prochain.")


def _edition(current: Edition) -> Edition:
    year = current.year - 1
    edition = Edition(name=f"Crunch Time {year} (archive)", year=year, phase="closed",
                      archived=True, is_current=False, team_size_min=5, team_size_max=6,
                      created_at=datetime(year, 1, 10, tzinfo=UTC))
    db.session.add(edition)
    db.session.flush()
    db.session.add(AuditEvent(edition_id=edition.id, action="edition.phase",
                              target_type="Edition", target_id=edition.id,
                              details={"old": "results", "new": "closed"},
                              created_at=datetime(year, 12, 15, tzinfo=UTC)))
    return edition


def _challenges(current: Edition, past: Edition, now: datetime) -> list[int]:
    rows = db.session.execute(sa.select(Challenge).where(
        Challenge.edition_id == current.id, Challenge.status == "approved")
        .order_by(Challenge.code)).scalars().all()
    return [row_id for row_id, _code in insert_rows(Challenge, [
        {"edition_id": past.id, "organisation_id": c.organisation_id, "code": c.code,
         "title": c.title, "problem": c.problem, "context": c.context,
         "deliverable": c.deliverable, "teams_wanted": c.teams_wanted, "status": "approved",
         "review_comment": "", "contact_name": c.contact_name, "contact_email": "",
         "created_by_id": None, "submitted_at": now, "reviewed_at": now, "created_at": now,
         "search_text": c.search_text} for c in rows], Challenge.id, Challenge.code)]


def _teams(past: Edition, challenges: list[int], count: int, seed: int, now: datetime) -> None:
    """Teams of five alumni (accounts without a password) spread over the challenges."""
    cohort = generate_cohort(students=count * TEAM_SIZE, challenges=3, seed=seed + 1)
    students = [replace(s, email=s.email.split("@")[0] + "@" + ALUMNI_DOMAIN)
                for s in cohort.students]
    programmes = insert_names(Programme, past.id, cohort.programmes)
    users = insert_users([{"email": s.email, "role": "student", "first_name": s.first_name,
                           "last_name": s.last_name, "password_hash": None, "active": True,
                           "session_token": f"alumni{i:026d}", "created_at": now,
                           "organisation_id": None} for i, s in enumerate(students)])
    profiles = dict((user_id, row_id) for row_id, user_id in insert_rows(StudentProfile, [
        {"user_id": users[s.email], "edition_id": past.id, "programme_id": programmes[s.programme],
         "year_of_study": s.year, "interests": s.interests, "friend_group_key": None,
         "consent_at": now, "completed_at": now, "deleted_at": None, "created_at": now}
        for s in students], StudentProfile.id, StudentProfile.user_id))
    teams = dict((code, row_id) for row_id, code in insert_rows(Team, [
        {"edition_id": past.id, "challenge_id": challenges[i % len(challenges)],
         "code": f"T{i + 1:03d}", "created_at": now, "gallery_opt_out": False,
         "continuation_plan": ""} for i in range(count)], Team.id, Team.code))
    insert_rows(Membership, [
        {"team_id": teams[f"T{i // TEAM_SIZE + 1:03d}"], "student_id": profiles[users[s.email]],
         "edition_id": past.id, "created_at": now} for i, s in enumerate(students)])


def _judging(current: Edition, past: Edition, qualities: dict[int, float], seed: int,
             now: datetime) -> None:
    """Round 1 with the current rubric, the current juries, every pair scored."""
    rng = random.Random(seed)
    source = db.session.scalar(sa.select(JudgingRound).where(
        JudgingRound.edition_id == current.id).order_by(JudgingRound.number).limit(1))
    judging_round = JudgingRound(edition_id=past.id, number=1, title="", status="closed",
                                 juries_per_team=JURIES_PER_TEAM, results_published_at=now)
    db.session.add(judging_round)
    db.session.flush()
    db.session.add_all(Criterion(edition_id=past.id, round_id=judging_round.id, key=c.key,
                                 position=c.position, label_fr=c.label_fr, label_en=c.label_en,
                                 levels={}, weight=c.weight, scale_min=c.scale_min,
                                 scale_max=c.scale_max) for c in source.criteria)
    users = db.session.scalars(sa.select(JuryProfile.user_id).where(
        JuryProfile.edition_id == current.id).order_by(JuryProfile.user_id)).all()
    juries = [row_id for row_id, _user in insert_rows(JuryProfile, [
        {"user_id": user, "edition_id": past.id, "expertise": "", "created_at": now}
        for user in users], JuryProfile.id, JuryProfile.user_id)]
    db.session.flush()
    pairs = sorted((jury, team) for team in qualities
                   for jury in rng.sample(juries, min(JURIES_PER_TEAM, len(juries))))
    insert_rows(RoundEntry, [{"round_id": judging_round.id, "team_id": team,
                              "created_at": now} for team in sorted(qualities)])
    insert_rows(JuryAssignment, [{"round_id": judging_round.id, "jury_id": jury,
                                  "team_id": team, "status": "scored", "created_at": now}
                                 for jury, team in pairs])
    truth = SyntheticJudging((), (), (), criterion_scales(judging_round), qualities,
                             {j: rng.gauss(0, 0.7) for j in juries},
                             {j: rng.uniform(0.3, 0.9) for j in juries})
    insert_rows(ScoreEvent, [
        {"client_event_id": f"demo-past-{judging_round.id}-{jury}-{team}-{criterion}",
         "round_id": judging_round.id, "jury_id": jury, "team_id": team,
         "criterion_id": criterion, "kind": "score", "value": value, "comment": "",
         "reason": "", "actor_id": None, "created_at": now}
        for (jury, team, criterion), value in sorted(simulate_scores(truth, pairs,
                                                                     seed=seed).items())])


def add_past_edition(current: Edition, teams: int, seed: int) -> Edition | None:
    """The year before `current`, decided; None if the demo database already has it."""
    rng = random.Random(f"{seed}:past")
    past_name = f"Crunch Time {current.year - 1} (archive)"
    if db.session.scalar(sa.select(Edition.id).where(Edition.name == past_name)):
        return None
    now = datetime(current.year - 1, 6, 1, tzinfo=UTC)
    past = _edition(current)
    count = max(MIN_TEAMS, teams)
    _teams(past, _challenges(current, past, now), count, seed, now)
    listed = demo_teams(past.id)
    planted = [synthetic.plant(rng) for _ in listed]
    _judging(current, past, {t.id: p.quality for t, p in zip(listed, planted, strict=True)},
             seed, now)
    listed = demo_teams(past.id)
    projects = write_projects(listed, planted, rng, now)
    wants = [project.wants_to_continue for project in projects]
    incubated = synthetic.decide(planted, wants, rng)
    runner_up = synthetic.decide(planted, wants, rng, share=2 * synthetic.INCUBATED_SHARE)
    insert_rows(IncubationFlag, [
        {"team_id": team.id, "status": "incubated" if chosen else "declined",
         "score": 0.0, "model_probability": None, "reasons": [],
         "note": "" if chosen else rng.choice(DECLINE_NOTES), "decided_by_id": None,
         "decided_at": now, "created_at": now}
        for team, chosen, close in zip(listed, incubated, runner_up, strict=True)
        if chosen or close])
    return past
