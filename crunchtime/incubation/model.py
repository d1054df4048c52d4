"""The classifier trained on past editions' decisions: logistic regression (its weights stay
readable), calibrated (sigmoid) so that its output reads as a probability. Measured on
held-out teams (stratified folds: each team is predicted by a model that never saw it),
per past edition, against the ranking by raw jury score alone."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.calibration import CalibratedClassifierCV
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from crunchtime.incubation.evaluation import precision_at_k, roc_auc
from crunchtime.incubation.signals import SIGNALS

MIN_POSITIVES = 6
MIN_NEGATIVES = 6
OUTER_FOLDS = 5
INNER_FOLDS = 3
DEFAULT_K = 10


class ModelUnavailable(Exception):
    """Too few past decisions to train on: `code` and `params` say how many."""

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class Evaluation:
    """Held-out figures, averaged over the past editions (each ranked on its own)."""

    k: int
    precision_at_k: float
    roc_auc: float | None
    baseline_precision_at_k: float
    baseline_roc_auc: float | None
    transparent_precision_at_k: float | None
    transparent_roc_auc: float | None
    teams: int
    positives: int
    editions: int

    def as_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass
class IncubationModel:
    classifier: CalibratedClassifierCV
    coefficients: dict[str, float]
    evaluation: Evaluation

    def probabilities(self, rows: Sequence[Sequence[float]]) -> list[float]:
        if not len(rows):
            return []
        return self.classifier.predict_proba(np.asarray(rows, dtype=float))[:, 1].tolist()


def _classifier(positives: int, seed: int) -> CalibratedClassifierCV:
    base = LogisticRegression(C=1.0, class_weight="balanced", solver="liblinear")
    folds = StratifiedKFold(n_splits=max(2, min(INNER_FOLDS, positives)), shuffle=True,
                            random_state=seed)
    return CalibratedClassifierCV(base, method="sigmoid", cv=folds)


def _held_out(x: np.ndarray, y: np.ndarray, seed: int) -> np.ndarray:
    """Every team's probability from a model trained without it."""
    splits = max(2, min(OUTER_FOLDS, int(y.sum()) // 2, int((~y).sum())))
    predicted = np.zeros(len(y))
    for train, test in StratifiedKFold(splits, shuffle=True, random_state=seed).split(x, y):
        model = _classifier(int(y[train].sum()), seed).fit(x[train], y[train])
        predicted[test] = model.predict_proba(x[test])[:, 1]
    return predicted


def _per_edition(y, rankings: dict[str, Sequence], groups, k: int) -> dict[str, float | None]:
    """For each ranking (name → a score per team): precision@k and ROC AUC within each
    past edition, averaged over the editions."""
    figures: dict[str, list] = {}
    for group in sorted(set(groups)):
        index = [i for i, g in enumerate(groups) if g == group]
        labels = [bool(y[i]) for i in index]
        for name, scores in rankings.items():
            ranked = [scores[i] for i in index]
            figures.setdefault(f"{name}_p", []).append(precision_at_k(labels, ranked, k))
            figures.setdefault(f"{name}_auc", []).append(roc_auc(labels, ranked))
    return {name: _mean(values) for name, values in figures.items()}


def _mean(values: list) -> float | None:
    known = [value for value in values if value is not None]
    return round(float(np.mean(known)), 4) if known else None


def train_model(rows: Sequence[Sequence[float]], labels: Sequence[bool],
                baseline: Sequence[float | None], groups: Sequence[int] | None = None, *,
                transparent: Sequence[float] | None = None, k: int = DEFAULT_K,
                seed: int = 0) -> IncubationModel:
    """Train on past teams (`rows` are feature vectors in SIGNALS order, `labels` whether
    each was incubated, `baseline` its raw jury score, `groups` its edition, `transparent`
    its transparent score, measured alongside); evaluate on held-out teams; then fit on
    all of them."""
    x, y = np.asarray(rows, dtype=float), np.asarray(labels, dtype=bool)
    if int(y.sum()) < MIN_POSITIVES or int((~y).sum()) < MIN_NEGATIVES:
        raise ModelUnavailable("too_few_decisions", positives=int(y.sum()),
                               negatives=int((~y).sum()), needed=MIN_POSITIVES)
    groups = list(groups) if groups is not None else [0] * len(y)
    rankings = {"model": _held_out(x, y, seed), "raw": list(baseline)}
    if transparent is not None:
        rankings["transparent"] = list(transparent)
    figures = _per_edition(y, rankings, groups, k)
    evaluation = Evaluation(
        k=k, precision_at_k=figures["model_p"], roc_auc=figures["model_auc"],
        baseline_precision_at_k=figures["raw_p"], baseline_roc_auc=figures["raw_auc"],
        transparent_precision_at_k=figures.get("transparent_p"),
        transparent_roc_auc=figures.get("transparent_auc"),
        teams=len(y), positives=int(y.sum()), editions=len(set(groups)))
    classifier = _classifier(int(y.sum()), seed).fit(x, y)
    weights = np.mean([c.estimator.coef_[0] for c in classifier.calibrated_classifiers_],
                      axis=0)
    coefficients = {name: round(float(w), 3) for name, w in zip(SIGNALS, weights, strict=True)}
    return IncubationModel(classifier, coefficients, evaluation)
