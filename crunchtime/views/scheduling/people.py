"""What juries and students see of the published schedule: a jury's pitches with the
buttons to mark one done or running late, each person's calendar file and feed address."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from crunchtime.access import role_required
from crunchtime.errors import DomainError
from crunchtime.services.editions.current import current_edition, require_current_edition
from crunchtime.services.scheduling.calendar import feed_token, person_calendar
from crunchtime.services.scheduling.pitches import jury_pitches, mark_pitch
from crunchtime.services.scheduling.words import SLOT_STATE_LABELS
from crunchtime.views.scheduling.forms import PitchStateForm

blueprint = Blueprint("scheduling", __name__)


def calendar_response(body: bytes, name: str = "pitches.ics") -> Response:
    return Response(body, mimetype="text/calendar", headers={
        "Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"})


@blueprint.route("/jury/schedule")
@role_required("jury")
def jury_schedule():
    edition = current_edition()
    return render_template("scheduling/jury.html", pitches=jury_pitches(current_user, edition),
                           state_form=PitchStateForm(formdata=None),
                           states=SLOT_STATE_LABELS, feed=feed_token(current_user))


@blueprint.route("/jury/schedule/pitches/<int:slot_id>/state", methods=["POST"])
@role_required("jury")
def pitch_state(slot_id: int):
    form = PitchStateForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        mark_pitch(current_user, require_current_edition(), slot_id, form.state.data)
    except DomainError as error:
        if error.status == 404:
            raise
        flash(error.message, "error")
    else:
        flash(_("Pitch marked: %(state)s.", state=SLOT_STATE_LABELS[form.state.data]),
              "success")
    return redirect(url_for("scheduling.jury_schedule"))


@blueprint.route("/schedule/calendar.ics")
@role_required("jury", "student")
def my_calendar():
    return calendar_response(person_calendar(current_user, current_edition()))
