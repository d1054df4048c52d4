"""Plain inputs of the matching model: students, challenges and the organiser's parameters."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import pairwise


@dataclass(frozen=True)
class StudentInput:
    """One registered student; `choices` are challenge codes, best first (0 to 5 of them).

    `consented`: the student accepted the privacy notice; without it they are never placed.
    """

    id: int
    programme: str
    year: int
    skills: tuple[str, ...]
    interests: str
    choices: tuple[str, ...]
    group: str | None = None
    consented: bool = True


@dataclass(frozen=True)
class ChallengeInput:
    """One approved challenge; `text` is its title, problem and deliverable run together."""

    code: str
    text: str
    skills: tuple[str, ...]
    teams_wanted: int


@dataclass(frozen=True)
class FitParameters:
    """How student and challenge texts become the fit matrix (see `fit.compute_fit`).

    `ngram_range`: character n-grams inside words (accents kept), robust to French inflection.
    `skills_weight`: weight of the skills multi-hot block against the text block.
    `choosers_weight`: share of a challenge's profile taken from the students who ranked it
    (0 = its own text only); challenges nobody ranked keep their text profile.
    `svd_components`: optional TruncatedSVD (LSA) size; None keeps the sparse vectors.
    """

    ngram_range: tuple[int, int] = (3, 5)
    skills_weight: float = 0.5
    choosers_weight: float = 0.7
    svd_components: int | None = None


@dataclass(frozen=True)
class MatchingParameters:
    """The organiser's knobs, with defaults that suit a 1,700-student edition.

    Utility of a student for a challenge = `rank_weights[r-1]` when ranked r-th, plus
    `fit_weight` x fit (fit in [0, 1]). Validation keeps every stated choice worth more than
    any unranked challenge: `rank_weights[-1] > fit_weight`.
    `candidates_per_student`: a student may only go to a challenge they (or their friend
    group) ranked or to one of their K best by fit; None allows every challenge. Pruning
    applies only above `prune_above_edges` (units x challenges): on demo editions of 1,700
    students (about 100,000 edges) K=25 cost 0-0.08 % of the objective against every
    challenge, at the same speed, so none is pruned there; at 17,000 (10 million edges) K=25
    did better than None (ratio 0.99994 vs 0.9997 to the LP bound), whose many near-tied
    edges crowd the integer program's edge budget.
    `max_same_programme_per_team`: optional diversity cap (None = no cap).
    `pins`: student id -> challenge code the organiser forces.
    `leave_out_incomplete`: leave out students with an incomplete profile or no wishes
    instead of placing them by fit (students without consent are always left out).
    `time_limit`: seconds for the integer program(s) (None = until proven optimal); on
    expiry the best matching found is returned, uncertified, or TimeoutError if none.
    """

    team_size_min: int = 5
    team_size_max: int = 6
    rank_weights: tuple[float, ...] = (100.0, 75.0, 55.0, 40.0, 30.0)
    fit_weight: float = 20.0
    candidates_per_student: int | None = 25
    prune_above_edges: int = 1_000_000
    max_same_programme_per_team: int | None = None
    seed: int = 0
    pins: Mapping[int, str] = field(default_factory=dict)
    leave_out_incomplete: bool = False
    time_limit: float | None = None
    fit: FitParameters = field(default_factory=FitParameters)

    def __post_init__(self) -> None:
        problems = list(_parameter_problems(self))
        if problems:
            raise ValueError("; ".join(problems))


def _parameter_problems(params: MatchingParameters):
    if not 1 <= params.team_size_min <= params.team_size_max:
        yield "team sizes need 1 <= team_size_min <= team_size_max"
    weights = params.rank_weights
    if not weights or any(a <= b for a, b in pairwise(weights)):
        yield "rank_weights must be non-empty and strictly decreasing"
    elif params.fit_weight < 0 or weights[-1] <= params.fit_weight:
        yield "fit_weight must be >= 0 and below the last rank weight"
    if params.candidates_per_student is not None and params.candidates_per_student < 1:
        yield "candidates_per_student must be >= 1 or None"
    if params.prune_above_edges < 0:
        yield "prune_above_edges must be >= 0"
    cap = params.max_same_programme_per_team
    if cap is not None and cap < 1:
        yield "max_same_programme_per_team must be >= 1 or None"
    if params.time_limit is not None and params.time_limit <= 0:
        yield "time_limit must be positive or None"
