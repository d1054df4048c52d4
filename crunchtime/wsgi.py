"""The WSGI entry point for gunicorn: `gunicorn -c gunicorn.conf.py` (the settings file names it).

A server process starts its live hub at once rather than at its first Socket.IO connection:
with several processes, the one that takes the juries' POSTs then competes for the board
lease too, so the board keeps being computed while a fan-out process restarts. Once started,
it freezes its heap (crunchtime/heap.py): full collections then skip what its imports made."""

import logging
import sys

from crunchtime.app import create_app
from crunchtime.config import ConfigError
from crunchtime.heap import freeze_startup_heap
from crunchtime.realtime.hub import hub_of

try:
    app = create_app()
except ConfigError as error:
    sys.exit(f"crunchtime: {error}")

try:
    hub_of(app).ensure_started()
except Exception:  # Redis down at boot: the first live connection tries again
    logging.getLogger(__name__).exception("live hub not started at boot")

freeze_startup_heap()
