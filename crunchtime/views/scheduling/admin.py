"""Organisers' schedule of a round, /organizer/judging/rounds/<id>/schedule: the window,
the juries' unavailabilities, computing, the preview, moves and locks, publishing."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from crunchtime.access import restrict_blueprint
from crunchtime.errors import DomainError
from crunchtime.services.editions.current import require_current_edition
from crunchtime.services.judging.rounds import get_round
from crunchtime.services.scheduling import plan, setup
from crunchtime.services.scheduling.instance import edition_jury_names
from crunchtime.services.scheduling.preview import schedule_preview
from crunchtime.services.scheduling.words import (
    SCHEDULE_STATUS_LABELS,
    SLOT_STATE_LABELS,
    SOLVER_STATUS_LABELS,
    publish_acknowledgement,
)
from crunchtime.views.forms import EmptyForm, attach_error
from crunchtime.views.scheduling.forms import (
    GuardForm,
    LockForm,
    MoveForm,
    UnavailabilityForm,
    WindowForm,
)
from crunchtime.views.submissions.admin.forms import from_paris, to_paris
from crunchtime.views.templating import paris_clock

blueprint = Blueprint("scheduling_admin", __name__,
                      url_prefix="/organizer/judging/rounds/<int:round_id>/schedule")
restrict_blueprint(blueprint, "organizer")


@blueprint.context_processor
def schedule_words() -> dict:
    return {"SCHEDULE_STATUS_LABELS": SCHEDULE_STATUS_LABELS,
            "SLOT_STATE_LABELS": SLOT_STATE_LABELS,
            "SOLVER_STATUS_LABELS": SOLVER_STATUS_LABELS}


def _round(round_id: int):
    return get_round(require_current_edition(), round_id)


def _window_form(schedule) -> WindowForm:
    return WindowForm(formdata=None, window_start=to_paris(schedule.window_start),
                      window_end=to_paris(schedule.window_end),
                      slot_minutes=schedule.slot_minutes, breaks=setup.breaks_text(schedule))


def _unavailability_form(edition, form=None) -> UnavailabilityForm:
    form = form or UnavailabilityForm(formdata=None)
    names = _jury_choices(edition)
    form.jury.choices = [(0, _("Choose a jury")), *names]
    return form


def _jury_choices(edition) -> list[tuple[int, str]]:
    return sorted(edition_jury_names(edition.id).items(), key=lambda item: item[1].lower())


def _render(judging_round, window_form=None, unavailability_form=None, reasons=None,
            status=200):
    edition = require_current_edition()
    schedule = setup.round_schedule(judging_round)
    preview = schedule_preview(judging_round, schedule)
    guard = GuardForm(formdata=None)
    guard.acknowledge.label.text = publish_acknowledgement(preview.teams_placed,
                                                           preview.juries)
    return render_template(
        "scheduling/admin/schedule.html", judging_round=judging_round, schedule=schedule,
        preview=preview, window_form=window_form or _window_form(schedule),
        unavailability_form=_unavailability_form(edition, unavailability_form),
        unavailabilities=setup.round_unavailabilities(judging_round),
        juries=dict(_jury_choices(edition)), guard_form=guard,
        compute_form=GuardForm(formdata=None), remove_form=EmptyForm(), reasons=reasons or [],
        rooms=setup.edition_rooms(edition), edition=edition), status


@blueprint.route("", methods=["GET", "POST"])
def schedule(round_id: int):
    judging_round = _round(round_id)
    form = WindowForm()
    if form.validate_on_submit():
        try:
            setup.save_settings(current_user, judging_round, from_paris(form.window_start.data),
                                from_paris(form.window_end.data), form.slot_minutes.data,
                                form.breaks.data or "")
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(_("Window saved. Compute the schedule to place the pitches."), "success")
            return redirect(url_for(".schedule", round_id=round_id))
    return _render(judging_round, window_form=form if form.is_submitted() else None)


def _refusal(judging_round, error: DomainError):
    """A refusal with reasons is shown as sentences on the page; others are flashed."""
    reasons = error.details.get("reasons")
    if reasons:
        return _render(judging_round, reasons=reasons, status=409)
    flash(error.message, "error")
    return redirect(url_for(".schedule", round_id=judging_round.id))


@blueprint.route("/compute", methods=["POST"])
def compute(round_id: int):
    judging_round = _round(round_id)
    form = GuardForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        result = plan.compute_schedule(current_user, judging_round,
                                       acknowledge=form.acknowledge.data)
    except DomainError as error:
        return _refusal(judging_round, error)
    flash(_("Schedule computed (%(status)s in %(seconds)s s). Check it, then publish it.",
            status=SOLVER_STATUS_LABELS.get(result.figures.get("status"), ""),
            seconds=result.figures.get("seconds")), "success")
    return redirect(url_for(".schedule", round_id=round_id))


@blueprint.route("/publish", methods=["POST"])
def publish(round_id: int):
    judging_round = _round(round_id)
    form = GuardForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        plan.publish_schedule(current_user, judging_round, acknowledge=form.acknowledge.data)
    except DomainError as error:
        return _refusal(judging_round, error)
    flash(_("Schedule published: juries and teams now see their pitches."), "success")
    return redirect(url_for(".schedule", round_id=round_id))


def _move_form(instance_slots, rooms, slot, form=None) -> MoveForm:
    form = form or MoveForm(formdata=None, room=slot.room_id,
                            start=slot.starts_at.isoformat())
    form.room.choices = [(room.id, f"{room.name} ({room.site})" if room.site else room.name)
                         for room in rooms if room.active]
    form.start.choices = [(start.isoformat(), paris_clock(start)) for start in instance_slots]
    return form


@blueprint.route("/slots/<int:slot_id>", methods=["GET", "POST"])
def slot(round_id: int, slot_id: int):
    judging_round = _round(round_id)
    pitch_slot = plan.get_slot(judging_round, slot_id)
    schedule = setup.round_schedule(judging_round)
    preview = schedule_preview(judging_round, schedule)
    form = _move_form(preview.starts, setup.edition_rooms(require_current_edition()),
                      pitch_slot, MoveForm() if request.method == "POST" else None)
    reasons = []
    if form.validate_on_submit():
        try:
            affected = plan.move_slot(current_user, judging_round, pitch_slot, form.room.data,
                                      datetime.fromisoformat(form.start.data),
                                      acknowledge=form.acknowledge.data)
        except DomainError as error:
            reasons = error.details.get("reasons") or []
            if not reasons:
                attach_error(form, error)
        else:
            flash(_("Pitch moved and locked in its new place. %(affected)s",
                    affected=affected.sentence), "success")
            return redirect(url_for(".schedule", round_id=round_id))
    return render_template("scheduling/admin/slot.html", judging_round=judging_round,
                           schedule=schedule, slot=preview.slot(slot_id), form=form,
                           lock_form=LockForm(formdata=None), reasons=reasons), (
        409 if reasons else 200)


@blueprint.route("/slots/<int:slot_id>/lock", methods=["POST"])
def lock(round_id: int, slot_id: int):
    judging_round = _round(round_id)
    pitch_slot = plan.get_slot(judging_round, slot_id)
    form = LockForm()
    if not form.validate_on_submit():
        abort(400)
    locked = form.locked.data == "1"
    plan.set_slot_lock(current_user, judging_round, pitch_slot, locked)
    flash(_("Pitch locked: a new computation keeps it where it is.") if locked
          else _("Pitch unlocked: a new computation may move it."), "success")
    return redirect(url_for(".schedule", round_id=round_id))


@blueprint.route("/unavailabilities", methods=["POST"])
def add_unavailability(round_id: int):
    judging_round = _round(round_id)
    form = _unavailability_form(require_current_edition(), UnavailabilityForm())
    if form.validate_on_submit():
        try:
            setup.add_unavailability(current_user, judging_round, form.jury.data,
                                     from_paris(form.starts_at.data),
                                     from_paris(form.ends_at.data), form.note.data or "")
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(_("Unavailability added. Compute the schedule again to take it into "
                    "account."), "success")
            return redirect(url_for(".schedule", round_id=round_id))
    return _render(judging_round, unavailability_form=form, status=400)


@blueprint.route("/unavailabilities/<int:period_id>/remove", methods=["POST"])
def remove_unavailability(round_id: int, period_id: int):
    judging_round = _round(round_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    setup.remove_unavailability(current_user, judging_round, period_id)
    flash(_("Unavailability removed."), "success")
    return redirect(url_for(".schedule", round_id=round_id))
