"""The schedule's test world (the app side): an edition in judging, six teams on two
challenges, three juries, round 1 open and assigned, two rooms of one table, and a window of
six 20-minute slots on the pitch day. Modules import the fixture `plan` (plan_fixture) from here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from crunchtime.extensions import db as _db
from crunchtime.i18n import PARIS
from crunchtime.models import PitchSlot, Room
from crunchtime.services.scheduling import plan as plan_service
from crunchtime.services.scheduling.setup import save_settings
from tests import factories
from tests.judging.conftest import assign, enter, make_round

DAY = (2026, 12, 18)


def paris(hour: int, minute: int = 0) -> datetime:
    return datetime(*DAY, hour, minute, tzinfo=PARIS).astimezone(UTC)


@dataclass
class PlanWorld:
    edition: object
    round: object
    teams: list
    juries: list
    students: list
    rooms: list
    organizer: object

    def slots(self) -> list[PitchSlot]:
        return list(
            _db.session.scalars(
                sa.select(PitchSlot)
                .where(PitchSlot.round_id == self.round.id)
                .order_by(PitchSlot.starts_at, PitchSlot.room_id)
            )
        )

    def slot_of(self, team) -> PitchSlot:
        return next(slot for slot in self.slots() if slot.team_id == team.id)

    def compute(self):
        return plan_service.compute_schedule(self.organizer, self.round)

    def publish(self):
        return plan_service.publish_schedule(self.organizer, self.round, acknowledge=True)


def jury_name(user) -> str:
    return f"{user.first_name} {user.last_name}"


@pytest.fixture(name="plan")
def plan_fixture(db, app, monkeypatch) -> PlanWorld:
    monkeypatch.setitem(app.config, "SCHEDULE_TIME_LIMIT_SECONDS", 5)
    edition = factories.edition(phase="judging")
    organisations = [factories.organisation("Alstom"), factories.organisation("Optymo")]
    challenges = [factories.challenge(edition, o) for o in organisations]
    students = [factories.student(edition) for _ in range(2)]
    teams = [
        factories.team(edition, challenges[i // 3], members=[students[i]] if i < 2 else [])
        for i in range(6)
    ]
    juries = [factories.jury(edition) for _ in range(3)]
    judging_round = make_round(edition)
    enter(judging_round, *teams)
    for team in teams[:3]:
        assign(judging_round, juries[0], team)
    for team in teams[3:]:
        assign(judging_round, juries[1], team)
    assign(judging_round, juries[2], teams[0])
    assign(judging_round, juries[2], teams[3])
    rooms = [
        Room(edition_id=edition.id, name="B 204", site="Belfort", capacity=30, tables=1),
        Room(edition_id=edition.id, name="A 201", site="Sevenans", capacity=30, tables=1),
    ]
    _db.session.add_all(rooms)
    _db.session.commit()
    organizer = factories.organizer()
    save_settings(organizer, judging_round, paris(9), paris(11), 20, "")
    return PlanWorld(edition, judging_round, teams, juries, students, rooms, organizer)
