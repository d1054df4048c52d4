"""What the edition says about one team, as plain data: the raw material of every feature."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

# The signals, in the order features, weights and the classifier use them.
SIGNALS = (
    "jury_score",          # calibrated jury score, as a percentile of the edition
    "score_certainty",     # how narrow the calibrated score's interval is
    "nominations",         # share of the team's juries who nominated it for incubation
    "nomination_ratings",  # mean of the nominations' ratings (1 to 5)
    "company_interest",    # an organisation marked interest in the team
    "continuation",        # the team declared it wants to continue (with a plan)
    "originality",         # distance of its texts to the nearest other project
    "completeness",        # share of the deliverables handed in
)

RATING_MIN, RATING_MAX = 1, 5


@dataclass(frozen=True)
class TeamSignals:
    """One team's raw signals. Scores are on the 0–1 rubric scale (None: not scored);
    `score_low`/`score_high` bound the calibrated score; `juries` counts the juries
    assigned to the team; `parts_done` of `parts_total` deliverable parts are filled."""

    team_id: int
    code: str = ""
    challenge_id: int | None = None
    raw_score: float | None = None
    calibrated_score: float | None = None
    score_low: float | None = None
    score_high: float | None = None
    juries: int = 0
    nominations: int = 0
    nomination_means: Mapping[str, float | None] = field(default_factory=dict)
    interested: tuple[str, ...] = ()
    wants_to_continue: bool | None = None
    continuation_who: str = ""
    has_plan: bool = False
    text: str = ""
    parts_done: int = 0
    parts_total: int = 0

    @property
    def scored(self) -> bool:
        return self.calibrated_score is not None

    @property
    def mean_rating(self) -> float | None:
        """The mean of the nominations' mean ratings (1–5), None without any."""
        values = [value for value in self.nomination_means.values() if value is not None]
        return sum(values) / len(values) if values and self.nominations else None

    @property
    def interval_width(self) -> float | None:
        if self.score_low is None or self.score_high is None:
            return None
        return max(0.0, self.score_high - self.score_low)
