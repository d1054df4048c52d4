"""Batching of board recomputations: a score marks the board dirty; one background task
recomputes it (in the board worker process) and publishes each room's view if it changed.

The first change after a quiet moment is computed at once; changes that arrive while a
computation runs, or within LIVE_BATCH_MS of the previous start, are folded into the next
one. A burst of 200 scores thus costs a handful of computations and broadcasts, not 200.
While the fan-out still sends the previous board to its viewers (tens of milliseconds for
2,000), the next computation waits until the fan-out will be free in about the time a
computation takes: computed earlier, the board would wait for the fan-out anyway, without
the scores that came meanwhile.

While the process takes a storm of connections (a restarted fan-out's 2,000 viewers coming
back within seconds), boards are computed at most every STORM_WINDOW_SECONDS: each one is
sent to every viewer already back, on the one core the others wait for, and a viewer that
joins gets the latest board in its answer anyway."""

from __future__ import annotations

import json
import logging
import time

from crunchtime.metrics import BOARD_SECONDS

log = logging.getLogger(__name__)
RETRY_SECONDS = 1.0
COMPUTE_SMOOTHING = 0.2  # weight of the latest computation in the expected duration
STORM_WINDOW_SECONDS = 0.5


class BoardRunner:
    """Owned by the hub (`server`: its Socket.IO server); `compute(force)` returns the changed
    views of the listened rooms as [(room, JSON text)] (every one when `force`),
    `publish_views` publishes them."""

    def __init__(self, server, compute, publish_views, window_ms: int, may_compute,
                 pace=None, storming=lambda: False):
        """`pace(lead)`, if given, returns once the last published board will have reached
        its viewers within `lead` seconds: the next computation starts then, `lead` being
        how long one usually takes, so that no board waits long behind the previous one.
        `storming()` says whether connections arrive in a storm now."""
        self._server = server
        self._pace = pace
        self._expected = 0.0
        self._compute = compute
        self._publish_views = publish_views
        self._window = window_ms / 1000
        self._may_compute = may_compute
        self._storming = storming
        self._dirty = server.eio.create_event()
        self._force = False
        self._last_start = 0.0
        self._task = None

    def start(self) -> None:
        if self._task is None:
            self._task = self._server.start_background_task(self._run)

    def mark_dirty(self, force: bool = False) -> None:
        """Ask for a recomputation; `force` republishes every view even if unchanged."""
        self._force = self._force or force
        self._dirty.set()

    def _run(self) -> None:
        while True:
            self._dirty.wait()
            window = STORM_WINDOW_SECONDS if self._storming() else self._window
            delay = self._last_start + window - time.monotonic()
            if delay > 0:
                self._server.sleep(delay)
            if self._pace is not None:
                self._pace(self._expected)
            self._dirty.clear()
            if not self._may_compute():
                continue
            force, self._force = self._force, False
            self._last_start = time.monotonic()
            try:
                with BOARD_SECONDS.time():  # the worker's computation, as this process waits
                    changed = self._compute(force)
                took = time.monotonic() - self._last_start
                self._expected += COMPUTE_SMOOTHING * (took - self._expected)
                if changed:
                    self._publish_views(changed)
            except Exception:
                log.exception("live board not recomputed; retrying")
                self._server.sleep(RETRY_SECONDS)
                self.mark_dirty(force=True)


class ViewChanges:
    """Kept where the board is computed: which rooms' views differ from the ones published
    last, as the JSON texts to publish (the view and the ledger seqs it shows first). Each view
    is encoded once, here; the text goes through Redis to the viewers' sockets as it is.
    Rooms outside `wanted` (nobody listens) are skipped and forgotten: `dropped` names those
    that had been published (when forced, every board room the result names in "rooms"), so
    that no stale snapshot stays."""

    def __init__(self):
        self._last: dict[str, str] = {}
        self.dropped: list[str] = []

    def forget(self) -> None:
        self._last.clear()

    def __call__(self, result: dict, force: bool = False,
                 wanted: set[str] | None = None) -> list[tuple[str, str]]:
        news = json.dumps(result.get("new_events", []), separators=(",", ":"))
        views = result["views"]
        changed = []
        for room, view in views.items():
            if wanted is not None and room not in wanted:
                continue
            text = json.dumps(view, sort_keys=True, separators=(",", ":"))
            if force or self._last.get(room) != text:
                self._last[room] = text
                changed.append((room, with_new_events(text, news)))
        unheard = set() if wanted is None else (set(views) | set(self._last)
                                                 | set(result.get("rooms", ()))) - wanted
        self.dropped = sorted(room for room in unheard if room in self._last or force)
        for room in unheard:
            self._last.pop(room, None)
        return changed


def with_new_events(view_text: str, news_text: str) -> str:
    """The view's JSON object with its "new_events" member added in front."""
    rest = view_text[1:].strip()
    return '{"new_events":' + news_text + ("," + rest if rest != "}" else "}")
