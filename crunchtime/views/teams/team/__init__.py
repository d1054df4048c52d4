"""The team space of students (blueprint "team", under /team)."""

from crunchtime.views.teams.team import routes, submission_routes  # noqa: F401  (registers routes)
from crunchtime.views.teams.team.blueprint import blueprint

__all__ = ["blueprint"]
