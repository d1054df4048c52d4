"""The public gallery of projects (blueprint "gallery", /gallery), open to everyone once
the results are published."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from crunchtime.files.serving import send_stored_file
from crunchtime.services.editions.current import current_edition
from crunchtime.services.submissions import gallery

blueprint = Blueprint("gallery", __name__, url_prefix="/gallery")
PER_PAGE = 24


def _number(name: str) -> int | None:
    value = request.args.get(name, "")
    return int(value) if value.isdigit() and 0 < int(value) < 2**31 else None


@blueprint.route("/")
def index():
    edition = current_edition()
    if not gallery.gallery_is_open(edition):
        return render_template("submissions/gallery/closed.html", edition=edition)
    projects = gallery.gallery_projects(edition)
    filters = gallery.GalleryFilters(request.args.get("q", "")[:200], _number("challenge"),
                                     _number("organisation"))
    shown = gallery.filter_projects(projects, filters)
    page = _number("page") or 1
    pages = max(1, -(-len(shown) // PER_PAGE))
    page = min(page, pages)
    challenges, organisations = gallery.filter_choices(projects)
    arguments = {k: v for k, v in request.args.items() if v and k != "page"}
    return render_template(
        "submissions/gallery/index.html", edition=edition, filters=filters, challenges=challenges,
        organisations=organisations, total=len(shown), page=page, pages=pages,
        projects=shown[(page - 1) * PER_PAGE:page * PER_PAGE], arguments=arguments)


@blueprint.route("/images/<int:file_id>")
def image(file_id: int):
    row = gallery.gallery_image(current_edition(), file_id)
    return send_stored_file(row.stored_name, row.content_type, row.original_name)
