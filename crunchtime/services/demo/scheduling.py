"""The demo edition's pitch day (`crunchtime demo --stage judging|results`): rooms on the
three UTBM sites and round 1's schedule computed and published."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import UTC, datetime, time, timedelta

from crunchtime.extensions import db
from crunchtime.i18n import PARIS
from crunchtime.models import Edition, JuryAssignment, Room
from crunchtime.models.base import utcnow
from crunchtime.scheduling import Infeasible, greedy_schedule, solve_schedule
from crunchtime.services.audit import record_audit
from crunchtime.services.judging.assignment import assigned_pairs, propose_assignment
from crunchtime.services.judging.rounds import first_round, new_round, sync_round_entries
from crunchtime.services.scheduling.instance import build_instance, time_limit
from crunchtime.services.scheduling.plan import figures_of, write_placements
from crunchtime.services.scheduling.setup import edition_rooms, round_schedule

log = logging.getLogger(__name__)

# (site, room, seats, panel tables)
DEMO_ROOMS = (
    ("Belfort", "Amphi Vauban", 180, 3), ("Belfort", "H 008", 40, 2), ("Belfort", "H 010", 40, 2),
    ("Belfort", "H 102", 30, 1), ("Belfort", "H 104", 30, 1),
    ("Belfort", "Salle du conseil", 24, 1),
    ("Sevenans", "Amphi Sevenans", 150, 2), ("Sevenans", "A 201", 35, 1),
    ("Sevenans", "A 203", 35, 1), ("Sevenans", "B 104", 30, 1),
    ("Montbéliard", "Amphi Numerica", 120, 2), ("Montbéliard", "M 112", 30, 1),
    ("Montbéliard", "M 114", 30, 1),
)
DEMO_SOLVER_SECONDS = (2.0, 20.0)  # the solver's time, by size: 300 teams get the most
TEAMS_PER_SECOND = 15


def _pitch_day(edition: Edition) -> datetime:
    """Round 1 pitches on the judging day (the edition's, else the next Friday), 8:30–17:30
    in Paris, lunch 12:00–13:00."""
    day = (edition.judging_starts_at.astimezone(PARIS).date() if edition.judging_starts_at
           else (utcnow() + timedelta(days=(4 - utcnow().weekday()) % 7 or 7)).date())
    return datetime.combine(day, time(8, 30), tzinfo=PARIS)


def _ensure_assignment(edition: Edition, judging_round, seed: int) -> None:
    if assigned_pairs(judging_round):
        return
    plan = propose_assignment(judging_round, seed=seed)
    db.session.add_all(JuryAssignment(round_id=judging_round.id, jury_id=jury, team_id=team)
                       for jury, team in plan.pairs)
    record_audit(None, "judging.assign", judging_round, edition_id=edition.id,
                 round=judging_round.number, seed=seed, method=plan.method,
                 created=[list(pair) for pair in plan.pairs], missing=plan.total_missing)
    db.session.flush()


def add_schedule_demo(edition: Edition, seed: int) -> int:
    """Rooms, round 1 assigned if it was not, its schedule computed and published; commits
    once and returns the number of pitches placed (0 if none could be)."""
    judging_round = first_round(edition) or new_round(edition, "", "per_challenge", 3)
    db.session.flush()
    sync_round_entries(judging_round)
    _ensure_assignment(edition, judging_round, seed)
    if not edition_rooms(edition):
        db.session.add_all(Room(edition_id=edition.id, name=name, site=site, capacity=seats,
                                tables=tables, active=True)
                           for site, name, seats, tables in DEMO_ROOMS)
    start = _pitch_day(edition)
    schedule = round_schedule(judging_round)
    schedule.window_start = start.astimezone(UTC)
    schedule.window_end = (start + timedelta(hours=9)).astimezone(UTC)
    schedule.slot_minutes = 20
    lunch = datetime.combine(start.date(), time(12, 0), tzinfo=PARIS)
    schedule.breaks = [[lunch.astimezone(UTC).isoformat(),
                        (lunch + timedelta(hours=1)).astimezone(UTC).isoformat()]]
    db.session.add(schedule)
    db.session.flush()
    instance = build_instance(judging_round, schedule)
    low, high = DEMO_SOLVER_SECONDS
    seconds = min(max(low, len(instance.teams) / TEAMS_PER_SECOND), high, time_limit())
    problem = replace(instance.problem, time_limit_seconds=seconds)
    try:
        result = solve_schedule(problem)
    except Infeasible:
        try:
            result = greedy_schedule(problem)
        except Infeasible as error:
            log.warning("demo schedule not computed: %s", error)
            db.session.commit()
            return 0
    placed = write_placements(instance, result.placements, [])
    schedule.figures = figures_of(result)
    schedule.computed_at = schedule.published_at = utcnow()
    schedule.status = "published"
    schedule.version += 1
    record_audit(None, "scheduling.publish", schedule, edition_id=edition.id,
                 round=judging_round.number, teams=len(placed), demo=True)
    db.session.commit()
    return len(placed)
