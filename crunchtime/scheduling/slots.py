"""Cut a pitch window into equal slots around the breaks."""

from __future__ import annotations

from datetime import datetime, timedelta

from crunchtime.scheduling.problem import Slot


def build_slots(
    start: datetime, end: datetime, minutes: int, breaks: list[tuple[datetime, datetime]]
) -> tuple[Slot, ...]:
    """Slots of ``minutes`` from ``start`` to ``end``; a slot never overlaps a break.

    A slot that would run into a break starts again at the break's end, so the
    day keeps its rhythm after lunch. Raises ValueError on an empty window.
    """
    if minutes <= 0:
        raise ValueError("slot length must be positive")
    if end <= start:
        raise ValueError("the window must end after it starts")
    length = timedelta(minutes=minutes)
    pauses = sorted((b_start, b_end) for b_start, b_end in breaks if b_end > b_start)
    slots: list[Slot] = []
    cursor = start
    while cursor + length <= end:
        overlapping = [
            b_end for b_start, b_end in pauses if b_start < cursor + length and cursor < b_end
        ]
        if overlapping:
            cursor = max(overlapping)
            continue
        slots.append(Slot(index=len(slots), start=cursor, end=cursor + length))
        cursor += length
    return tuple(slots)
