"""Judging progress and scoring anomalies, from the ledger and the assignments (pure).

Progress counts criterion scores: every assignment not marked absent expects one score per
criterion of the rubric. Anomalies flag what an organiser should look at, not what is wrong:
- `same_score`: a jury that gave every team it scored (at least MIN_TEAMS_SAME) exactly the
  same scores;
- `fast`: a jury that started scoring a team less than FAST_SECONDS after starting the
  previous one (nobody hears a pitch in that time).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import NamedTuple

Cell = tuple[int, int, int]
FAST_SECONDS = 10.0
MIN_TEAMS_SAME = 3
ABSENT = "absent"
SCORED = "scored"


class Assignment(NamedTuple):
    """A jury's assignment to a team (a tuple: the live board builds ~2,000 per batch)."""

    jury: int
    team: int
    status: str


@dataclass(frozen=True)
class TeamProgress:
    team: int
    recorded: int
    expected: int
    juries_assigned: int
    juries_done: int
    juries_missing: tuple[int, ...]

    @property
    def complete(self) -> bool:
        return self.juries_assigned > 0 and not self.juries_missing


@dataclass(frozen=True)
class JuryProgress:
    jury: int
    assigned: int
    done: int
    absent: int

    @property
    def remaining(self) -> int:
        return self.assigned - self.done - self.absent


@dataclass(frozen=True)
class Progress:
    recorded: int
    expected: int
    teams: tuple[TeamProgress, ...]
    juries: tuple[JuryProgress, ...]

    @property
    def teams_complete(self) -> int:
        return sum(team.complete for team in self.teams)


@dataclass(frozen=True)
class Anomaly:
    kind: str
    jury: int
    team: int | None = None
    teams: int = 0
    seconds: float | None = None
    values: tuple[float, ...] = ()


def judging_progress(assignments: Iterable[Assignment], criteria: Iterable[int],
                     scores: Mapping[Cell, float], team_ids: Iterable[int] = ()) -> Progress:
    """Scores recorded and expected, per team and per jury."""
    criteria = set(criteria)
    n_criteria = len(criteria)
    cells_per_pair: dict[tuple[int, int], int] = defaultdict(int)
    for jury, team, criterion in scores:
        if criterion in criteria:
            cells_per_pair[(jury, team)] += 1
    by_team: dict[int, list[Assignment]] = {team: [] for team in team_ids}
    by_jury: dict[int, list[Assignment]] = defaultdict(list)
    for assignment in assignments:
        team_rows = by_team.get(assignment.team)
        if team_rows is None:
            team_rows = by_team[assignment.team] = []
        team_rows.append(assignment)
        by_jury[assignment.jury].append(assignment)
    cells = cells_per_pair.get
    teams = tuple(_team_progress(team, rows, n_criteria, cells)
                  for team, rows in sorted(by_team.items()))
    juries = tuple(_jury_progress(jury, rows) for jury, rows in sorted(by_jury.items()))
    return Progress(sum(t.recorded for t in teams), sum(t.expected for t in teams), teams, juries)


def _team_progress(team: int, rows: list[Assignment], n_criteria: int, cells) -> TeamProgress:
    """`cells((jury, team))`: how many of the rubric's criteria that jury scored for the team."""
    recorded, missing, present = 0, [], 0
    for assignment in rows:
        if assignment.status == ABSENT:
            continue
        present += 1
        recorded += min(cells((assignment.jury, team), 0), n_criteria)
        if assignment.status != SCORED:
            missing.append(assignment.jury)
    missing.sort()
    return TeamProgress(team, recorded, n_criteria * present, present, present - len(missing),
                        tuple(missing))


def _jury_progress(jury: int, rows: list[Assignment]) -> JuryProgress:
    done = absent = 0
    for assignment in rows:
        if assignment.status == SCORED:
            done += 1
        elif assignment.status == ABSENT:
            absent += 1
    return JuryProgress(jury, len(rows), done, absent)


def same_score_juries(scores: Mapping[Cell, float]) -> list[Anomaly]:
    """Juries whose every scored team got the very same values (MIN_TEAMS_SAME teams or more)."""
    sheets: dict[int, dict[int, dict[int, float]]] = defaultdict(lambda: defaultdict(dict))
    for (jury, team, criterion), value in scores.items():
        sheets[jury][team][criterion] = value
    found = []
    for jury, teams in sorted(sheets.items()):
        distinct = {tuple(sorted(sheet.items())) for sheet in teams.values()}
        if len(teams) >= MIN_TEAMS_SAME and len(distinct) == 1:
            values = tuple(value for _criterion, value in next(iter(distinct)))
            found.append(Anomaly("same_score", jury, teams=len(teams), values=values))
    return found


def fast_scorings(first_scored: Mapping[tuple[int, int], object],
                  threshold: float = FAST_SECONDS) -> list[Anomaly]:
    """Teams a jury began scoring less than `threshold` seconds after its previous team.
    `first_scored` maps (jury, team) to the datetime of the jury's first score for that team."""
    by_jury: dict[int, list[tuple[object, int]]] = defaultdict(list)
    for (jury, team), moment in first_scored.items():
        by_jury[jury].append((moment, team))
    found = []
    for jury, moments in sorted(by_jury.items()):
        moments.sort()
        for (before, _previous), (moment, team) in zip(moments, moments[1:]):  # noqa: B905, RUF007
            gap = (moment - before).total_seconds()
            if gap < threshold:
                found.append(Anomaly("fast", jury, team=team, seconds=round(gap, 1)))
    return found
