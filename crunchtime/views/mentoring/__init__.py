"""Mentoring: the teams' help page, the mentors' queue, profile and office hours, the
organisers' overview (blueprint "mentoring")."""

from crunchtime.views.mentoring import mentors, team  # noqa: F401  (registers routes)
from crunchtime.views.mentoring.blueprint import blueprint

__all__ = ["blueprint"]
