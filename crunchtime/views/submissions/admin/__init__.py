"""Organisers' pages of the team submissions (blueprint "submissions_admin")."""

from crunchtime.views.submissions.admin import routes, stage_routes  # noqa: F401
from crunchtime.views.submissions.admin.blueprint import blueprint

__all__ = ["blueprint"]
