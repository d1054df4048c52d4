"""A week of presence around now: a session over, one open, one to come; two points; a
team of three students; an organiser."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pytest

from crunchtime.models import CheckInPoint, Edition, PresenceSession, User
from crunchtime.models.base import utcnow
from crunchtime.presence import codes
from tests import factories


@dataclass
class Week:
    edition: Edition
    past: PresenceSession
    open: PresenceSession
    future: PresenceSession
    door: CheckInPoint
    hall: CheckInPoint
    students: list[User]
    organizer: User
    now: datetime

    def code(self, point=None, session=None, moment=None) -> codes.DoorCode:
        moment = moment or utcnow()
        return codes.DoorCode((point or self.door).id, (session or self.open).id,
                              codes.step_of(moment.timestamp()))


def add_session(db, edition, day: date, part: str, starts_at, ends_at) -> PresenceSession:
    row = PresenceSession(edition_id=edition.id, day=day, part=part, starts_at=starts_at,
                          ends_at=ends_at, label="")
    db.session.add(row)
    db.session.commit()
    return row


def make_week(db, phase: str = "building") -> Week:
    now = utcnow()
    edition = factories.edition(phase=phase)
    today = now.date()
    past = add_session(db, edition, today - timedelta(days=1), "morning",
                       now - timedelta(hours=27), now - timedelta(hours=24))
    open_ = add_session(db, edition, today, "morning", now - timedelta(hours=1),
                        now + timedelta(hours=2))
    future = add_session(db, edition, today + timedelta(days=1), "morning",
                         now + timedelta(hours=22), now + timedelta(hours=25))
    door = CheckInPoint(edition_id=edition.id, name="Entrée A", site="Bâtiment A")
    hall = CheckInPoint(edition_id=edition.id, name="Hall B", site="")
    db.session.add_all([door, hall])
    db.session.commit()
    students = [factories.student(edition) for _ in range(3)]
    factories.team(edition, members=students)
    return Week(edition, past, open_, future, door, hall, students, factories.organizer(), now)


@pytest.fixture
def week(db) -> Week:
    return make_week(db)
