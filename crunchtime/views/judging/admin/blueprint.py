"""The organisers' judging area, /organizer/judging."""

from __future__ import annotations

from flask import Blueprint
from flask_babel import format_decimal

from crunchtime.access import restrict_blueprint
from crunchtime.views.judging import display as judging_display

blueprint = Blueprint("judging_admin", __name__, url_prefix="/organizer/judging")
blueprint.context_processor(judging_display.template_globals)
blueprint.context_processor(lambda: {"amount": format_decimal})


restrict_blueprint(blueprint, "organizer")
