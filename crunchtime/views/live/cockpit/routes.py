"""The organisers' cockpit: the dashboard's live charts (organizer.dashboard draws the page,
cockpit.panels the charts); exports of any edition (CSV, comma or semicolon) and the
archiving of closed editions."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user

from crunchtime.access import role_required
from crunchtime.errors import DomainError
from crunchtime.extensions import db
from crunchtime.models import Edition
from crunchtime.models.base import utcnow
from crunchtime.services.editions import archive
from crunchtime.services.editions.current import current_edition
from crunchtime.services.exchange.exports import EXPORTS, get_export
from crunchtime.services.live.cockpit import cockpit
from crunchtime.services.mentoring.figures import mentoring_figures
from crunchtime.services.presence.overview import presence_figures
from crunchtime.views.downloads import csv_download, requested_delimiter
from crunchtime.views.editions.organizer.forms import ArchiveForm
from crunchtime.views.live.cockpit.charts import all_charts

blueprint = Blueprint("cockpit", __name__, url_prefix="/organizer/cockpit")


@blueprint.context_processor
def chart_helpers() -> dict:
    return {"short_day": lambda day: format_date(day, "d MMM")}


@blueprint.before_request
@role_required("organizer")
def organisers_only():
    return None


def _values() -> dict:
    edition = current_edition()
    if edition is None:
        return {"edition": None}
    moment = utcnow()
    figures = cockpit(edition, moment)
    return {"edition": edition, "figures": figures, "charts": all_charts(figures),
            "moment": moment, "presence": presence_figures(edition, moment),
            "mentoring": mentoring_figures(edition, moment)}


@blueprint.route("/")
def index():
    """The cockpit is now the charts section of the one dashboard."""
    return redirect(url_for("organizer.dashboard", _anchor="charts"))


@blueprint.route("/panels")
def panels():
    """The figures alone: the page's script fetches them again on each live event."""
    values = _values()
    if values["edition"] is None:
        abort(404)
    return render_template("live/cockpit/_panels.html", **values)


@blueprint.route("/exports")
def exports():
    editions = archive.editions_for_export()
    return render_template("live/cockpit/exports.html", editions=editions, exports=EXPORTS,
                           archive_form=ArchiveForm())


@blueprint.route("/exports/<int:edition_id>/<kind>.csv")
def export_csv(edition_id: int, kind: str):
    edition = db.session.get(Edition, edition_id) or abort(404)
    export = get_export(kind)
    name = f"{kind}-{edition.year}.csv"
    return csv_download(name, export.header, export.rows(edition),
                        delimiter=requested_delimiter())


@blueprint.route("/editions/<int:edition_id>/archive", methods=["POST"])
def archive_edition(edition_id: int):
    form = ArchiveForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        edition = archive.archive_edition(current_user, edition_id,
                                          confirmed=form.confirm.data)
    except DomainError as error:
        flash(error.message, "error")
    else:
        flash(_("“%(name)s” is archived: it stays readable and feeds the incubation model.",
                name=edition.name), "success")
    return redirect(url_for("cockpit.exports", _anchor=f"edition-{edition_id}"))
