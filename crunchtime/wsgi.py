"""The WSGI entry point for gunicorn: `gunicorn -c gunicorn.conf.py` (the settings file names it).

A server process starts its live hub at once rather than at its first Socket.IO connection:
with several processes, the one that takes the juries' POSTs then competes for the board
lease too, so the board keeps being computed while a fan-out process restarts. Once started,
it freezes its heap (crunchtime/heap.py): full collections then skip what its imports made.

Its board worker child is spawned before anything else is imported, so that both import at
once (crunchtime/realtime/board_worker.py): a restarted fan-out then meets its viewers with
a child ready to compute, not one that competes with them for the CPU."""

import logging
import sys

from crunchtime.realtime.board_worker import discard_early, spawn_early

BOARD_WORKER_MODULE = "crunchtime.live_worker"  # as create_app names it (crunchtime/app.py)
spawn_early(BOARD_WORKER_MODULE)

from crunchtime.app import create_app  # noqa: E402 -- after the child is on its way
from crunchtime.config import ConfigError  # noqa: E402
from crunchtime.heap import freeze_startup_heap  # noqa: E402
from crunchtime.realtime.hub import hub_of  # noqa: E402

try:
    app = create_app()
except ConfigError as error:
    sys.exit(f"crunchtime: {error}")

hub = hub_of(app)
if hub.mode != "process":
    discard_early()
try:
    hub.ensure_started()
except Exception:  # Redis down at boot: the first live connection tries again
    logging.getLogger(__name__).exception("live hub not started at boot")

freeze_startup_heap()
