"""The classifier's training set: past editions' teams, their signals and whether the
committee incubated them (an `incubated` flag: decided in the app or imported from CSV)."""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa

from crunchtime.extensions import db
from crunchtime.incubation import (
    IncubationModel,
    ModelUnavailable,
    edition_features,
    train_model,
    transparent_scores,
)
from crunchtime.models import Edition, IncubationFlag, Team
from crunchtime.models.base import utcnow
from crunchtime.services.incubation.signals import edition_signals

MODEL_SEED = 2026


@dataclass
class TrainingSet:
    rows: list[list[float]] = field(default_factory=list)
    labels: list[bool] = field(default_factory=list)
    raw_scores: list[float | None] = field(default_factory=list)
    transparent: list[float] = field(default_factory=list)
    groups: list[int] = field(default_factory=list)
    editions: list[str] = field(default_factory=list)


def earlier_than(current: Edition):
    """SQL condition on `Edition`: older than `current` (an earlier year; in the same year,
    created before it). A later edition never feeds the model of an earlier one."""
    return sa.or_(Edition.year < current.year,
                  sa.and_(Edition.year == current.year, Edition.id < current.id))


def editions_with_decisions(current: Edition) -> list[Edition]:
    """Earlier editions where at least one team was incubated, oldest first."""
    decided = (sa.select(Team.edition_id).join(IncubationFlag, IncubationFlag.team_id == Team.id)
               .where(IncubationFlag.status == "incubated"))
    return list(db.session.scalars(
        sa.select(Edition).where(earlier_than(current), Edition.id.in_(decided))
        .order_by(Edition.year, Edition.id)))


def _incubated(edition: Edition) -> set[int]:
    return set(db.session.scalars(
        sa.select(IncubationFlag.team_id).join(Team, Team.id == IncubationFlag.team_id)
        .where(Team.edition_id == edition.id, IncubationFlag.status == "incubated")))


def training_set(current: Edition, weights: dict[str, float]) -> TrainingSet:
    data = TrainingSet()
    for edition in editions_with_decisions(current):
        signals = edition_signals(edition)
        features = edition_features(signals)
        scores = transparent_scores(features, weights)
        incubated = _incubated(edition)
        for team in signals:
            data.rows.append(features[team.team_id].vector())
            data.labels.append(team.team_id in incubated)
            data.raw_scores.append(team.raw_score)
            data.transparent.append(scores[team.team_id].score)
            data.groups.append(edition.id)
        data.editions.append(edition.name)
    return data


def fit_model(current: Edition, weights: dict[str, float]) -> tuple[IncubationModel | None,
                                                                    dict]:
    """The model trained on past decisions, and the report stored with the edition (its
    held-out figures, or why there is no model)."""
    data = training_set(current, weights)
    report = {"computed_at": utcnow().isoformat(), "editions": data.editions}
    if not data.editions:
        return None, {**report, "status": "unavailable", "code": "no_past_edition",
                      "params": {}}
    try:
        model = train_model(data.rows, data.labels, data.raw_scores, data.groups,
                            transparent=data.transparent, seed=MODEL_SEED)
    except ModelUnavailable as refusal:
        return None, {**report, "status": "unavailable", "code": refusal.code,
                      "params": refusal.params}
    return model, {**report, "status": "trained", "evaluation": model.evaluation.as_dict(),
                   "coefficients": model.coefficients}
