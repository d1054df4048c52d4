"""The HTTP faces, one package per area of the event (the same names as services/,
templates/ and tests/); each blueprint keeps the endpoint names the access matrix knows."""

from crunchtime.views.accounts import settings as account_settings
from crunchtime.views.accounts import student
from crunchtime.views.accounts.auth import blueprint as auth_blueprint
from crunchtime.views.accounts.people import blueprint as people_blueprint
from crunchtime.views.accounts.sso import blueprint as sso_blueprint
from crunchtime.views.accounts.two_factor import blueprint as two_factor_blueprint
from crunchtime.views.announcements import blueprint as announcements_blueprint
from crunchtime.views.attestations import blueprint as attestations_blueprint
from crunchtime.views.challenges import catalogue, company, moderation
from crunchtime.views.editions import public
from crunchtime.views.editions.organizer import blueprint as organizer_blueprint
from crunchtime.views.exchange.imports import blueprint as imports_blueprint
from crunchtime.views.incubation import blueprint as incubation_blueprint
from crunchtime.views.judging import feedback as judging_feedback
from crunchtime.views.judging import jury, results
from crunchtime.views.judging.admin import blueprint as judging_admin_blueprint
from crunchtime.views.live import board as live_board
from crunchtime.views.live.cockpit import blueprint as cockpit_blueprint
from crunchtime.views.matching import blueprint as matching_blueprint
from crunchtime.views.mentoring import blueprint as mentoring_blueprint
from crunchtime.views.presence import blueprint as presence_blueprint
from crunchtime.views.privacy import blueprint as privacy_blueprint
from crunchtime.views.scheduling import admin_blueprint as scheduling_admin_blueprint
from crunchtime.views.scheduling import people_blueprint as scheduling_blueprint
from crunchtime.views.scheduling import public_blueprint as scheduling_public_blueprint
from crunchtime.views.submissions import gallery
from crunchtime.views.submissions.admin import blueprint as submissions_admin_blueprint
from crunchtime.views.teams import company as company_teams
from crunchtime.views.teams import continuation
from crunchtime.views.teams.team import blueprint as team_blueprint

BLUEPRINTS = [
    # editions: the public pages, the organisers' dashboard and phases
    public.blueprint,
    organizer_blueprint,
    # accounts: sign-in, settings, students' own pages, the organisers' lists of people
    auth_blueprint,
    sso_blueprint,
    two_factor_blueprint,
    account_settings.blueprint,
    student.blueprint,
    people_blueprint,
    # challenges: companies post them, organisers moderate, students browse
    company.blueprint,
    moderation.blueprint,
    catalogue.blueprint,
    # exchange: imports (exports are on the cockpit)
    imports_blueprint,
    # matching
    matching_blueprint,
    # teams: the team space, the companies' view of their teams, the wish to continue
    team_blueprint,
    company_teams.blueprint,
    continuation.blueprint,
    # submissions: the organisers' view, the public gallery
    submissions_admin_blueprint,
    gallery.blueprint,
    # judging: juries, their API, the organisers' judging pages, the results
    jury.blueprint,
    jury.api_blueprint,
    judging_admin_blueprint,
    results.blueprint,
    judging_feedback.blueprint,
    judging_feedback.admin_blueprint,
    # live: the boards and the cockpit
    live_board.blueprint,
    cockpit_blueprint,
    # presence: the week's sessions, door screens, check-ins, absences
    presence_blueprint,
    # announcements, incubation, privacy
    announcements_blueprint,
    incubation_blueprint,
    privacy_blueprint,
    # scheduling: the organisers' schedule of a round, the pitches of juries and teams,
    # the room screens and calendar feeds
    scheduling_admin_blueprint,
    scheduling_blueprint,
    scheduling_public_blueprint,
    # attestations: the students' PDF, the public verification
    attestations_blueprint,
    # mentoring: the teams' help requests, the mentors' queue and office hours
    mentoring_blueprint,
]
