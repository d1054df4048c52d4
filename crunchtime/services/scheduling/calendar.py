"""Each person's pitches as an iCalendar file, and the secret address of their calendar
feed: a signed token naming the account, which a calendar application fetches without a
session (it can read nothing else)."""

from __future__ import annotations

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from icalendar import Calendar, Event
from itsdangerous import BadSignature, URLSafeSerializer

from crunchtime.errors import NotFound
from crunchtime.extensions import db
from crunchtime.models import Edition, User
from crunchtime.models.base import utcnow
from crunchtime.services.scheduling.pitches import PitchView, jury_pitches, team_pitches
from crunchtime.services.teams.space import team_of_student

FEED_SALT = "calendar-feed"
CALENDAR_ROLES = ("jury", "student")


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=FEED_SALT)


def feed_token(user: User) -> str:
    return _serializer().dumps({"u": user.id})


def feed_user(token: str) -> User:
    """The account a feed token names; any other token is unknown (404, as for a page)."""
    try:
        data = _serializer().loads(token)
    except BadSignature:
        raise NotFound(_("This calendar does not exist.")) from None
    user = db.session.get(User, data.get("u")) if isinstance(data, dict) else None
    if user is None or not user.active or user.role not in CALENDAR_ROLES:
        raise NotFound(_("This calendar does not exist."))
    return user


def person_pitches(user: User, edition: Edition | None) -> list[PitchView]:
    if user.role == "jury":
        return jury_pitches(user, edition)
    if user.role == "student":
        return team_pitches(team_of_student(user, edition), edition)
    return []


def _event(pitch: PitchView, edition: Edition, host: str) -> Event:
    event = Event()
    event.add("uid", f"pitch-{pitch.id}@{host}")
    event.add("dtstamp", utcnow())
    event.add("dtstart", pitch.starts_at)
    event.add("dtend", pitch.ends_at)
    team = f"{pitch.team_code} {pitch.team_name}".strip()
    event.add("summary", _("Pitch of %(team)s", team=team))
    place = f"{pitch.room}, {pitch.site}" if pitch.site else pitch.room
    if pitch.tables > 1:
        place = _("%(place)s, table %(table)d", place=place, table=pitch.table)
    event.add("location", place)
    lines = [edition.name, pitch.round_name, _("Challenge: %(title)s", title=pitch.challenge),
             _("Juries: %(names)s", names=", ".join(pitch.juries) or "—")]
    event.add("description", "\n".join(lines))
    return event


def person_calendar(user: User, edition: Edition | None) -> bytes:
    """The person's published pitches, in their language."""
    host = current_app.config.get("SERVER_NAME") or "crunchtime"
    with force_locale(user.locale or "fr"):
        calendar = Calendar()
        calendar.add("prodid", "-//Crunch Time//pitch schedule//FR")
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("x-wr-calname", _("Pitches — %(edition)s",
                                       edition=edition.name if edition else "Crunch Time"))
        if edition is not None:
            for pitch in person_pitches(user, edition):
                calendar.add_component(_event(pitch, edition, host))
    return calendar.to_ical()
