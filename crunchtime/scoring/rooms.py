"""Rooms per jury: in a round by challenge each challenge pitches in its own room, so a jury
whose teams span few challenges walks between few rooms.

`assign_juries_in_few_rooms` takes the balanced plan of `assign_juries` and gathers each
jury's teams by swaps — (j1, t1), (j2, t2) become (j1, t2), (j2, t1) — that keep every load,
every team's coverage, every kept pair and the graph's connectivity, and never cross a
conflict. A swap is taken when it lowers the number of challenges a jury visits, or leaves it
and concentrates the teams (Σ teams² per jury and challenge grows): a strictly better state
each time, so it ends. The plain algorithm lives in `gather_rooms` (indices, no ids).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np

from crunchtime.scoring.assignment import METHOD, AssignmentPlan, assign_juries
from crunchtime.scoring.eligibility import Conflict, Jury, Team, allowed_matrix
from crunchtime.scoring.graph import count_components

ROOMS_METHOD = METHOD + " + room-gathering swaps"
MAX_PASSES = 50


@dataclass(frozen=True)
class RoomFigures:
    """Distinct challenges (rooms) per jury with at least one team; mean and max over them."""

    per_jury: dict[int, int]
    mean: float
    max: int


def rooms_per_jury(pairs: Iterable[tuple[int, int]], challenge_of: Mapping[int, int]
                   ) -> RoomFigures:
    """How many challenges each jury's teams span, from (jury id, team id) pairs."""
    visited: dict[int, set[int]] = defaultdict(set)
    for jury, team in pairs:
        visited[jury].add(challenge_of[team])
    per_jury = {jury: len(challenges) for jury, challenges in sorted(visited.items())}
    counts = list(per_jury.values())
    return RoomFigures(per_jury, float(np.mean(counts)) if counts else 0.0, max(counts, default=0))


def room_bound(teams_per_jury: float, teams_per_challenge: float) -> int:
    """Rooms a jury needs at most when its teams are consecutive in challenge order."""
    if teams_per_jury <= 0 or teams_per_challenge <= 0:
        return 0
    return math.ceil(teams_per_jury / teams_per_challenge) + 1


def assign_juries_in_few_rooms(juries: Sequence[Jury], teams: Sequence[Team], *,
                               k: int = 3, conflicts: Iterable[Conflict] = (),
                               round_kind: str = "per_challenge",
                               exclude_own_organisation: bool = True, seed: int = 0,
                               existing: Iterable[tuple[int, int]] = ()) -> AssignmentPlan:
    """`assign_juries`, then each jury's teams gathered in as few challenges as swaps allow."""
    conflicts, existing = tuple(conflicts), tuple(existing)
    plan = assign_juries(juries, teams, k=k, conflicts=conflicts, round_kind=round_kind,
                         exclude_own_organisation=exclude_own_organisation, seed=seed,
                         existing=existing)
    juries = sorted(juries, key=lambda jury: jury.id)
    teams = sorted(teams, key=lambda team: team.id)
    allowed = allowed_matrix(juries, teams, conflicts, own_organisation_excluded=(
        round_kind == "final" and exclude_own_organisation))
    jury_index = {jury.id: i for i, jury in enumerate(juries)}
    team_index = {team.id: i for i, team in enumerate(teams)}
    pairs = {(jury_index[j], team_index[t]) for j, t in plan.pairs}
    fixed = {(jury_index[j], team_index[t]) for j, t in existing}
    challenges = np.array([team.challenge for team in teams], dtype=np.int64)
    gathered, swaps = gather_rooms(pairs, allowed, fixed, challenges)
    return replace(
        plan,
        pairs=tuple(sorted((juries[j].id, teams[t].id) for j, t in gathered)),
        components=count_components(gathered, len(juries), len(teams)),
        swaps=plan.swaps + swaps,
        method=ROOMS_METHOD,
    )


