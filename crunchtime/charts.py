"""Chart geometry for server-rendered charts (pure: numbers in, coordinates out). The
templates draw it (templates/live/cockpit/_charts.html) and print the same numbers as a
table. Axes of counts get whole, distinct ticks; an all-empty chart is flagged `empty`."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

WIDTH = 640
LINE_HEIGHT = 220
PAD = 34


def nice_step(raw: float) -> int:
    """The smallest 1, 2 or 5 × 10^k at least `raw`, never below 1: counts get whole ticks."""
    if raw <= 1:
        return 1
    power = 10 ** math.floor(math.log10(raw))
    return int(next(step * power for step in (1, 2, 5, 10) if step * power >= raw))


def axis_ticks(largest: float, count: int = 4) -> list[int]:
    """Whole, distinct, evenly spaced ticks from 0 to at least `largest` (at most `count`
    steps): 0 1 2 3 for 3, 0 5 10 15 20 for 17, 0 1 for nothing to show."""
    step = nice_step(largest / count)
    steps = max(1, math.ceil(largest / step))
    return [step * i for i in range(steps + 1)]


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    share: float  # the bar's length, in % of the scale
    mark: float | None = None
    mark_share: float | None = None


@dataclass(frozen=True)
class BarChart:
    """Horizontal bars drawn in HTML (templates/live/cockpit/_charts.html): each label sits
    whole beside its bar, on a phone as on a wall screen."""
    bars: tuple[Bar, ...]
    scale_max: int

    @property
    def empty(self) -> bool:
        """Nothing to draw: no bar, or only zeros (and no mark) — the chart says so instead."""
        return not any(bar.value or bar.mark for bar in self.bars)


def _share(value: float, top: float) -> float:
    return round(100 * value / top, 2)


def horizontal_bars(items: Sequence[tuple[str, float]],
                    marks: Sequence[float | None] = ()) -> BarChart:
    """One bar per (label, value), optionally with a mark each (e.g. a capacity), all on
    one scale that ends on a whole tick."""
    marks = list(marks) or [None] * len(items)
    largest = max([value for _label, value in items]
                  + [mark for mark in marks if mark is not None], default=0)
    top = axis_ticks(largest)[-1]
    bars = tuple(
        Bar(label, value, _share(value, top), mark, None if mark is None else _share(mark, top))
        for (label, value), mark in zip(items, marks, strict=True))
    return BarChart(bars, top)


@dataclass(frozen=True)
class Series:
    name: str
    points: str  # "x,y x,y …" for <polyline>
    last: tuple[float, float]
    values: tuple[tuple[date, float], ...]


@dataclass(frozen=True)
class LineChart:
    width: int
    height: int
    series: tuple[Series, ...]
    y_axis: tuple[tuple[float, float], ...]  # (value, y)
    x_labels: tuple[tuple[date, float], ...]  # (day, x)
    left: int = 48
    bottom: int = LINE_HEIGHT - 28

    @property
    def empty(self) -> bool:
        return not any(series.values for series in self.series)

    def table(self) -> list[tuple[date, list[float | None]]]:
        """Each day with each series' value that day (None: no point that day)."""
        days = sorted({day for series in self.series for day, _value in series.values})
        lookups = [dict(series.values) for series in self.series]
        return [(day, [lookup.get(day) for lookup in lookups]) for day in days]


def line_chart(series: Sequence[tuple[str, Sequence[tuple[date, float]]]],
               width: int = WIDTH) -> LineChart:
    """Time series on a shared day axis and value axis (a single day sits in the middle)."""
    days = sorted({day for _name, points in series for day, _value in points})
    y_ticks = axis_ticks(max((value for _n, points in series for _d, value in points), default=0))
    top = y_ticks[-1]
    left, right, top_y, bottom = 48, width - 16, 12, LINE_HEIGHT - 28
    first, last = (days[0], days[-1]) if days else (date.today(), date.today())
    span_days = (last - first).days

    def x_of(day: date) -> float:
        return (left + right) / 2 if span_days == 0 else \
            left + (right - left) * (day - first).days / span_days

    def y_of(value: float) -> float:
        return bottom - (bottom - top_y) * value / top

    drawn = []
    for name, points in series:
        coordinates = [(round(x_of(day), 1), round(y_of(value), 1)) for day, value in points]
        drawn.append(Series(name, " ".join(f"{x},{y}" for x, y in coordinates),
                            coordinates[-1] if coordinates else (left, bottom), tuple(points)))
    labels = [first, last] if span_days else [first]
    return LineChart(width, LINE_HEIGHT, tuple(drawn),
                     tuple((value, round(y_of(value), 1)) for value in y_ticks),
                     tuple((day, round(x_of(day), 1)) for day in labels if days))


@dataclass(frozen=True)
class Segment:
    key: str
    label: str
    value: int
    x: float
    width: float


def stacked_bar(parts: Sequence[tuple[str, str, int]], width: int = WIDTH) -> tuple[Segment, ...]:
    """A 100 % bar split by (key, label, count); an empty total draws nothing."""
    total = sum(value for _key, _label, value in parts)
    segments, x = [], 0.0
    for key, label, value in parts:
        share = width * value / total if total else 0.0
        segments.append(Segment(key, label, value, round(x, 2), round(share, 2)))
        x += share
    return tuple(segments)
