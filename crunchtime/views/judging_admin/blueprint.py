"""The organisers' judging area, /organizer/judging."""

from __future__ import annotations

from flask import Blueprint

from crunchtime.access import role_required
from crunchtime.views import judging_display

blueprint = Blueprint("judging_admin", __name__, url_prefix="/organizer/judging")
blueprint.context_processor(judging_display.template_globals)


@blueprint.before_request
@role_required("organizer")
def organisers_only():
    return None