class _Rooms:
    """Who holds which team per challenge, kept in step with the pairs while swapping."""

    def __init__(self, pairs: set[tuple[int, int]], challenges: np.ndarray) -> None:
        self.pairs = set(pairs)
        self.challenges = challenges
        self.held: dict[int, dict[int, set[int]]] = defaultdict(lambda: defaultdict(set))
        self.juries_in: dict[int, set[int]] = defaultdict(set)
        self.juries_of: dict[int, set[int]] = defaultdict(set)
        for jury, team in pairs:
            self._add(jury, team)

    def _add(self, jury: int, team: int) -> None:
        challenge = int(self.challenges[team])
        self.held[jury][challenge].add(team)
        self.juries_in[challenge].add(jury)
        self.juries_of[team].add(jury)
        self.pairs.add((jury, team))

    def _remove(self, jury: int, team: int) -> None:
        challenge = int(self.challenges[team])
        self.held[jury][challenge].discard(team)
        if not self.held[jury][challenge]:
            del self.held[jury][challenge]
            self.juries_in[challenge].discard(jury)
        self.juries_of[team].discard(jury)
        self.pairs.discard((jury, team))

    def joined(self, jury: int, team: int) -> bool:
        """Whether a path of pairs leads from the jury to the team."""
        seen_juries, seen_teams, todo = {jury}, set(), [jury]
        while todo:
            for held in self.held[todo.pop()].values():
                for other in held - seen_teams:
                    if other == team:
                        return True
                    seen_teams.add(other)
                    for next_jury in self.juries_of[other] - seen_juries:
                        seen_juries.add(next_jury)
                        todo.append(next_jury)
        return False

    def count(self, jury: int, challenge: int) -> int:
        return len(self.held[jury].get(challenge, ()))

    def swap(self, j1: int, t1: int, j2: int, t2: int) -> None:
        self._remove(j1, t1)
        self._remove(j2, t2)
        self._add(j1, t2)
        self._add(j2, t1)

    def gain(self, j1: int, c1: int, j2: int, c2: int) -> tuple[int, int]:
        """(Σ rooms² saved, concentration gained) if j1 gives a c1 team for j2's c2 team."""
        n11, n12 = self.count(j1, c1), self.count(j1, c2)
        n21, n22 = self.count(j2, c1), self.count(j2, c2)
        d1, d2 = len(self.held[j1]), len(self.held[j2])
        e1 = d1 - (n11 == 1) + (n12 == 0)
        e2 = d2 - (n22 == 1) + (n21 == 0)
        return d1 * d1 + d2 * d2 - e1 * e1 - e2 * e2, 2 * (n12 - n11 + 1) + 2 * (n21 - n22 + 1)


def gather_rooms(pairs: set[tuple[int, int]], allowed: np.ndarray, fixed: set[tuple[int, int]],
                 challenges: np.ndarray) -> tuple[set[tuple[int, int]], int]:
    """Swap (jury index, team index) pairs until no swap gathers a jury's teams further.

    Loads, coverage, `fixed` pairs and the number of components never change; no swap
    crosses `allowed`. Returns the new pairs and how many swaps were made.
    """
    rooms = _Rooms(pairs, challenges)
    n_juries, n_teams = allowed.shape
    components = count_components(rooms.pairs, n_juries, n_teams)
    swaps = 0
    for _pass in range(MAX_PASSES):
        moved = False
        for j1 in sorted(rooms.held, key=lambda jury: (-len(rooms.held[jury]), jury)):
            while _improve(rooms, j1, allowed, fixed, components, n_juries, n_teams):
                swaps += 1
                moved = True
        if not moved:
            break
    return rooms.pairs, swaps


def _improve(rooms: _Rooms, j1: int, allowed, fixed, components: int,
             n_juries: int, n_teams: int) -> bool:
    """Make the first swap that gathers j1's teams (or concentrates both juries'); False if none."""
    held = rooms.held[j1]
    for c1 in sorted(held, key=lambda c: (len(held[c]), c)):
        for c2 in sorted(held, key=lambda c: (-len(held[c]), c)):
            if c2 == c1:
                continue
            for j2 in sorted(rooms.juries_in[c2] - {j1}):
                saved, concentrated = rooms.gain(j1, c1, j2, c2)
                if saved < 0 or (saved == 0 and concentrated <= 0):
                    continue
                if _swap_first(rooms, j1, c1, j2, c2, allowed, fixed, components,
                               n_juries, n_teams):
                    return True
    return False


def _swap_first(rooms: _Rooms, j1, c1, j2, c2, allowed, fixed, components: int,
                n_juries: int, n_teams: int) -> bool:
    for t1 in sorted(rooms.held[j1].get(c1, ())):
        if (j1, t1) in fixed or not allowed[j2, t1] or (j2, t1) in rooms.pairs:
            continue
        for t2 in sorted(rooms.held[j2].get(c2, ())):
            if (j2, t2) in fixed or not allowed[j1, t2] or (j1, t2) in rooms.pairs:
                continue
            rooms.swap(j1, t1, j2, t2)
            if rooms.joined(j1, t1) or (  # the four ends, so their whole group, still joined
                    components > 1
                    and count_components(rooms.pairs, n_juries, n_teams) <= components):
                return True
            rooms.swap(j1, t2, j2, t1)
    return False
