"""The heap of a long-running process: a gunicorn worker or the board worker.

Such a process keeps the ~230,000 objects its imports made for life, and each of Python's
full collections scans them all: 120 ms on an idle core, up to 340 ms on a busy one, with the
event loop standing still (measured: six such pauses in one 40-second live benchmark, and
they made its p99). Once started, the process moves them to the permanent generation, which
no collection scans (`gc.freeze`); what it allocates later is collected as usual."""

from __future__ import annotations

import gc


def freeze_startup_heap() -> int:
    """Collect once, then exempt every object alive now from later collections; returns how
    many objects were frozen."""
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()
