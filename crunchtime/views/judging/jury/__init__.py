"""The jury's pages: the queue, scoring a team from a phone (offline-capable), conflicts."""

from crunchtime.views.judging.jury import conflicts  # noqa: F401  (registers its routes)
from crunchtime.views.judging.jury.api import blueprint as api_blueprint
from crunchtime.views.judging.jury.routes import blueprint

__all__ = ["api_blueprint", "blueprint"]
