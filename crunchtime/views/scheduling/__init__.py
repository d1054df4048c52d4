"""The pitch schedule (issue 22): the organisers' pages under a round, the juries' and
students' pitches and calendars, the room screens and calendar feeds."""

from crunchtime.views.scheduling import rooms  # noqa: F401  (registers its routes)
from crunchtime.views.scheduling.admin import blueprint as admin_blueprint
from crunchtime.views.scheduling.people import blueprint as people_blueprint
from crunchtime.views.scheduling.public import blueprint as public_blueprint

__all__ = ["admin_blueprint", "people_blueprint", "public_blueprint"]
