"""Integer splits of a total: challenges per theme, teams wanted per challenge."""

from __future__ import annotations

import itertools
import random


def apportion(weights: list[float], total: int) -> list[int]:
    """Split `total` in proportion to `weights` (largest remainders), so small counts stay fair."""
    weight_sum = sum(weights)
    shares = [total * w / weight_sum for w in weights]
    values = [int(s) for s in shares]
    by_remainder = sorted(range(len(shares)), key=lambda i: values[i] - shares[i])
    for index in by_remainder[: total - sum(values)]:
        values[index] += 1
    return values


def spread_total(rng: random.Random, count: int, total: int, low: int, high: int) -> list[int]:
    """`count` integers in [low, high] summing to `total` (clamped to what is reachable)."""
    total = min(max(total, low * count), high * count)
    weights = [rng.lognormvariate(0.0, 0.5) for _ in range(count)]
    scale = (total - low * count) / sum(weights)
    shares = [min(high, low + w * scale) for w in weights]
    values = [int(s) for s in shares]
    by_remainder = sorted(range(count), key=lambda i: shares[i] - values[i], reverse=True)
    missing = total - sum(values)
    for index in itertools.cycle(by_remainder):
        if missing == 0:
            break
        if values[index] < high:
            values[index] += 1
            missing -= 1
    return values
