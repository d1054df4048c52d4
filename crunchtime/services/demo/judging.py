"""Scores for the demo edition (`crunchtime demo --stage judging|results` calls this once its
teams exist): round 1 assigned and opened, part of the scores entered by simulated juries."""

from __future__ import annotations

import numpy as np
import sqlalchemy as sa

from crunchtime.extensions import db
from crunchtime.models import Edition, JuryAssignment, JuryProfile, ScoreEvent
from crunchtime.models.base import utcnow
from crunchtime.scoring.simulation import SyntheticJudging, simulate_scores
from crunchtime.services.audit import record_audit
from crunchtime.services.judging.assignment import assigned_pairs, propose_assignment
from crunchtime.services.judging.ledger.queries import round_scores
from crunchtime.services.judging.rankings import criterion_scales
from crunchtime.services.judging.results import publish_results
from crunchtime.services.judging.rounds import first_round, new_round, sync_round_entries

SEVERITY_SD = 0.7
NOISE_RANGE = (0.3, 0.9)


def enter_demo_scores(edition: Edition, *, share: float = 0.6, seed: int = 2026) -> int:
    """Open round 1 (created with the default rubric if missing), assign its juries if not
    done, and enter every criterion score of `share` of the jury–team pairs not scored yet,
    drawn as planted quality + jury severity + noise. Ignores phases (the demo sets them);
    commits once and returns the number of score events written."""
    judging_round = first_round(edition) or new_round(edition, "", "per_challenge", 3)
    db.session.flush()
    sync_round_entries(judging_round)
    pairs = assigned_pairs(judging_round)
    if not pairs:
        plan = propose_assignment(judging_round, seed=seed)
        pairs = list(plan.pairs)
        db.session.add_all(JuryAssignment(round_id=judging_round.id, jury_id=jury, team_id=team)
                           for jury, team in pairs)
        record_audit(None, "judging.assign", judging_round, edition_id=edition.id,
                     round=judging_round.number, seed=seed, method=plan.method,
                     created=[list(pair) for pair in pairs], missing=plan.total_missing)
    judging_round.status = "open"
    rng = np.random.default_rng(seed)
    already = {(jury, team) for jury, team, _criterion in round_scores(judging_round.id)}
    chosen = sorted(pair for pair in pairs if rng.random() < share and pair not in already)
    scores = simulate_scores(_planted_truth(judging_round, pairs, rng), chosen, seed=seed)
    users = dict(db.session.execute(sa.select(JuryProfile.id, JuryProfile.user_id)
                                    .where(JuryProfile.edition_id == edition.id)).all())
    now = utcnow()
    rows = [{"client_event_id": f"demo-{judging_round.id}-{jury}-{team}-{criterion}",
             "round_id": judging_round.id, "jury_id": jury, "team_id": team,
             "criterion_id": criterion, "kind": "score", "value": value, "comment": "",
             "reason": "", "actor_id": users.get(jury), "created_at": now}
            for (jury, team, criterion), value in sorted(scores.items())]
    if rows:
        db.session.execute(sa.insert(ScoreEvent), rows)
    for jury, team in chosen:
        db.session.execute(sa.update(JuryAssignment).where(
            JuryAssignment.round_id == judging_round.id, JuryAssignment.jury_id == jury,
            JuryAssignment.team_id == team).values(status="scored"))
    db.session.commit()
    return len(rows)


def _planted_truth(judging_round, pairs, rng: np.random.Generator) -> SyntheticJudging:
    juries = sorted({jury for jury, _team in pairs})
    teams = sorted({team for _jury, team in pairs})
    return SyntheticJudging(
        juries=(), teams=(), conflicts=(), criteria=criterion_scales(judging_round),
        quality=dict(zip(teams, rng.normal(0, 1, len(teams)).tolist(), strict=True)),
        severity=dict(zip(juries, rng.normal(0, SEVERITY_SD, len(juries)).tolist(),
                          strict=True)),
        noise=dict(zip(juries, rng.uniform(*NOISE_RANGE, len(juries)).tolist(), strict=True)),
    )


def publish_demo_results(edition: Edition, *, seed: int = 2026) -> int:
    """For `--stage results`: every pair of round 1 scored, the round closed and the results
    published (the edition must already be in the judging or results phase). Returns how
    many awards were published."""
    enter_demo_scores(edition, share=1.0, seed=seed)
    first_round(edition).status = "closed"
    db.session.commit()
    return len(publish_results(None, edition, acknowledge_gaps=True))
