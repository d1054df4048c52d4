"""The "team" blueprint; each request's arrival time is noted before its body is read."""

from __future__ import annotations

from flask import Blueprint

from crunchtime.services.submissions.deadlines import stamp_arrival
from crunchtime.views.teams import display as team_display

blueprint = Blueprint("team", __name__, url_prefix="/team")
blueprint.context_processor(team_display.template_globals)


@blueprint.url_value_preprocessor
def note_arrival(_endpoint, _values) -> None:
    """Runs before every before_request (CSRF reads the body there): a save is judged
    against the deadline by when it arrived, not by how long its upload took."""
    stamp_arrival()
