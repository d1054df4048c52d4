"""The challenge catalogue students browse before ranking (organisers and juries too)."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user

from crunchtime.access import role_required
from crunchtime.files.serving import send_stored_file
from crunchtime.services.challenges import catalogue
from crunchtime.services.editions.current import require_current_edition
from crunchtime.views.challenges import display as challenge_display

blueprint = Blueprint("catalogue", __name__, url_prefix="/challenges")
blueprint.context_processor(challenge_display.template_globals)

BROWSING_ROLES = ("student", "jury", "organizer")


def _number(name: str) -> int | None:
    value = request.args.get(name, "")
    return int(value) if value.isdigit() and 0 < int(value) < 2**31 else None


def closed_page(edition):
    return render_template("challenges/catalogue/closed.html", edition=edition,
                           opens_with=catalogue.OPENS_WITH_PHASE)


@blueprint.route("/")
@role_required(*BROWSING_ROLES)
def index():
    edition = require_current_edition()
    if not catalogue.can_browse(current_user, edition):
        return closed_page(edition)
    filters = catalogue.CatalogueFilters(
        query=request.args.get("q", "")[:200], skill_id=_number("skill"),
        organisation_id=_number("organisation"),
    )
    skills, organisations = catalogue.filter_choices(edition)
    return render_template(
        "challenges/catalogue/index.html", edition=edition, filters=filters, skills=skills,
        organisations=organisations,
        pagination=catalogue.catalogue_page(edition, filters, _number("page") or 1),
        preview=not catalogue.catalogue_is_open(edition),
    )


@blueprint.route("/<code>")
@role_required(*BROWSING_ROLES)
def detail(code: str):
    edition = require_current_edition()
    if not catalogue.can_browse(current_user, edition):
        return closed_page(edition)
    challenge = catalogue.catalogue_challenge(edition, code)
    return render_template("challenges/catalogue/detail.html", challenge=challenge)


@blueprint.route("/attachments/<int:attachment_id>")
@role_required("student", "company", "jury", "organizer")
def attachment(attachment_id: int):
    """One address for everyone; the service decides who may download what."""
    found = catalogue.attachment_for(current_user, attachment_id)
    return send_stored_file(found.stored_name, found.content_type, found.original_name)
