"""The "submissions_admin" blueprint, for organisers only, under /organizer/submissions."""

from __future__ import annotations

from flask import Blueprint

from crunchtime.access import restrict_blueprint
from crunchtime.views.teams import display as team_display

blueprint = Blueprint("submissions_admin", __name__, url_prefix="/organizer/submissions")
blueprint.context_processor(team_display.template_globals)


restrict_blueprint(blueprint, "organizer")
