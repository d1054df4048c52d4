"""Repair step: join the components of an assignment so every jury can be compared to every other.

First by swaps — (j1, t1), (j2, t2) across two components become (j1, t2), (j2, t1) — which keep
every load and every team's coverage; only when no swap joins two components, by a bridge: one
extra pair from the least-loaded eligible jury, or, when no jury of one may score a team of the
other, two pairs from a jury with no pair yet that may score in both; a bridge costs balance but
never a conflict. So whenever the conflicts leave the juries joinable at all, they are joined.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from crunchtime.scoring.graph import component_labels

MAX_SWAP_TRIALS = 4000


@dataclass
class Repair:
    """The pairs after repair, as (jury index, team index), and what it took."""

    pairs: set[tuple[int, int]]
    swaps: int = 0
    bridges: int = 0


def connect_components(
    pairs: set[tuple[int, int]],
    allowed: np.ndarray,
    fixed: set[tuple[int, int]],
    reward: np.ndarray,
) -> Repair:
    """Merge components into the largest one until one remains or none can be joined."""
    repair = Repair(set(pairs))
    n_juries, n_teams = allowed.shape
    while True:
        count, labels = component_labels(repair.pairs, n_juries, n_teams)
        if count <= 1:
            return repair
        main = int(np.bincount(labels[labels >= 0]).argmax())
        others = [label for label in range(count) if label != main]
        if not any(_join(repair, labels, main, other, allowed, fixed, reward) for other in others):
            return repair


def _join(repair: Repair, labels, main: int, other: int, allowed, fixed, reward) -> bool:
    """Join component `other` to `main` by a swap, else by a bridge; False if neither exists."""
    if _swap(repair, labels, main, other, allowed, fixed, reward):
        repair.swaps += 1
        return True
    added = _bridge(repair, labels, main, other, allowed, reward)
    repair.bridges += added
    return added > 0


def _edges_of(pairs, labels, label: int, fixed, reward) -> list[tuple[int, int]]:
    """Movable edges of one component, the least-preferred first (cheapest to give up)."""
    edges = [p for p in pairs if labels[p[0]] == label and p not in fixed]
    return sorted(edges, key=lambda p: (reward[p], p))


def _swap(repair: Repair, labels, main, other, allowed, fixed, reward) -> bool:
    n_juries, n_teams = allowed.shape
    before = int(labels.max()) + 1
    trials = 0
    for j1, t1 in _edges_of(repair.pairs, labels, main, fixed, reward):
        for j2, t2 in _edges_of(repair.pairs, labels, other, fixed, reward):
            if not (allowed[j1, t2] and allowed[j2, t1]):
                continue
            if (j1, t2) in repair.pairs or (j2, t1) in repair.pairs:
                continue
            trial = (repair.pairs - {(j1, t1), (j2, t2)}) | {(j1, t2), (j2, t1)}
            if component_labels(trial, n_juries, n_teams)[0] < before:
                repair.pairs = trial
                return True
            trials += 1
            if trials >= MAX_SWAP_TRIALS:
                return False
    return False


def _bridge(repair: Repair, labels, main, other, allowed, reward) -> int:
    """Add the pair linking the two components whose jury is least loaded, then most preferred;
    else the two pairs through an idle jury. Returns how many pairs were added."""
    n_juries = allowed.shape[0]
    load = np.bincount([j for j, _ in repair.pairs], minlength=n_juries)
    team_label = labels[n_juries:]
    jury_label = labels[:n_juries]
    options = [
        (load[j], -reward[j, t], j, t)
        for j, t in zip(*np.nonzero(allowed), strict=True)
        if (j, t) not in repair.pairs
        and {jury_label[j], team_label[t]} == {main, other}
    ]
    if not options:
        return _bridge_through_idle_jury(repair, jury_label, team_label, (main, other), allowed,
                                         reward)
    _, _, jury, team = min(options)
    repair.pairs.add((int(jury), int(team)))
    return 1


def _bridge_through_idle_jury(repair: Repair, jury_label, team_label, components, allowed,
                              reward) -> int:
    """Two pairs from the first jury without any that may score a team of each component."""
    for jury in np.flatnonzero(jury_label < 0):
        ends = []
        for label in components:
            teams = np.flatnonzero(allowed[jury] & (team_label == label))
            if len(teams) == 0:
                break
            ends.append(int(max(teams, key=lambda team: (reward[jury, team], -team))))
        if len(ends) == 2:
            repair.pairs.update((int(jury), team) for team in ends)
            return 2
    return 0
