"""Where one value sits among a round's values: the five-number summary a team's feedback
draws (pure: numbers in, numbers out)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from statistics import quantiles


@dataclass(frozen=True)
class Spread:
    """Minimum, quartiles, median and maximum of `count` values."""

    count: int
    low: float
    q1: float
    median: float
    q3: float
    high: float


def spread_of(values: Sequence[float]) -> Spread | None:
    """The five-number summary (inclusive quartiles, as a spreadsheet's QUARTILE); None for
    no value."""
    ordered = sorted(values)
    if not ordered:
        return None
    if len(ordered) == 1:
        only = ordered[0]
        return Spread(1, only, only, only, only, only)
    q1, median, q3 = quantiles(ordered, n=4, method="inclusive")
    return Spread(len(ordered), ordered[0], q1, median, q3, ordered[-1])


def position(value: float, low: float, high: float) -> float:
    """`value` as a percentage of the scale [low, high], clamped to 0–100."""
    if high <= low:
        return 0.0
    return round(max(0.0, min(100.0, 100 * (value - low) / (high - low))), 2)


def weighted_share(values: dict[int, float], scales: dict[int, tuple[float, float, float]]
                   ) -> float | None:
    """The weighted mean of values as a percentage of their scales ({key: (weight, min,
    max)}), over the keys present in both; None when none is."""
    keys = [key for key in values if key in scales]
    weight = sum(scales[key][0] for key in keys)
    if not keys or weight <= 0:
        return None
    return sum(scales[key][0] * position(values[key], scales[key][1], scales[key][2])
               for key in keys) / weight
