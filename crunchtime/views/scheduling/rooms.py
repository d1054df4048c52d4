"""The edition's rooms, from a round's schedule: list, add, edit, remove (its pitches move
to the other rooms once the organiser confirmed who is affected)."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from crunchtime.errors import DomainError
from crunchtime.services.editions.current import require_current_edition
from crunchtime.services.scheduling import removal, setup
from crunchtime.views.forms import attach_error
from crunchtime.views.scheduling.admin import _round, blueprint
from crunchtime.views.scheduling.forms import RemoveRoomForm, RoomForm


def _room_input(form: RoomForm) -> setup.RoomInput:
    return setup.RoomInput(name=form.name.data or "", site=form.site.data or "",
                           capacity=form.capacity.data, tables=form.tables.data)


@blueprint.route("/rooms", methods=["GET", "POST"])
def rooms(round_id: int):
    judging_round = _round(round_id)
    edition = require_current_edition()
    form = RoomForm()
    if form.validate_on_submit():
        try:
            room = setup.add_room(current_user, edition, _room_input(form))
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(_("Room “%(name)s” added.", name=room.name), "success")
            return redirect(url_for(".rooms", round_id=round_id))
    return render_template("scheduling/admin/rooms.html", judging_round=judging_round,
                           rooms=setup.edition_rooms(edition), form=form)


@blueprint.route("/rooms/<int:room_id>", methods=["GET", "POST"])
def room(round_id: int, room_id: int):
    judging_round = _round(round_id)
    edition = require_current_edition()
    room = setup.get_room(edition, room_id)
    form = RoomForm(obj=room)
    remove_form = RemoveRoomForm(formdata=None)
    if form.validate_on_submit():
        try:
            setup.update_room(current_user, edition, room, _room_input(form))
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(_("Room saved."), "success")
            return redirect(url_for(".rooms", round_id=round_id))
    return render_template("scheduling/admin/room.html", judging_round=judging_round,
                           room=room, form=form, remove_form=remove_form,
                           affected=removal.room_affected(room))


@blueprint.route("/rooms/<int:room_id>/remove", methods=["POST"])
def remove_room(round_id: int, room_id: int):
    judging_round = _round(round_id)
    edition = require_current_edition()
    room = setup.get_room(edition, room_id)
    remove_form = RemoveRoomForm()
    if remove_form.validate_on_submit():
        try:
            affected = removal.remove_room(current_user, edition, room,
                                           acknowledge=remove_form.acknowledge.data)
        except DomainError as error:
            reasons = error.details.get("reasons")
            if reasons:
                remove_form.form_errors.extend(reasons)
            else:
                attach_error(remove_form, error)
        else:
            flash(_("Room removed. %(affected)s", affected=affected.sentence), "success")
            return redirect(url_for(".rooms", round_id=round_id))
    return render_template("scheduling/admin/room.html", judging_round=judging_round,
                           room=room, form=RoomForm(obj=room, formdata=None),
                           remove_form=remove_form, affected=removal.room_affected(room)), 409
