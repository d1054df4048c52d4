"""Connected components of the bipartite jury–team graph, shared by assignment and ranking."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components


def component_labels(
    edges: Iterable[tuple[int, int]], n_juries: int, n_teams: int
) -> tuple[int, np.ndarray]:
    """Component count and label per node (juries first, then teams) over nodes with an edge.

    Isolated nodes get the label -1 and are not counted: they cannot link two juries.
    `edges` may be an array of (jury, team) rows, read as it is.
    """
    pairs = np.asarray(edges if isinstance(edges, np.ndarray) else list(edges),
                       dtype=np.int64).reshape(-1, 2)
    size = n_juries + n_teams
    if size == 0:  # a round without teams or juries yet
        return 0, np.full(0, -1, dtype=np.int64)
    rows, cols = pairs[:, 0], pairs[:, 1] + n_juries
    adjacency = coo_matrix((np.ones(len(pairs)), (rows, cols)), shape=(size, size))
    _, raw = connected_components(adjacency, directed=False)
    touched = np.zeros(size, dtype=bool)
    touched[rows] = True
    touched[cols] = True
    labels = np.full(size, -1, dtype=np.int64)
    _, labels[touched] = np.unique(raw[touched], return_inverse=True)
    return int(labels.max() + 1), labels


def count_components(edges: Iterable[tuple[int, int]], n_juries: int, n_teams: int) -> int:
    """How many separate groups of juries and teams the edges form (isolated nodes excluded)."""
    return component_labels(edges, n_juries, n_teams)[0]
