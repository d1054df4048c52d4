"""Blueprints, one per audience."""

from crunchtime.views.accounts import settings as account
from crunchtime.views.accounts import student
from crunchtime.views.accounts.auth import blueprint as auth_blueprint
from crunchtime.views.accounts.people import blueprint as people_blueprint
from crunchtime.views.announcements import blueprint as announcements_blueprint
from crunchtime.views.challenges import catalogue, company, moderation
from crunchtime.views.editions import public
from crunchtime.views.editions.organizer import blueprint as organizer_blueprint
from crunchtime.views.exchange.imports import blueprint as imports_blueprint
from crunchtime.views.incubation import blueprint as incubation_blueprint
from crunchtime.views.judging import jury, results
from crunchtime.views.judging.admin import blueprint as judging_admin_blueprint
from crunchtime.views.live import board as live
from crunchtime.views.live.cockpit import blueprint as cockpit_blueprint
from crunchtime.views.matching import blueprint as matching_blueprint
from crunchtime.views.privacy import blueprint as privacy_blueprint
from crunchtime.views.submissions import gallery
from crunchtime.views.submissions.admin import blueprint as submissions_admin_blueprint
from crunchtime.views.teams import company as company_teams
from crunchtime.views.teams import continuation
from crunchtime.views.teams.team import blueprint as team_blueprint

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
