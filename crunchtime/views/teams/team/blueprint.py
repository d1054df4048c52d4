"""The "team" blueprint; each request is dated once its body has finished arriving."""

from __future__ import annotations

from flask import Blueprint, request

from crunchtime.services.submissions.deadlines import stamp_arrival
from crunchtime.views.teams import display as team_display

blueprint = Blueprint("team", __name__, url_prefix="/team")
blueprint.context_processor(team_display.template_globals)


@blueprint.before_request
def note_arrival() -> None:
    """A save is judged against the deadline by when all of it had arrived: an upload
    trickled for hours does not count from its first byte. The team's endpoints take forms;
    parsing one (CSRF usually has, just before) reads its body to the end, files spooled
    to disk, within the endpoint's body limit."""
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        request.form  # noqa: B018  (read for its effect: the whole body)
    stamp_arrival()
