"""The organisers define the week: its sessions (a default set of five days, morning and
afternoon, made by one button, then editable) and its check-in points."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from crunchtime.errors import Conflict, InvalidInput, NotFound
from crunchtime.extensions import db
from crunchtime.i18n import PARIS
from crunchtime.models import Absence, CheckIn, CheckInPoint, Edition, PresenceSession, User
from crunchtime.models.presence import SESSION_PARTS
from crunchtime.presence import window
from crunchtime.services.audit import record_audit
from crunchtime.services.incubation.flags import require_writable

NAME_MAX = 120


@dataclass(frozen=True)
class SessionDraft:
    day: date
    part: str
    starts_at: datetime
    ends_at: datetime
    label: str = ""


def edition_sessions(edition: Edition) -> list[PresenceSession]:
    return list(db.session.scalars(
        sa.select(PresenceSession).where(PresenceSession.edition_id == edition.id)
        .order_by(PresenceSession.starts_at, PresenceSession.id)))


def edition_points(edition: Edition) -> list[CheckInPoint]:
    return list(db.session.scalars(
        sa.select(CheckInPoint).where(CheckInPoint.edition_id == edition.id)
        .order_by(CheckInPoint.name, CheckInPoint.id)))


def load_session(edition: Edition, session_id: int) -> PresenceSession:
    row = db.session.get(PresenceSession, session_id)
    if row is None or row.edition_id != edition.id:
        raise NotFound(_("This session does not exist."))
    return row


def load_point(edition: Edition, point_id: int) -> CheckInPoint:
    row = db.session.get(CheckInPoint, point_id)
    if row is None or row.edition_id != edition.id:
        raise NotFound(_("This check-in point does not exist."))
    return row


def session_open_at(edition: Edition, moment: datetime) -> PresenceSession | None:
    """The session whose check-in window holds `moment` (sessions never overlap)."""
    for row in db.session.scalars(
            sa.select(PresenceSession).where(
                PresenceSession.edition_id == edition.id,
                PresenceSession.starts_at <= moment + window.OPENS_BEFORE,
                PresenceSession.ends_at >= moment)
            .order_by(PresenceSession.starts_at)):
        return row
    return None


def next_session(edition: Edition, moment: datetime) -> PresenceSession | None:
    return db.session.scalar(
        sa.select(PresenceSession).where(PresenceSession.edition_id == edition.id,
                                         PresenceSession.starts_at > moment)
        .order_by(PresenceSession.starts_at).limit(1))


def _check_draft(edition: Edition, draft: SessionDraft, ignore_id: int | None = None) -> None:
    if draft.part not in SESSION_PARTS:
        raise InvalidInput(_("Choose the morning or the afternoon."), field="part")
    if draft.ends_at <= draft.starts_at:
        raise InvalidInput(_("The session must end after it starts."), field="ends_at")
    if len(draft.label) > NAME_MAX:
        raise InvalidInput(_("At most %(n)d characters.", n=NAME_MAX), field="label")
    others = [other for other in edition_sessions(edition) if other.id != ignore_id]
    if any((other.day, other.part) == (draft.day, draft.part) for other in others):
        raise Conflict(_("This day already has a session for this part of the day."),
                       field="part")
    for other in others:
        if window.overlaps((other.starts_at, other.ends_at), (draft.starts_at, draft.ends_at)):
            raise Conflict(_("This session overlaps another one (%(day)s).",
                             day=other.starts_at.astimezone(PARIS).strftime("%d/%m %H:%M")),
                           field="starts_at")


def create_default_week(actor: User, edition: Edition, first_day: date) -> list[PresenceSession]:
    """Five days from `first_day`, a morning and an afternoon each (Paris times); refused
    once the edition has sessions (they are edited one by one then)."""
    require_writable(edition)
    if edition_sessions(edition):
        raise Conflict(_("The week already has sessions: edit them one by one."))
    rows = [PresenceSession(edition_id=edition.id, day=times.day, part=times.part,
                            starts_at=times.starts_at, ends_at=times.ends_at, label="")
            for times in window.default_week(first_day, PARIS)]
    db.session.add_all(rows)
    record_audit(actor, "presence.default_week", None, edition_id=edition.id,
                 first_day=first_day.isoformat(), sessions=len(rows))
    db.session.commit()
    return rows


def save_session(actor: User, edition: Edition, draft: SessionDraft,
                 session_id: int | None = None) -> PresenceSession:
    require_writable(edition)
    row = load_session(edition, session_id) if session_id else None
    _check_draft(edition, draft, ignore_id=session_id)
    if row is None:
        row = PresenceSession(edition_id=edition.id)
        db.session.add(row)
    row.day, row.part, row.label = draft.day, draft.part, draft.label.strip()
    row.starts_at, row.ends_at = draft.starts_at, draft.ends_at
    db.session.flush()
    record_audit(actor, "presence.session_saved", row, edition_id=edition.id,
                 day=draft.day.isoformat(), part=draft.part,
                 starts_at=draft.starts_at.isoformat(), ends_at=draft.ends_at.isoformat())
    db.session.commit()
    return row


def delete_session(actor: User, edition: Edition, session_id: int) -> None:
    """Deleting a session deletes its check-ins and absences: refused once it has any."""
    require_writable(edition)
    row = load_session(edition, session_id)
    used = db.session.scalar(sa.select(sa.func.count(CheckIn.id)).where(
        CheckIn.session_id == row.id)) + db.session.scalar(sa.select(
            sa.func.count(Absence.id)).where(Absence.session_id == row.id))
    if used:
        raise Conflict(_("Students checked in or declared an absence for this session: it "
                         "cannot be deleted any more."))
    record_audit(actor, "presence.session_deleted", row, edition_id=edition.id,
                 day=row.day.isoformat(), part=row.part)
    db.session.delete(row)
    db.session.commit()


def save_point(actor: User, edition: Edition, name: str, site: str,
               point_id: int | None = None) -> CheckInPoint:
    require_writable(edition)
    name, site = (name or "").strip(), (site or "").strip()
    if not name:
        raise InvalidInput(_("Name the check-in point."), field="name")
    if len(name) > NAME_MAX or len(site) > NAME_MAX:
        raise InvalidInput(_("At most %(n)d characters.", n=NAME_MAX), field="name")
    taken = db.session.scalar(sa.select(CheckInPoint.id).where(
        CheckInPoint.edition_id == edition.id, sa.func.lower(CheckInPoint.name) == name.lower(),
        CheckInPoint.id != (point_id or 0)))
    if taken:
        raise Conflict(_("Another check-in point already has this name."), field="name")
    row = load_point(edition, point_id) if point_id else CheckInPoint(edition_id=edition.id)
    row.name, row.site = name, site
    db.session.add(row)
    db.session.flush()
    record_audit(actor, "presence.point_saved", row, edition_id=edition.id, name=name,
                 site=site)
    db.session.commit()
    return row
