"""Addresses that work without a session: the screen at a room's door (public, like the big
screen /live: it shows what the door's printed sign would — times, team codes and names,
challenges — and no jury names), and each person's calendar feed behind its secret token."""

from __future__ import annotations

from flask import Blueprint, render_template

from crunchtime.services.editions.current import current_edition
from crunchtime.services.scheduling.calendar import feed_user, person_calendar
from crunchtime.services.scheduling.pitches import get_public_room, room_screen
from crunchtime.views.scheduling.people import calendar_response

blueprint = Blueprint("scheduling_public", __name__)


@blueprint.route("/live/rooms/<int:room_id>")
def room_screen_page(room_id: int):
    edition = current_edition()
    room = get_public_room(room_id, edition)
    return render_template("scheduling/room_screen.html", screen=room_screen(room, edition),
                           edition=edition)


@blueprint.route("/calendar/<string:token>.ics")
def calendar_feed(token: str):
    user = feed_user(token)
    return calendar_response(person_calendar(user, current_edition()))
