"""Incubation detection, pure (plain data in and out; no Flask, no models).

Per team, signals read from the edition (jury scores, nominations, company interest, the
team's wish to continue, originality, completeness) become features between 0 and 1; a
transparent weighted score ranks the teams and explains itself in reasons (codes with
parameters, put into words by the app); a calibrated classifier trained on past editions'
decisions adds a probability, with its held-out precision@k and ROC AUC.
"""

from crunchtime.incubation.features import TeamFeatures, edition_features
from crunchtime.incubation.model import (
    Evaluation,
    IncubationModel,
    ModelUnavailable,
    train_model,
)
from crunchtime.incubation.reasons import explain
from crunchtime.incubation.signals import SIGNALS, TeamSignals
from crunchtime.incubation.transparent import TransparentScore, transparent_scores
from crunchtime.incubation.weights import DEFAULT_WEIGHTS, WeightsError, check_weights

__all__ = [
    "DEFAULT_WEIGHTS",
    "SIGNALS",
    "Evaluation",
    "IncubationModel",
    "ModelUnavailable",
    "TeamFeatures",
    "TeamSignals",
    "TransparentScore",
    "WeightsError",
    "check_weights",
    "edition_features",
    "explain",
    "train_model",
    "transparent_scores",
]
