"""Held-out measures of a ranking against known decisions: precision@k and ROC AUC."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.metrics import roc_auc_score


def ordering_key(scores: Sequence[float | None]) -> np.ndarray:
    """Scores as sortable numbers; a missing score ranks last."""
    return np.array([-np.inf if score is None else float(score) for score in scores])


def precision_at_k(labels: Sequence[bool], scores: Sequence[float | None], k: int) -> float:
    """Share of decided-positive teams among the k best scored (ties by position)."""
    if not labels:
        return 0.0
    k = min(k, len(labels))
    key = ordering_key(scores)
    order = np.lexsort((np.arange(len(key)), -key))[:k]
    return float(np.asarray(labels, dtype=bool)[order].sum() / k)


def roc_auc(labels: Sequence[bool], scores: Sequence[float | None]) -> float | None:
    """Probability that a positive team outranks a negative one; None with one class only."""
    y = np.asarray(labels, dtype=bool)
    if y.all() or not y.any():
        return None
    key = ordering_key(scores)
    finite_floor = key[np.isfinite(key)].min() - 1 if np.isfinite(key).any() else 0.0
    return float(roc_auc_score(y, np.where(np.isfinite(key), key, finite_floor)))
