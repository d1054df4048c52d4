"""The CP-SAT model of a schedule: every hard constraint and the whole objective.

Per jury, room changes and challenge switches are read from a circuit through
its pitches in time order (an arc p -> q means q is its next pitch); idle slots
from its first and last pitch; plus the day's span. Juries who see exactly the
same teams share one circuit, weighted by their number: exact, and smaller.
"""

from __future__ import annotations

import time
from collections import defaultdict

from ortools.sat.python import cp_model

from crunchtime.scheduling.costs import (
    WEIGHT_CHALLENGE_SWITCH,
    WEIGHT_IDLE_SLOT,
    WEIGHT_ROOM_CHANGE,
    WEIGHT_SPAN_SLOT,
    available_slots,
)
from crunchtime.scheduling.problem import Placement, Problem


class _FirstSolution(cp_model.CpSolverSolutionCallback):
    def __init__(self):
        super().__init__()
        self.first: float | None = None

    def on_solution_callback(self) -> None:
        if self.first is None:
            self.first = time.perf_counter()


class ScheduleModel:
    """CP-SAT variables and constraints of one problem."""

    def __init__(self, problem: Problem, bound: int):
        self.problem = problem
        self.model = cp_model.CpModel()
        self.rooms = [room.key for room in problem.rooms]
        self._placement_variables()
        self._capacity()
        terms, constant = self._jury_terms()
        span = self.span = self.model.NewIntVar(0, len(problem.slots), "span")
        for start in self.start.values():
            self.model.Add(span >= start + 1)
        objective = sum(terms) + WEIGHT_SPAN_SLOT * span + constant
        self.model.Add(objective >= bound)
        self.model.Minimize(objective)

    def _placement_variables(self) -> None:
        model, problem = self.model, self.problem
        available = available_slots(problem)
        self.start, self.room, self.at = {}, {}, {}
        for pitch in problem.pitches:
            team = pitch.team
            domain = cp_model.Domain.FromValues(available[team])
            self.start[team] = model.NewIntVarFromDomain(domain, f"start_{team}")
            self.room[team] = model.NewIntVar(0, len(self.rooms) - 1, f"room_{team}")
            self.at[team] = [model.NewBoolVar(f"at_{team}_{r}") for r in range(len(self.rooms))]
            model.AddExactlyOne(self.at[team])
            model.Add(self.room[team] == sum(r * lit for r, lit in enumerate(self.at[team])))
            if team in problem.locked:
                slot, key = problem.locked[team]
                model.Add(self.start[team] == slot)
                model.Add(self.room[team] == self.rooms.index(key))

    def _capacity(self) -> None:
        model, problem = self.model, self.problem
        everyone = []
        for r, room in enumerate(problem.rooms):
            intervals = [
                model.NewOptionalFixedSizeIntervalVar(
                    self.start[p.team], 1, self.at[p.team][r], f"i_{p.team}_{r}"
                )
                for p in problem.pitches
            ]
            if room.tables == 1:
                model.AddNoOverlap(intervals)
            else:
                model.AddCumulative(intervals, [1] * len(intervals), room.tables)
        for pitch in problem.pitches:
            everyone.append(
                model.NewFixedSizeIntervalVar(self.start[pitch.team], 1, f"all_{pitch.team}")
            )
        total = sum(room.tables for room in problem.rooms)
        model.AddCumulative(everyone, [1] * len(everyone), total)

    def _jury_terms(self):
        """Circuit, room-change and idle terms, one set per distinct team list."""
        teams_of: dict[str, list[str]] = defaultdict(list)
        for pitch in self.problem.pitches:
            for jury in dict.fromkeys(pitch.juries):
                teams_of[jury].append(pitch.team)
        panels: dict[tuple[str, ...], int] = defaultdict(int)
        for teams in teams_of.values():
            panels[tuple(sorted(teams))] += 1
        self.differ: dict[tuple[str, str], cp_model.IntVar] = {}
        self.circuits: list[tuple[tuple[str, ...], list, dict]] = []
        self.extents: list[tuple[tuple[str, ...], cp_model.IntVar, cp_model.IntVar]] = []
        terms, constant = [], 0
        for teams, weight in sorted(panels.items()):
            self.model.AddAllDifferent([self.start[t] for t in teams])
            if len(teams) < 2:
                continue
            terms.append(weight * WEIGHT_IDLE_SLOT * self._extent(teams))
            constant += weight * WEIGHT_IDLE_SLOT * (1 - len(teams))
            terms.extend(weight * term for term in self._circuit(teams))
        return terms, constant

    def _extent(self, teams: tuple[str, ...]):
        """Slots from a jury's first to its last pitch, minus one."""
        starts = [self.start[t] for t in teams]
        first = self.model.NewIntVar(0, len(self.problem.slots), "first")
        last = self.model.NewIntVar(0, len(self.problem.slots), "last")
        self.model.AddMinEquality(first, starts)
        self.model.AddMaxEquality(last, starts)
        self.extents.append((teams, first, last))
        return last - first

    def _circuit(self, teams: tuple[str, ...]) -> list:
        """The jury's pitches in time order, and the cost of each step."""
        model = self.model
        challenge = {p.team: p.challenge for p in self.problem.pitches}
        arcs, steps, changes, terms = [], {}, {}, []
        for i in range(1, len(teams) + 1):
            arcs.append((0, i, model.NewBoolVar("")))
            arcs.append((i, 0, model.NewBoolVar("")))
        for i, a in enumerate(teams, start=1):
            for j, b in enumerate(teams, start=1):
                if a == b:
                    continue
                step = model.NewBoolVar(f"step_{a}_{b}")
                steps[a, b] = step
                arcs.append((i, j, step))
                model.Add(self.start[b] >= self.start[a] + 1).OnlyEnforceIf(step)
                if challenge[a] != challenge[b]:
                    terms.append(WEIGHT_CHALLENGE_SWITCH * step)
        for i, a in enumerate(teams):
            for b in teams[i + 1 :]:
                change = model.NewBoolVar(f"change_{a}_{b}")
                changes[a, b] = change
                differ = self._differ(a, b)
                model.AddBoolOr([steps[a, b].Not(), differ.Not(), change])
                model.AddBoolOr([steps[b, a].Not(), differ.Not(), change])
                terms.append(WEIGHT_ROOM_CHANGE * change)
        model.AddCircuit(arcs)
        self.circuits.append((teams, arcs, changes))
        return terms

    def _differ(self, a: str, b: str) -> cp_model.IntVar:
        """True when teams a and b pitch in different rooms (may be true otherwise)."""
        if (a, b) not in self.differ:
            literal = self.model.NewBoolVar(f"differ_{a}_{b}")
            self.model.Add(self.room[a] == self.room[b]).OnlyEnforceIf(literal.Not())
            self.differ[a, b] = literal
        return self.differ[a, b]

    def hint(self, placements: tuple[Placement, ...]) -> None:
        """Give CP-SAT a complete solution to start from."""
        model = self.model
        where = {p.team: (p.slot, self.rooms.index(p.room)) for p in placements}
        for team, (slot, room) in where.items():
            model.AddHint(self.start[team], slot)
            model.AddHint(self.room[team], room)
            for r, literal in enumerate(self.at[team]):
                model.AddHint(literal, r == room)
        model.AddHint(self.span, max(slot for slot, _ in where.values()) + 1)
        for teams, first, last in self.extents:
            model.AddHint(first, min(where[t][0] for t in teams))
            model.AddHint(last, max(where[t][0] for t in teams))
        for (a, b), literal in self.differ.items():
            model.AddHint(literal, where[a][1] != where[b][1])
        for teams, arcs, changes in self.circuits:
            order = sorted(teams, key=lambda t: where[t][0])
            nxt = {order[k]: order[k + 1] for k in range(len(order) - 1)}
            index = {t: i for i, t in enumerate(teams, start=1)}
            used = {(0, index[order[0]]), (index[order[-1]], 0)}
            used |= {(index[a], index[b]) for a, b in nxt.items()}
            for tail, head, literal in arcs:
                model.AddHint(literal, (tail, head) in used)
            for (a, b), change in changes.items():
                moved = where[a][1] != where[b][1] and (nxt.get(a) == b or nxt.get(b) == a)
                model.AddHint(change, moved)

    def solve(self, seconds: float, workers: int):
        """(status, placements or None, proven lower bound, time of the first solution)."""
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = seconds
        solver.parameters.num_workers = workers
        solver.parameters.cp_model_probing_level = 0  # probing costs seconds, finds little here
        solver.parameters.relative_gap_limit = self.problem.relative_gap
        callback = _FirstSolution()
        status = solver.Solve(self.model, callback)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return status, None, 0.0, None
        placements = tuple(
            Placement(
                p.team,
                solver.Value(self.start[p.team]),
                self.rooms[solver.Value(self.room[p.team])],
            )
            for p in self.problem.pitches
        )
        return status, placements, solver.BestObjectiveBound(), callback.first
