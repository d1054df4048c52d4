"""The assignment problem in array form, shared by the relaxation and the integer program."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp


@dataclass(frozen=True)
class AssignmentProblem:
    """Units to challenges: maximise total utility, each unit in exactly one challenge.

    A challenge j opens t_j <= teams_wanted[j] teams and receives between size_min x t_j and
    size_max x t_j students; with a programme cap, at most cap x t_j of any one programme.
    `utility` is -inf where a unit may not go.
    """

    utility: np.ndarray
    size: np.ndarray
    programmes: np.ndarray
    teams_wanted: np.ndarray
    size_min: int
    size_max: int
    programme_cap: int | None = None

    @property
    def n_units(self) -> int:
        return self.utility.shape[0]

    @property
    def n_challenges(self) -> int:
        return self.utility.shape[1]

    @property
    def n_programmes(self) -> int:
        return self.programmes.shape[1]


def edge_rows(
    problem: AssignmentProblem, units: np.ndarray, columns: np.ndarray, weight_by: str
) -> sp.csr_matrix:
    """Challenge x edge (or challenge-programme x edge) incidence of the listed edges.

    weight_by: "size" (students it brings), "programme" (rows j*P+p: members of programme p).
    """
    n_edges = len(units)
    if weight_by == "size":
        shape = (problem.n_challenges, n_edges)
        return sp.csr_matrix((problem.size[units], (columns, np.arange(n_edges))), shape=shape)
    counts = sp.csr_matrix(problem.programmes[units])
    coo = counts.tocoo()
    rows = columns[coo.row] * problem.n_programmes + coo.col
    shape = (problem.n_challenges * problem.n_programmes, n_edges)
    return sp.csr_matrix((coo.data.astype(float), (rows, coo.row)), shape=shape)
