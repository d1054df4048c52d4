"""The exact schedule: the best plan found, and a proven lower bound of its objective.

Hard constraints: each pitch one (slot, room); a room holds at most ``tables``
pitches per slot; a jury (hence a team, one pitch each) is in one place at a
time; juries' unavailable slots and locked placements are respected.
Objective and weights: :mod:`crunchtime.scheduling.costs`.

The search starts from the panel-block schedule (or greedy's, if better),
improves it by local search (:mod:`improve`, 40 % of the time left), then hands
it as a hint to the exact CP-SAT model (:mod:`model`), which knows the counting
lower bound of :func:`costs.lower_bound` and stops once it proves optimality,
reaches ``problem.relative_gap`` or the time limit. ``bound`` is the best proven
lower bound (CP-SAT's or counting's); status is "optimal" only when the
objective meets it.
"""

from __future__ import annotations

import contextlib
import os
import time

from ortools.sat.python import cp_model

from crunchtime.scheduling.blocks import place_panels
from crunchtime.scheduling.costs import evaluate, finished_schedule, lower_bound
from crunchtime.scheduling.diagnose import counting_reasons, solver_reason
from crunchtime.scheduling.greedy import greedy_schedule
from crunchtime.scheduling.improve import improve_schedule
from crunchtime.scheduling.model import ScheduleModel
from crunchtime.scheduling.problem import Infeasible, Placement, Problem, Reason, Schedule

MAX_WORKERS = 8
IMPROVE_SHARE = 0.4  # of the time left after the first schedule, for the local search
ANNEALING_SEED = 2026


def solve_schedule(problem: Problem) -> Schedule:
    """The best schedule found within ``problem.time_limit_seconds``.

    Raises Infeasible with counting reasons, with the solver's proof
    (``solver_infeasible``) or with ``time_limit`` when nothing was found in time.
    """
    began = time.perf_counter()
    reasons = counting_reasons(problem)
    if reasons:
        raise Infeasible(reasons)
    if not problem.pitches:
        return finished_schedule(problem, (), "optimal", began, time.perf_counter(), 0.0)
    bound = lower_bound(problem)
    search = _Search(problem, began)
    search.offer(_starting_point(problem))
    if search.close_enough(bound):
        return search.result(bound)
    if search.best is not None:
        budget = search.left() * IMPROVE_SHARE
        search.offer(improve_schedule(problem, search.best, budget, seed=ANNEALING_SEED))
        if search.close_enough(bound):
            return search.result(bound)
    model = ScheduleModel(problem, bound)
    if search.best is not None:
        model.hint(search.best)
    status, placements, solver_bound, found = model.solve(search.left(), search.workers)
    if status == cp_model.INFEASIBLE:
        raise Infeasible([solver_reason(problem, max(1.0, search.left()))])
    search.offer(placements, found)
    if search.best is None:
        raise Infeasible([Reason("time_limit", (), {"seconds": round(problem.time_limit_seconds)})])
    return search.result(max(bound, solver_bound))


class _Search:
    """The best complete schedule so far, when it was first found, and the clock."""

    def __init__(self, problem: Problem, began: float):
        self.problem, self.began = problem, began
        self.best: tuple[Placement, ...] | None = None
        self.best_cost = float("inf")
        self.first: float | None = None
        self.workers = min(MAX_WORKERS, max(2, os.cpu_count() or 1))

    def offer(self, placements: tuple[Placement, ...] | None, found: float | None = None) -> None:
        if placements is None:
            return
        if self.first is None:
            self.first = found or time.perf_counter()
        cost = evaluate(self.problem, placements).objective
        if cost < self.best_cost:
            self.best, self.best_cost = placements, cost

    def cost(self) -> float:
        return self.best_cost

    def close_enough(self, bound: float) -> bool:
        """Proven optimal, or within the problem's relative gap of the bound."""
        return self.best_cost - bound <= self.problem.relative_gap * self.best_cost

    def left(self) -> float:
        return max(0.5, self.problem.time_limit_seconds - (time.perf_counter() - self.began))

    def result(self, bound: float) -> Schedule:
        """The best schedule, "optimal" only when its objective meets the bound."""
        status = "optimal" if self.best_cost <= bound else "feasible"
        return finished_schedule(self.problem, self.best, status, self.began, self.first, bound)


def _starting_point(problem: Problem) -> tuple[Placement, ...] | None:
    """The better of the panel-block and greedy schedules, if either is complete."""
    options = []
    board = place_panels(problem)
    if len(board.placements) == len(problem.pitches):
        options.append(board.placements_in_order(problem))
    with contextlib.suppress(Infeasible):
        options.append(greedy_schedule(problem).placements)
    return min(options, key=lambda c: evaluate(problem, c).objective, default=None)
