"""Who may score whom (conflicts of interest) and whom we would rather have score whom."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

CONFLICT_KINDS = ("team", "organisation", "student")
ORGANISATION_BONUS = 1.0
EXPERTISE_BONUS = 1.0


class AssignmentError(ValueError):
    """The input cannot be honoured as given (unknown ids, a fixed pair that is a conflict)."""


@dataclass(frozen=True)
class Jury:
    """A jury member: its organisation (None for independents) and expertise tags."""

    id: int
    organisation: int | None = None
    tags: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        object.__setattr__(self, "tags", frozenset(self.tags))


@dataclass(frozen=True)
class Team:
    """A team: its challenge, the challenge's organisation, tags and member student ids."""

    id: int
    challenge: int
    organisation: int | None = None
    tags: frozenset[str] = field(default_factory=frozenset)
    students: frozenset[int] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        object.__setattr__(self, "tags", frozenset(self.tags))
        object.__setattr__(self, "students", frozenset(self.students))


@dataclass(frozen=True)
class Conflict:
    """A declared conflict of interest: kind is team, organisation or student; target its id."""

    jury: int
    kind: str
    target: int


def allowed_matrix(
    juries: Sequence[Jury],
    teams: Sequence[Team],
    conflicts: Iterable[Conflict],
    *,
    own_organisation_excluded: bool,
) -> np.ndarray:
    """Boolean juries × teams matrix: True where no conflict (declared or automatic) forbids."""
    allowed = np.ones((len(juries), len(teams)), dtype=bool)
    jury_index = {jury.id: i for i, jury in enumerate(juries)}
    targets = _teams_by_target(teams)
    for conflict in conflicts:
        if conflict.kind not in CONFLICT_KINDS:
            raise AssignmentError(f"unknown conflict kind {conflict.kind!r}")
        row = jury_index.get(conflict.jury)
        if row is not None:
            allowed[row, targets[conflict.kind].get(conflict.target, [])] = False
    if own_organisation_excluded:
        for row, jury in enumerate(juries):
            if jury.organisation is not None:
                allowed[row, targets["organisation"].get(jury.organisation, [])] = False
    return allowed


def _teams_by_target(teams: Sequence[Team]) -> dict[str, dict[int, list[int]]]:
    targets: dict[str, dict[int, list[int]]] = {kind: defaultdict(list) for kind in CONFLICT_KINDS}
    for column, team in enumerate(teams):
        targets["team"][team.id].append(column)
        if team.organisation is not None:
            targets["organisation"][team.organisation].append(column)
        for student in team.students:
            targets["student"][student].append(column)
    return targets


def preference_matrix(juries: Sequence[Jury], teams: Sequence[Team]) -> np.ndarray:
    """Round-1 affinity: same organisation as the challenge, plus the share of team tags matched."""
    jury_org = np.array([-1 if j.organisation is None else j.organisation for j in juries])
    team_org = np.array([-2 if t.organisation is None else t.organisation for t in teams])
    affinity = ORGANISATION_BONUS * (jury_org[:, None] == team_org[None, :])
    vocabulary = sorted(set().union(*(t.tags for t in teams), *(j.tags for j in juries)))
    if not vocabulary:
        return affinity
    jury_tags = _incidence([j.tags for j in juries], vocabulary)
    team_tags = _incidence([t.tags for t in teams], vocabulary)
    shared = jury_tags @ team_tags.T
    return affinity + EXPERTISE_BONUS * shared / np.maximum(team_tags.sum(axis=1), 1)[None, :]


def _incidence(tag_sets: list[frozenset[str]], vocabulary: list[str]) -> np.ndarray:
    column = {tag: i for i, tag in enumerate(vocabulary)}
    matrix = np.zeros((len(tag_sets), len(vocabulary)))
    for row, tags in enumerate(tag_sets):
        matrix[row, [column[tag] for tag in tags]] = 1.0
    return matrix
