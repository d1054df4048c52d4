"""The transparent score's weights: documented defaults, and the check that refuses weights
which would not make a usable score (each refusal says why, as a code with parameters)."""

from __future__ import annotations

import math
from collections.abc import Mapping

from crunchtime.incubation.signals import SIGNALS

# Percentages; they add up to 100, so the score reads from 0 to 100.
# The calibrated jury score leads, as the week's most careful measure; the juries'
# nominations come next because juries judge the potential to continue, not only the
# week's result; the team's own wish and a partner's interest matter because incubation
# needs people and a first client; originality and completeness break ties.
DEFAULT_WEIGHTS: dict[str, float] = {
    "jury_score": 30,
    "score_certainty": 5,
    "nominations": 20,
    "nomination_ratings": 10,
    "company_interest": 10,
    "continuation": 15,
    "originality": 5,
    "completeness": 5,
}
TOTAL = 100
TOLERANCE = 0.01


class WeightsError(ValueError):
    """Weights refused: `code` names the reason, `params` fill its sentence."""

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params


def _number(name: str, value) -> float:
    if isinstance(value, bool):
        raise WeightsError("not_a_number", signal=name, value=str(value))
    try:
        number = float(value)
    except (TypeError, ValueError) as error:
        raise WeightsError("not_a_number", signal=name, value=str(value)) from error
    if not math.isfinite(number):
        raise WeightsError("not_a_number", signal=name, value=str(value))
    return number


def check_weights(weights: Mapping[str, object]) -> dict[str, float]:
    """Every signal's weight, from 0 to 100, adding up to 100 (a missing signal counts 0)."""
    unknown = sorted(set(weights) - set(SIGNALS))
    if unknown:
        raise WeightsError("unknown_signal", signal=unknown[0])
    clean = {name: _number(name, weights.get(name, 0)) for name in SIGNALS}
    for name, value in clean.items():
        if value < 0:
            raise WeightsError("negative", signal=name, value=value)
        if value > TOTAL:
            raise WeightsError("too_large", signal=name, value=value)
    total = sum(clean.values())
    if total <= 0:
        raise WeightsError("all_zero")
    if abs(total - TOTAL) > TOLERANCE:
        raise WeightsError("bad_total", total=round(total, 2), expected=TOTAL)
    return clean
