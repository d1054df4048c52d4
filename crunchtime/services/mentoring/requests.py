"""A team's help requests: opened by a member (one in progress per team, held by a partial
unique index), claimed by one mentor (a conditional UPDATE: a second claim gets 409 and the
first mentor's name), resolved with a note or handed back with its original waiting time;
every change is committed, then published to the team's room and the mentors' rooms."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import format_time
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from crunchtime.errors import Conflict, InvalidInput, NotFound, PhaseClosed
from crunchtime.extensions import db
from crunchtime.models import Challenge, Edition, HelpRequest, Team, User
from crunchtime.models.base import utcnow
from crunchtime.models.mentoring import URGENCIES, WAITING_STATUSES
from crunchtime.realtime.publish import publish_all
from crunchtime.realtime.rooms import ORGANIZERS, mentors_room, team_room
from crunchtime.services.mentoring.mentors import Mentor, require_mentor
from crunchtime.services.mentoring.tags import matches, parse_tags

TOPIC_MAX = 300
LOCATION_MAX = 120
NOTE_MAX = 1000
# Teams ask for help while they build and until their pitch.
OPEN_PHASES = ("building", "judging")


@dataclass(frozen=True)
class RequestDraft:
    topic: str
    location: str
    urgency: str = "normal"
    tags: str = ""


def _require_open_phase(edition: Edition) -> None:
    if edition.phase not in OPEN_PHASES:
        raise PhaseClosed(_("Help requests are open while the teams build and pitch."))


def _check(draft: RequestDraft) -> tuple[str, str, list[str]]:
    topic, location = " ".join(draft.topic.split()), " ".join(draft.location.split())
    if not topic:
        raise InvalidInput(_("Say what you need help with."), field="topic")
    if len(topic) > TOPIC_MAX:
        raise InvalidInput(_("At most %(n)d characters.", n=TOPIC_MAX), field="topic")
    if not location:
        raise InvalidInput(_("Say where the mentor can find you."), field="location")
    if len(location) > LOCATION_MAX:
        raise InvalidInput(_("At most %(n)d characters.", n=LOCATION_MAX), field="location")
    if draft.urgency not in URGENCIES:
        raise InvalidInput(_("Choose how urgent it is."), field="urgency")
    return topic, location, parse_tags(draft.tags)


def _already_open() -> Conflict:
    return Conflict(_("Your team already has a help request in progress: cancel it or wait "
                      "until it is resolved before asking again."))


def current_request(team: Team) -> HelpRequest | None:
    return db.session.scalar(sa.select(HelpRequest).where(
        HelpRequest.team_id == team.id, HelpRequest.status.in_(WAITING_STATUSES)))


def open_help_request(user: User, team: Team, edition: Edition,
                      draft: RequestDraft) -> HelpRequest:
    """A member asks for help; a second request while one is in progress is refused."""
    _require_open_phase(edition)
    topic, location, tags = _check(draft)
    if current_request(team) is not None:
        raise _already_open()
    item = HelpRequest(edition_id=edition.id, team_id=team.id, author_id=user.id,
                       topic=topic, location=location, urgency=draft.urgency, tags=tags,
                       status="open", opened_at=utcnow())
    db.session.add(item)
    try:
        db.session.commit()
    except IntegrityError:  # a teammate's request committed meanwhile: the index refused ours
        db.session.rollback()
        raise _already_open() from None
    _publish(item, "opened")
    return item


def _load(request_id: int, edition: Edition) -> HelpRequest:
    item = db.session.get(HelpRequest, request_id)
    if item is None or item.edition_id != edition.id:
        raise NotFound(_("This help request does not exist."))
    return item


def _challenge_of(item: HelpRequest) -> int:
    return item.team.challenge_id


def _visible_to(mentor: Mentor, item: HelpRequest) -> bool:
    return mentor.challenge_ids is None or _challenge_of(item) in mentor.challenge_ids


def _mentor_request(user: User, edition: Edition, request_id: int) -> HelpRequest:
    mentor = require_mentor(user, edition)
    item = _load(request_id, edition)
    if not _visible_to(mentor, item):
        raise NotFound(_("This help request does not exist."))
    return item


def _update(request_id: int, where, **values) -> bool:
    """One conditional UPDATE: whether this call changed the row (the race's winner)."""
    result = db.session.execute(
        sa.update(HelpRequest).where(HelpRequest.id == request_id, *where).values(**values)
        .execution_options(synchronize_session=False))
    return result.rowcount == 1


def _closed_message(item: HelpRequest) -> str:
    if item.status == "cancelled":
        return _("The team cancelled this request.")
    return _("This request is already resolved.")


def claim_help_request(user: User, edition: Edition, request_id: int) -> HelpRequest:
    """First come, first served: the UPDATE only applies to a request still open."""
    item = _mentor_request(user, edition, request_id)
    now = utcnow()
    won = _update(request_id, [HelpRequest.status == "open"], status="claimed",
                  mentor_id=user.id, claimed_at=now)
    db.session.commit()
    db.session.refresh(item)
    if not won:
        if item.status == "claimed" and item.mentor_id == user.id:
            return item
        if item.status == "claimed":
            name = item.mentor.full_name if item.mentor else _("another mentor")
            raise Conflict(_("%(name)s already took this request at %(time)s.", name=name,
                             time=format_time(item.claimed_at, "short")),
                           mentor=name)
        raise Conflict(_closed_message(item))
    _publish(item, "claimed")
    return item


def _holder_condition(user: User):
    """The mentor who took a request; organisers may act on anyone's (someone left)."""
    held = [HelpRequest.status == "claimed"]
    if user.role != "organizer":
        held.append(HelpRequest.mentor_id == user.id)
    return held


def _not_held(item: HelpRequest) -> Conflict:
    if item.status == "open":
        return Conflict(_("This request is back in the queue: claim it first."))
    if item.status == "claimed":
        return Conflict(_("%(name)s took this request, not you.",
                          name=item.mentor.full_name if item.mentor else "?"))
    return Conflict(_closed_message(item))


def hand_back_help_request(user: User, edition: Edition, request_id: int) -> HelpRequest:
    """The request returns to the queue, keeping its original waiting time."""
    item = _mentor_request(user, edition, request_id)
    won = _update(request_id, _holder_condition(user), status="open", mentor_id=None,
                  claimed_at=None, handbacks=HelpRequest.handbacks + 1)
    db.session.commit()
    db.session.refresh(item)
    if not won:
        raise _not_held(item)
    _publish(item, "handed_back")
    return item


def resolve_help_request(user: User, edition: Edition, request_id: int,
                         note: str) -> HelpRequest:
    note = (note or "").strip()
    if not note:
        raise InvalidInput(_("Write a short note on what was done."), field="note")
    if len(note) > NOTE_MAX:
        raise InvalidInput(_("At most %(n)d characters.", n=NOTE_MAX), field="note")
    item = _mentor_request(user, edition, request_id)
    won = _update(request_id, _holder_condition(user), status="resolved",
                  resolved_at=utcnow(), resolution_note=note)
    db.session.commit()
    db.session.refresh(item)
    if not won:
        raise _not_held(item)
    _publish(item, "resolved")
    return item


def cancel_help_request(user: User, team: Team, request_id: int) -> HelpRequest:
    """A member withdraws the team's request (waiting or claimed)."""
    item = db.session.get(HelpRequest, request_id)
    if item is None or item.team_id != team.id:
        raise NotFound(_("This help request does not exist."))
    won = _update(request_id, [HelpRequest.status.in_(WAITING_STATUSES)], status="cancelled",
                  cancelled_at=utcnow())
    db.session.commit()
    db.session.refresh(item)
    if not won:
        raise Conflict(_closed_message(item))
    _publish(item, "cancelled")
    return item


def team_history(team: Team, limit: int = 20) -> list[HelpRequest]:
    """The team's finished requests, newest first."""
    return list(db.session.scalars(
        sa.select(HelpRequest).where(HelpRequest.team_id == team.id,
                                     HelpRequest.status.not_in(WAITING_STATUSES))
        .order_by(HelpRequest.opened_at.desc(), HelpRequest.id.desc()).limit(limit)))


@dataclass(frozen=True)
class QueueItem:
    request: HelpRequest
    waiting_seconds: int
    matches: bool


def _waiting(item: HelpRequest, moment: datetime) -> int:
    return max(0, int((moment - item.opened_at).total_seconds()))


def _visible_query(mentor: Mentor, edition: Edition):
    query = sa.select(HelpRequest).where(HelpRequest.edition_id == edition.id)
    if mentor.challenge_ids is not None:
        query = query.join(Team, Team.id == HelpRequest.team_id).where(
            Team.challenge_id.in_(mentor.challenge_ids or [-1]))
    return query


def mentor_queue(mentor: Mentor, edition: Edition, scope: str = "all",
                 moment: datetime | None = None) -> list[QueueItem]:
    """The open requests the mentor may take, longest waiting first. `scope`: "all",
    "mine" (matching the mentor's expertise) or one tag."""
    moment = moment or utcnow()
    rows = db.session.scalars(_visible_query(mentor, edition)
                              .where(HelpRequest.status == "open")
                              .order_by(HelpRequest.opened_at, HelpRequest.id))
    items = [QueueItem(row, _waiting(row, moment), matches(row.tags, mentor.tags))
             for row in rows]
    if scope == "mine":
        return [item for item in items if item.matches]
    if scope != "all":
        return [item for item in items if scope in item.request.tags]
    return items


def mentor_claims(mentor: Mentor, edition: Edition) -> list[HelpRequest]:
    """What the mentor has taken and not yet resolved, oldest first."""
    return list(db.session.scalars(
        sa.select(HelpRequest).where(HelpRequest.edition_id == edition.id,
                                     HelpRequest.status == "claimed",
                                     HelpRequest.mentor_id == mentor.user.id)
        .order_by(HelpRequest.claimed_at, HelpRequest.id)))


def mentor_resolved(mentor: Mentor, edition: Edition, limit: int = 10) -> list[HelpRequest]:
    return list(db.session.scalars(
        sa.select(HelpRequest).where(HelpRequest.edition_id == edition.id,
                                     HelpRequest.status == "resolved",
                                     HelpRequest.mentor_id == mentor.user.id)
        .order_by(HelpRequest.resolved_at.desc(), HelpRequest.id.desc()).limit(limit)))


def queue_tags(mentor: Mentor, edition: Edition) -> list[str]:
    """The tags of the open requests the mentor sees, for the filter."""
    rows = db.session.scalars(_visible_query(mentor, edition)
                              .where(HelpRequest.status == "open"))
    return sorted({tag for row in rows for tag in row.tags} | set(mentor.tags))


def live_payload(item: HelpRequest, change: str) -> dict:
    """What a page needs to decide to refresh itself (it then fetches its own view)."""
    return {"id": item.id, "team_id": item.team_id, "status": item.status, "change": change,
            "urgency": item.urgency, "tags": list(item.tags),
            "mentor": item.mentor.full_name if item.mentor_id and item.mentor else None}


def _publish(item: HelpRequest, change: str) -> None:
    challenge_id = db.session.scalar(sa.select(Challenge.id).join(Team).where(
        Team.id == item.team_id))
    payload = live_payload(item, change)
    events = [("help_request", payload, room)
              for room in (team_room(item.team_id), mentors_room(), mentors_room(challenge_id))]
    # The dashboard's charts refetch on "cockpit" (static/js/cockpit.js): waiting times move.
    events.append(("cockpit", {"changed": ["help_request"]}, ORGANIZERS))
    publish_all(events)
