"""An edition judged and in the results phase, whose teams carry every incubation signal:
round 1 scores from three juries, nominations, a partner's interest, submissions, wishes to
continue; helpers to build a decided past edition and to act as a user."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import pytest
import sqlalchemy as sa

from crunchtime.extensions import db as _db
from crunchtime.models import (
    Criterion,
    Edition,
    IncubationFlag,
    IncubationNomination,
    Interest,
    JudgingRound,
    JuryAssignment,
    JuryProfile,
    RoundEntry,
    ScoreEvent,
    Submission,
    SubmissionVersion,
)
from crunchtime.models.base import utcnow
from tests import factories
from tests.helpers import csrf_token

_events = itertools.count(1)
TEXTS = (
    "Capteurs connectés pour la maintenance prédictive des piles à combustible",
    "Covoiturage entre salariés des zones industrielles du Techn'hom",
    "Application de suivi énergétique d'un bâtiment tertiaire avec tableau de bord",
    "Kit pédagogique sur l'hydrogène vert pour les collèges du territoire",
)


def post(client, path: str, data: dict | None = None, **kwargs):
    return client.post(path, data={**(data or {}), "csrf_token": csrf_token(client, "/privacy")},
                       **kwargs)


def profile_id(user) -> int:
    return _db.session.scalar(sa.select(JuryProfile.id).where(JuryProfile.user_id == user.id))


def judged_round(edition, juries, teams, quality: dict[int, float],
                 number: int = 1) -> JudgingRound:
    """Round `number` (closed) where every jury scored every team: quality + a jury's
    severity."""
    judging_round = JudgingRound(edition_id=edition.id, number=number, name=f"Tour {number}",
                                 status="closed", juries_per_team=len(juries))
    _db.session.add(judging_round)
    _db.session.flush()
    criteria = [Criterion(edition_id=edition.id, round_id=judging_round.id, key=key,
                          position=i, label_fr=key.capitalize(), weight=1.0, scale_min=0,
                          scale_max=10) for i, key in enumerate(("innovation", "impact"))]
    _db.session.add_all(criteria)
    _db.session.flush()
    for team in teams:
        _db.session.add(RoundEntry(round_id=judging_round.id, team_id=team.id))
        for severity, jury in zip((-1, 0, 1), juries, strict=False):
            jury_id = profile_id(jury)
            _db.session.add(JuryAssignment(round_id=judging_round.id, jury_id=jury_id,
                                           team_id=team.id, status="scored"))
            for criterion in criteria:
                value = max(0, min(10, round(quality[team.id] + severity)))
                _db.session.add(ScoreEvent(
                    client_event_id=f"t-{next(_events)}", round_id=judging_round.id,
                    jury_id=jury_id, team_id=team.id, criterion_id=criterion.id,
                    kind="score", value=value, comment=f"Avis {value}"))
    _db.session.commit()
    return judging_round


def submit(team, text: str, handed_in: bool = True, **fields) -> SubmissionVersion:
    submission = Submission(team_id=team.id, version=1,
                            submitted_at=utcnow() if handed_in else None)
    _db.session.add(submission)
    _db.session.flush()
    values = {"title": text[:60], "pitch": text, "problem": text, "solution": text,
              "prototype": "Maquette", "user_tests": "", **fields}
    version = SubmissionVersion(submission_id=submission.id, number=1, links={},
                                file_ids=[], changed_fields=list(values), **values)
    _db.session.add(version)
    _db.session.commit()
    return version


def nominate(jury, team, rating: int = 4) -> None:
    _db.session.add(IncubationNomination(jury_id=profile_id(jury), team_id=team.id,
                                         commitment=rating, problem_validated=rating,
                                         feasibility=rating, impact=rating))
    _db.session.commit()


@dataclass
class World:
    edition: Edition
    organisations: list
    challenges: list
    teams: list
    juries: list
    students: list
    organizer: object
    company: object
    round: JudgingRound | None = None
    extra: dict = field(default_factory=dict)


def build_world(phase: str = "results", teams: int = 12, past: bool = False,
                suffix: str = "") -> World:
    """`teams` teams on two challenges (Alstom, Optymo), each with one student; team i has
    quality i % 10 (team 9 the best); team 0 is nominated by 3 of 3 juries, Alstom marked
    interest in it, it wants to continue."""
    edition = factories.edition(phase="closed" if past else phase, current=not past,
                                year=2025 if past else 2026)
    suffix = suffix or (" (2025)" if past else "")
    alstom = factories.organisation(f"Alstom{suffix}")
    optymo = factories.organisation(f"Optymo{suffix}")
    challenges = [factories.challenge(edition, alstom, code="C001", title="Hydrogène"),
                  factories.challenge(edition, optymo, code="C002", title="Bus")]
    students = [factories.student(edition) for _ in range(teams)]
    team_rows = [factories.team(edition, challenges[i % 2], members=[students[i]],
                                code=f"T{i + 1:03d}") for i in range(teams)]
    juries = [factories.jury(edition) for _ in range(3)]
    quality = {team.id: 3 + i % 7 for i, team in enumerate(team_rows)}
    quality[team_rows[0].id] = 9
    judging_round = judged_round(edition, juries, team_rows, quality)
    for i, team in enumerate(team_rows):
        submit(team, f"{TEXTS[i % len(TEXTS)]} numéro {i}", handed_in=i % 3 != 2)
    for jury in juries:
        nominate(jury, team_rows[0], 5)
    _db.session.add(Interest(organisation_id=alstom.id, team_id=team_rows[0].id,
                             note="Rendez-vous pris"))
    team_rows[0].wants_to_continue = True
    team_rows[0].continuation_plan = "Léa, Hugo\n\nTrouver un client pilote."
    _db.session.commit()
    company = factories.company_user(alstom)
    return World(edition, [alstom, optymo], challenges, team_rows, juries, students,
                 factories.organizer(), company, judging_round)


def decide_past(world: World, incubated: int = 7) -> None:
    """The past edition's committee incubated its `incubated` teams with the most signals."""
    for team in world.teams[1:incubated]:
        for jury in world.juries[:2]:
            nominate(jury, team, 4)
        team.wants_to_continue = True
    for team in world.teams[:incubated]:
        _db.session.add(IncubationFlag(team_id=team.id, status="incubated", reasons=[]))
    _db.session.commit()


@pytest.fixture
def world(db) -> World:
    return build_world()


