"""Validate placements (an organiser's move, a solver's answer): every clash named."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from crunchtime.scheduling.problem import Clash, Placement, Problem


def check_placements(problem: Problem, placements: Iterable[Placement]) -> list[Clash]:
    """Every clash of ``placements`` against the hard constraints; [] when all is fine.

    People of each clash, in order: ``team_busy`` (team); ``out_of_window`` (team);
    ``unknown_room`` (team, room); ``jury_unavailable`` (jury, team); ``jury_busy``
    (jury, teams at that slot...); ``room_full`` (room, teams at that slot...).
    The slot and room of a clash are those of the last placement involved, the one
    an organiser's move appends. Teams without a pitch in ``problem`` are ignored
    for jury checks (they have no juries).
    """
    placements = list(placements)
    pitches = {pitch.team: pitch for pitch in problem.pitches}
    tables = {room.key: room.tables for room in problem.rooms}
    slot_count = len(problem.slots)
    clashes: list[Clash] = []
    seen_teams: set[str] = set()
    by_jury_slot: dict[tuple[str, int], list[Placement]] = defaultdict(list)
    by_room_slot: dict[tuple[str, int], list[Placement]] = defaultdict(list)
    for placement in placements:
        if placement.team in seen_teams:
            clashes.append(Clash("team_busy", (placement.team,), placement.slot, placement.room))
            continue
        seen_teams.add(placement.team)
        if not 0 <= placement.slot < slot_count:
            clashes.append(
                Clash("out_of_window", (placement.team,), placement.slot, placement.room)
            )
            continue
        if placement.room not in tables:
            clashes.append(
                Clash(
                    "unknown_room", (placement.team, placement.room), placement.slot, placement.room
                )
            )
        else:
            by_room_slot[placement.room, placement.slot].append(placement)
        pitch = pitches.get(placement.team)
        for jury in dict.fromkeys(pitch.juries) if pitch else ():
            if placement.slot in problem.unavailable.get(jury, frozenset()):
                clashes.append(
                    Clash(
                        "jury_unavailable", (jury, placement.team), placement.slot, placement.room
                    )
                )
            by_jury_slot[jury, placement.slot].append(placement)
    for (jury, slot), group in sorted(by_jury_slot.items()):
        if len(group) > 1:
            teams = tuple(p.team for p in group)
            clashes.append(Clash("jury_busy", (jury, *teams), slot, group[-1].room))
    for (room, slot), group in sorted(by_room_slot.items()):
        if len(group) > tables[room]:
            teams = tuple(p.team for p in group)
            clashes.append(Clash("room_full", (room, *teams), slot, room))
    return clashes
