"""The organisers' preview of a round's schedule: a grid of rooms × times (a list on a
phone), the figures of the computation, the teams still without a slot."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _

from crunchtime.errors import NotFound
from crunchtime.extensions import db
from crunchtime.models import Edition, JudgingRound, Room, RoundSchedule
from crunchtime.scheduling import build_slots
from crunchtime.services.scheduling.instance import (
    edition_jury_names,
    round_panels,
    round_slots,
    round_teams,
    team_label,
)
from crunchtime.services.scheduling.setup import breaks_of, edition_rooms


@dataclass(frozen=True)
class SlotCell:
    id: int
    team: str
    challenge_id: int
    juries: tuple[str, ...]
    room_id: int
    room: str
    table: int
    starts_at: datetime
    ends_at: datetime
    locked: bool
    state: str
    on_grid: bool


@dataclass
class Preview:
    starts: list[datetime] = field(default_factory=list)
    rooms: list[Room] = field(default_factory=list)
    cells: list[SlotCell] = field(default_factory=list)
    grid: dict[tuple[datetime, int], list[SlotCell]] = field(default_factory=dict)
    unplaced: list[str] = field(default_factory=list)
    teams_total: int = 0
    juries: int = 0
    jury_names: dict[str, str] = field(default_factory=dict)

    @property
    def teams_placed(self) -> int:
        return len(self.cells)

    @property
    def rows(self) -> list[datetime]:
        """The times of the grid: the window's slots, and any slot placed off them."""
        return sorted(set(self.starts) | {cell.starts_at for cell in self.cells})

    def slot(self, slot_id: int) -> SlotCell:
        cell = next((cell for cell in self.cells if cell.id == slot_id), None)
        if cell is None:
            raise NotFound(_("This slot does not exist."))
        return cell


def schedule_preview(judging_round: JudgingRound, schedule: RoundSchedule) -> Preview:
    edition = db.session.get(Edition, judging_round.edition_id)
    rooms = {room.id: room for room in edition_rooms(edition)}
    starts: list[datetime] = []
    if schedule.window_start and schedule.window_end:
        starts = [slot.start for slot in build_slots(
            schedule.window_start, schedule.window_end, schedule.slot_minutes,
            breaks_of(schedule))]
    on_grid = set(starts)
    names = edition_jury_names(judging_round.edition_id)
    teams, panels = round_teams(judging_round), round_panels(judging_round)
    preview = Preview(starts=starts, teams_total=len(teams))
    grid: dict[tuple[datetime, int], list[SlotCell]] = defaultdict(list)
    for slot in round_slots(judging_round):
        team = teams.get(slot.team_id)
        room = rooms[slot.room_id]
        cell = SlotCell(
            id=slot.id, team=team_label(team) if team else str(slot.team_id),
            challenge_id=team.challenge_id if team else 0,
            juries=tuple(names.get(j, "") for j in panels.get(slot.team_id, ())),
            room_id=room.id, room=room.name, table=slot.table_number,
            starts_at=slot.starts_at, ends_at=slot.ends_at, locked=slot.locked,
            state=slot.state, on_grid=slot.starts_at in on_grid)
        preview.cells.append(cell)
        grid[slot.starts_at, room.id].append(cell)
    placed = {slot_cell.team for slot_cell in preview.cells}
    preview.unplaced = [team_label(t) for t in teams.values() if team_label(t) not in placed]
    used = {cell.room_id for cell in preview.cells}
    preview.rooms = [room for room in rooms.values() if room.active or room.id in used]
    preview.grid = dict(grid)
    preview.juries = len({j for team in teams for j in panels.get(team, ())})
    return preview

