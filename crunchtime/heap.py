"""The heap of a long-running process: a gunicorn worker or the board worker.

Such a process keeps the ~230,000 objects its imports made for life, and each of Python's
full collections scans them all: 120 ms on an idle core, up to 340 ms on a busy one, with the
event loop standing still (measured: six such pauses in one 40-second live benchmark, and
they made its p99). Once started, the process moves them to the permanent generation, which
no collection scans (`gc.freeze`); what it allocates later is collected as usual.

Then it looks at a full collection ten times less often than CPython does by default. While
a restarted fan-out takes back 2,000 viewers its heap grows fast, and the default made a full
collection at each quarter of growth: six pauses of 30 to 180 ms, a quarter of the time the
viewers waited (measured with scripts/bench/live.py --kill-after). Young objects are still
collected as often; a full collection still comes once the survivors outgrow the heap by a
quarter, only noticed later."""

from __future__ import annotations

import gc

FULL_COLLECTION_EVERY = 100  # collections of the middle generation between two looks at a full one


def freeze_startup_heap() -> int:
    """Collect once, exempt every object alive now from later collections and space out the
    full ones; returns how many objects were frozen."""
    gc.collect()
    gc.freeze()
    young, middle, _full = gc.get_threshold()
    gc.set_threshold(young, middle, FULL_COLLECTION_EVERY)
    return gc.get_freeze_count()
