"""The incubation part of `crunchtime demo --stage results`: the current edition's projects
(submissions, wishes to continue, nominations, partners' interest), a decided past edition
for the model to learn from, and the flags computed, so every incubation page has content."""

from __future__ import annotations

import random

from crunchtime.extensions import db
from crunchtime.models import Edition
from crunchtime.models.base import utcnow
from crunchtime.services.demo.past import add_past_edition
from crunchtime.services.demo.projects import demo_teams, planted_from_scores, write_projects
from crunchtime.services.incubation.flags import compute_flags
from crunchtime.services.incubation.signals import edition_signals


def add_incubation_demo(edition: Edition, seed: int) -> None:
    """Call once the edition is in the results phase (flags are computed at the end)."""
    rng = random.Random(f"{seed}:projects")
    teams = demo_teams(edition.id)
    scores = {team.team_id: team.raw_score for team in edition_signals(edition)
              if team.raw_score is not None}
    write_projects(teams, planted_from_scores(rng, teams, scores), rng, utcnow())
    add_past_edition(edition, len(teams), seed)
    db.session.commit()
    compute_flags(None, edition)
