"""Organisers' pages of the team submissions (blueprint "submissions_admin")."""

from crunchtime.views.submissions_admin import routes, stage_routes  # noqa: F401
from crunchtime.views.submissions_admin.blueprint import blueprint

__all__ = ["blueprint"]
