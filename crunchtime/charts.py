"""Chart geometry for server-rendered SVG (pure: numbers in, coordinates out). The
templates draw it (templates/cockpit/_charts.html) and print the same numbers as a table."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

WIDTH = 640
LABEL_WIDTH = 150
VALUE_ROOM = 48
ROW_HEIGHT = 22
BAR_HEIGHT = 15
LINE_HEIGHT = 220
PAD = 34


def nice_ceiling(value: float) -> float:
    """The smallest 1, 2 or 5 × 10^k at least `value` (1 for nothing to show)."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    return next(step * power for step in (1, 2, 5, 10) if step * power >= value)


def ticks(top: float, count: int = 4) -> list[float]:
    step = top / count
    return [round(step * i, 6) for i in range(count + 1)]


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    y: float
    width: float
    mark_x: float | None = None
    mark: float | None = None


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    label_width: int
    bars: tuple[Bar, ...]
    scale_max: float
    axis: tuple[tuple[float, float], ...]  # (value, x)
    bar_height: int = BAR_HEIGHT


def horizontal_bars(items: Sequence[tuple[str, float]], marks: Sequence[float | None] = (),
                    width: int = WIDTH) -> BarChart:
    """One bar per (label, value), optionally with a mark each (e.g. a capacity)."""
    marks = list(marks) or [None] * len(items)
    top = nice_ceiling(max([value for _label, value in items]
                           + [mark for mark in marks if mark is not None], default=0))
    span = width - LABEL_WIDTH - VALUE_ROOM
    bars = tuple(
        Bar(label, value, PAD / 2 + i * ROW_HEIGHT, span * value / top,
            None if mark is None else LABEL_WIDTH + span * mark / top, mark)
        for i, ((label, value), mark) in enumerate(zip(items, marks, strict=True)))
    axis = tuple((value, LABEL_WIDTH + span * value / top) for value in ticks(top))
    return BarChart(width, int(PAD + len(items) * ROW_HEIGHT), LABEL_WIDTH, bars, top, axis)


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

    def table(self) -> list[tuple[date, list[float | None]]]:
        """Each day with each series' value that day (None: no point that day)."""
        days = sorted({day for series in self.series for day, _value in series.values})
        lookups = [dict(series.values) for series in self.series]
        return [(day, [lookup.get(day) for lookup in lookups]) for day in days]


def line_chart(series: Sequence[tuple[str, Sequence[tuple[date, float]]]],
               width: int = WIDTH) -> LineChart:
    """Time series on a shared day axis and value axis (a single day sits in the middle)."""
    days = sorted({day for _name, points in series for day, _value in points})
    top = nice_ceiling(max((value for _n, points in series for _d, value in points), default=0))
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
                     tuple((value, round(y_of(value), 1)) for value in ticks(top)),
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
