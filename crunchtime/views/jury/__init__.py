"""The jury's pages: the queue, scoring a team from a phone (offline-capable), conflicts."""

from crunchtime.views.jury import api, conflicts  # noqa: F401  (registers their routes)
from crunchtime.views.jury.routes import blueprint

__all__ = ["blueprint"]
