"""Published results, for students and companies (and every signed-in role)."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from crunchtime.access import role_required
from crunchtime.services.editions.current import current_edition
from crunchtime.services.judging.results import published_results, teams_of_viewer
from crunchtime.views.judging import display as judging_display

blueprint = Blueprint("results", __name__, url_prefix="/results")
blueprint.context_processor(judging_display.template_globals)


@blueprint.route("/")
@role_required("student", "company", "jury", "organizer")
def index():
    edition = current_edition()
    results = published_results(edition) if edition is not None else None
    return render_template("judging/results/index.html", edition=edition, results=results,
                           mine=teams_of_viewer(current_user, edition) if edition else set())
