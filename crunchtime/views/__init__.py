"""Blueprints, one per audience."""

from crunchtime.views import (
    account,
    catalogue,
    company,
    company_teams,
    continuation,
    gallery,
    jury,
    live,
    moderation,
    public,
    results,
    student,
)
from crunchtime.views.announcements import blueprint as announcements_blueprint
from crunchtime.views.auth import blueprint as auth_blueprint
from crunchtime.views.cockpit import blueprint as cockpit_blueprint
from crunchtime.views.imports import blueprint as imports_blueprint
from crunchtime.views.incubation import blueprint as incubation_blueprint
from crunchtime.views.judging_admin import blueprint as judging_admin_blueprint
from crunchtime.views.matching import blueprint as matching_blueprint
from crunchtime.views.organizer import blueprint as organizer_blueprint
from crunchtime.views.people import blueprint as people_blueprint
from crunchtime.views.privacy import blueprint as privacy_blueprint
from crunchtime.views.submissions_admin import blueprint as submissions_admin_blueprint
from crunchtime.views.team import blueprint as team_blueprint

BLUEPRINTS = [
    public.blueprint,
    auth_blueprint,
    account.blueprint,
    student.blueprint,
    company.blueprint,
    jury.blueprint,
    jury.api_blueprint,
    organizer_blueprint,
    people_blueprint,
    moderation.blueprint,
    catalogue.blueprint,
    imports_blueprint,
    team_blueprint,
    submissions_admin_blueprint,
    company_teams.blueprint,
    gallery.blueprint,
    judging_admin_blueprint,
    results.blueprint,
    matching_blueprint,
    live.blueprint,
    cockpit_blueprint,
    incubation_blueprint,
    announcements_blueprint,
    privacy_blueprint,
    continuation.blueprint,
]
