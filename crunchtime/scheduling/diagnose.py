"""Why no schedule exists: plain counting first, then the solver's own proof.

Reason keys (people, detail):

* ``capacity`` ((), pitches, places, rooms, tables, slots): more pitches than places;
* ``jury_unavailable`` ((jury,), pitches, slots): a jury absent for the whole window;
* ``jury_overload`` ((jury, teams...), pitches, available): a jury with more pitches
  than slots it can attend (its co-juries' absences counted);
* ``no_common_slot`` ((team, juries...), juries): a team whose juries are never free together;
* ``locked_clash`` (clash people, kind, slot, room): locked placements that clash
  (``kind`` is a :class:`Clash` kind);
* ``solver_infeasible`` ((juries..., teams...), juries, teams, slots_full, locked):
  the solver proved that these juries' and teams' constraints cannot hold together;
* ``time_limit`` ((), seconds): no schedule found in the time allowed (not a proof).
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from crunchtime.scheduling.check import check_placements
from crunchtime.scheduling.costs import available_slots, jury_pitches
from crunchtime.scheduling.problem import Placement, Problem, Reason


def counting_reasons(problem: Problem) -> list[Reason]:
    """Every reason found by counting; [] when counting sees no obstacle.

    Raises ValueError on a malformed problem (a team twice, slots out of order).
    """
    teams = [pitch.team for pitch in problem.pitches]
    if len(set(teams)) != len(teams):
        raise ValueError("a team has more than one pitch")
    if [slot.index for slot in problem.slots] != list(range(len(problem.slots))):
        raise ValueError("slots must be indexed 0..n-1 in order")
    reasons = _locked_reasons(problem) + _capacity_reasons(problem)
    if not problem.slots:
        return reasons
    absent = _absent_juries(problem)
    reasons += absent
    away = {reason.people[0] for reason in absent}
    available = available_slots(problem)
    for pitch in problem.pitches:
        if not available[pitch.team] and not away & set(pitch.juries):
            reasons.append(
                Reason("no_common_slot", (pitch.team, *pitch.juries), {"juries": len(pitch.juries)})
            )
    if not any(reason.constraint == "locked_clash" for reason in reasons):
        reasons += _overloads(problem, available, away)  # else they would only repeat them
    return reasons


def _capacity_reasons(problem: Problem) -> list[Reason]:
    tables = sum(room.tables for room in problem.rooms)
    places = tables * len(problem.slots)
    if len(problem.pitches) <= places:
        return []
    detail = {
        "pitches": len(problem.pitches),
        "places": places,
        "rooms": len(problem.rooms),
        "tables": tables,
        "slots": len(problem.slots),
    }
    return [Reason("capacity", (), detail)]


def _absent_juries(problem: Problem) -> list[Reason]:
    every = set(range(len(problem.slots)))
    return [
        Reason("jury_unavailable", (jury,), {"pitches": len(teams), "slots": len(every)})
        for jury, teams in sorted(jury_pitches(problem).items())
        if every <= problem.unavailable.get(jury, frozenset())
    ]


def _overloads(problem: Problem, available: dict[str, list[int]], away: set[str]) -> list[Reason]:
    """Juries whose teams cannot all get distinct slots they can attend (Hall's condition)."""
    reasons = []
    for jury, teams in sorted(jury_pitches(problem).items()):
        teams = [team for team in teams if available[team]]  # the others are explained
        if jury in away or not teams:
            continue
        matched = _max_matching(teams, available)
        if matched < len(teams):
            detail = {"pitches": len(teams), "available": matched}
            reasons.append(Reason("jury_overload", (jury, *teams), detail))
    return reasons


def _locked_reasons(problem: Problem) -> list[Reason]:
    teams = {pitch.team for pitch in problem.pitches}
    locked = [
        Placement(team, slot, room)
        for team, (slot, room) in sorted(problem.locked.items())
        if team in teams
    ]
    return [
        Reason(
            "locked_clash",
            clash.people,
            {"kind": clash.kind, "slot": clash.slot, "room": clash.room},
        )
        for clash in check_placements(problem, locked)
    ]


def _max_matching(teams: list[str], available: dict[str, list[int]]) -> int:
    """Size of a maximum matching of a jury's teams to distinct slots (Kuhn)."""
    owner: dict[int, str] = {}

    def augment(team: str, visited: set[int]) -> bool:
        for slot in available[team]:
            if slot in visited:
                continue
            visited.add(slot)
            if slot not in owner or augment(owner[slot], visited):
                owner[slot] = team
                return True
        return False

    return sum(1 for team in teams if augment(team, set()))


def solver_reason(problem: Problem, seconds: float) -> Reason:
    """Ask CP-SAT for a small set of constraints that cannot hold together.

    The feasibility model counts places per slot over all tables: rooms are
    interchangeable for unlocked pitches, so this is exact once locked
    placements are known not to clash.
    """
    model = cp_model.CpModel()
    available = available_slots(problem)
    every = range(len(problem.slots))
    x = {
        (pitch.team, s): model.NewBoolVar(f"x_{pitch.team}_{s}")
        for pitch in problem.pitches
        for s in every
    }
    for pitch in problem.pitches:
        model.AddExactlyOne(x[pitch.team, s] for s in every)
    assumptions: dict[int, tuple[str, str]] = {}

    def switch(kind: str, key: str) -> cp_model.IntVar:
        literal = model.NewBoolVar(f"{kind}_{key}")
        assumptions[literal.Index()] = (kind, key)
        return literal

    for jury, teams in sorted(jury_pitches(problem).items()):
        enforced = switch("jury", jury)
        for s in every:
            model.Add(sum(x[team, s] for team in teams) <= 1).OnlyEnforceIf(enforced)
    capacity = switch("slots", "all")
    tables = sum(room.tables for room in problem.rooms)
    for s in every:
        model.Add(sum(x[pitch.team, s] for pitch in problem.pitches) <= tables).OnlyEnforceIf(
            capacity
        )
    for pitch in problem.pitches:
        enforced = switch("team", pitch.team)
        for s in set(every) - set(available[pitch.team]):
            model.AddImplication(enforced, x[pitch.team, s].Not())
    model.AddAssumptions([model.GetBoolVarFromProtoIndex(i) for i in assumptions])
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(1.0, seconds)
    solver.parameters.num_workers = 1
    status = solver.Solve(model)
    if status != cp_model.INFEASIBLE:
        return Reason("time_limit", (), {"seconds": round(seconds)})
    core = [assumptions[i] for i in solver.SufficientAssumptionsForInfeasibility()]
    juries = tuple(sorted(key for kind, key in core if kind == "jury"))
    teams = tuple(sorted(key for kind, key in core if kind == "team"))
    locked = sum(1 for team in teams if team in problem.locked)
    return Reason(
        "solver_infeasible",
        juries + teams,
        {
            "juries": len(juries),
            "teams": len(teams),
            "slots_full": any(kind == "slots" for kind, _ in core),
            "locked": locked,
        },
    )
