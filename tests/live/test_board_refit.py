"""The board worker refits the calibrated ranking after each batch of scores starting from
the previous fit (warm start), and gets the ranking a cold fit would give."""

from __future__ import annotations

import itertools

import pytest
import sqlalchemy as sa

from crunchtime.extensions import db as _db
from crunchtime.models import JuryProfile, ScoreEvent
from crunchtime.scoring import calibration, ranking
from crunchtime.scoring.ranking import rank_teams
from crunchtime.services.judging.rankings import criterion_scales
from crunchtime.services.live.board import BoardMemory, compute_board

_events = itertools.count(1)


def score(world, jury, team, criterion, value) -> None:
    jury_id = _db.session.scalar(sa.select(JuryProfile.id).where(JuryProfile.user_id == jury.id))
    _db.session.add(ScoreEvent(client_event_id=f"refit-{next(_events)}",
                               round_id=world.round.id, jury_id=jury_id, team_id=team.id,
                               criterion_id=criterion.id, kind="score", value=value))


@pytest.fixture
def scored(world):
    """Every jury scored every team: quality (team index) plus the jury's severity."""
    world.edition.leaderboard_estimator = "calibrated"
    for (j, jury), (t, team) in itertools.product(enumerate(world.juries),
                                                  enumerate(world.teams)):
        for criterion in world.round.criteria:
            wobble = (t * j + criterion.position) % 3
            score(world, jury, team, criterion, min(10, 2 + 2 * t + j + wobble))
    _db.session.commit()
    return world


@pytest.fixture
def fits(monkeypatch):
    """Each calibrated fit's warm start (None for a cold one), in call order."""
    calls = []
    real = calibration.fit_calibration

    def recording(obs, *, warm=None):
        calls.append(warm)
        return real(obs, warm=warm)

    monkeypatch.setattr(ranking, "fit_calibration", recording)
    return calls


def test_a_new_batch_of_scores_is_refitted_from_the_previous_fit(app, db, scored, fits):
    world = scored
    memory = BoardMemory()
    compute_board(memory, 10)
    assert fits == [None]
    first = memory.ranking[1]

    score(world, world.juries[0], world.teams[0], world.round.criteria[0], 10)
    _db.session.commit()
    compute_board(memory, 10)
    assert len(fits) == 2 and fits[1] is first.state
    refitted = memory.ranking[1]

    scores = memory.ledger.scores
    cold = rank_teams(scores, criterion_scales(world.round), teams=[t.id for t in world.teams],
                      estimators=["calibrated"], draws=0, seed=world.round.id)["calibrated"]
    assert refitted.order() == cold.order()
    assert [row.estimate for row in refitted.standings] == pytest.approx(
        [row.estimate for row in cold.standings], abs=1e-3)


def test_another_round_starts_cold(app, db, scored, fits):
    memory = BoardMemory()
    compute_board(memory, 10)
    key, ranked = memory.ranking
    memory.ranking = ((key[0] + 1000, *key[1:]), ranked)  # as if the board followed another
    compute_board(memory, 10)
    assert fits == [None, None]
