"""When a session of presence accepts a check-in, when an arrival is late, and the default
week of sessions (pure: times are given, aware, by the caller)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

OPENS_BEFORE = timedelta(minutes=30)
LATE_AFTER = timedelta(minutes=15)
PARTS = ("morning", "afternoon")
DEFAULT_TIMES = {"morning": (time(9, 0), time(12, 30)),
                 "afternoon": (time(13, 30), time(17, 30))}
DAYS = 5

BEFORE = "before"
OPEN = "open"
AFTER = "after"


@dataclass(frozen=True)
class SessionTimes:
    day: date
    part: str
    starts_at: datetime
    ends_at: datetime


def window_state(starts_at: datetime, ends_at: datetime, moment: datetime) -> str:
    """BEFORE until OPENS_BEFORE ahead of the start, OPEN until the end, then AFTER."""
    if moment < starts_at - OPENS_BEFORE:
        return BEFORE
    if moment > ends_at:
        return AFTER
    return OPEN


def is_late(starts_at: datetime, moment: datetime) -> bool:
    return moment > starts_at + LATE_AFTER


def default_week(first_day: date, zone: tzinfo, days: int = DAYS) -> list[SessionTimes]:
    """`days` consecutive days from `first_day`, a morning and an afternoon each, at the
    usual times of the place (`zone`), in order."""
    sessions = []
    for offset in range(days):
        day = first_day + timedelta(days=offset)
        for part in PARTS:
            start, end = DEFAULT_TIMES[part]
            sessions.append(SessionTimes(day, part, datetime.combine(day, start, zone),
                                         datetime.combine(day, end, zone)))
    return sessions


def overlaps(first: tuple[datetime, datetime], second: tuple[datetime, datetime]) -> bool:
    return first[0] < second[1] and second[0] < first[1]
