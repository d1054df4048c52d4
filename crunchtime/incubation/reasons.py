"""Why a team is flagged, as structured data the app puts into words: the signals that
contributed most to its score, then what should make a reviewer careful.

A reason is `{"code": ..., "params": {...}, "points": float, "kind": "reason"|"caution"}`
(JSON, stored with the flag); the codes are listed in REASON_CODES and CAUTION_CODES.
"""

from __future__ import annotations

from crunchtime.incubation.features import TeamFeatures
from crunchtime.incubation.signals import TeamSignals
from crunchtime.incubation.transparent import TransparentScore

REASON_CODES = {
    "jury_score": "top_score",
    "score_certainty": "certain_score",
    "nominations": "nominated",
    "nomination_ratings": "ratings",
    "company_interest": "interest",
    "continuation": "continues",
    "originality": "original",
    "completeness": "complete",
}
CAUTION_CODES = ("unscored", "uncertain_score", "no_submission", "stops")
UNCERTAIN_WIDTH = 0.25  # a 95 % interval wider than a quarter of the scale
DEFAULT_LIMIT = 3
# Signals ranked against the edition are a reason only in its better half; the others
# (a nomination, an interest, a wish to continue) are a reason as soon as they exist.
RELATIVE = frozenset({"jury_score", "score_certainty", "originality", "completeness"})
STRENGTH = 0.5


def _params(signal: str, team: TeamSignals, features: TeamFeatures) -> dict | None:
    """The figures a reason quotes; None when the signal has nothing to say."""
    if signal == "jury_score" and features.score_top_percent is not None:
        return {"percent": features.score_top_percent}
    if signal == "score_certainty" and team.score_low is not None:
        return {"low": round(100 * team.score_low), "high": round(100 * team.score_high)}
    if signal == "nominations" and team.nominations:
        return {"count": team.nominations, "juries": max(team.juries, team.nominations)}
    if signal == "nomination_ratings" and team.mean_rating is not None:
        return {"mean": round(team.mean_rating, 1)}
    if signal == "company_interest" and team.interested:
        return {"organisations": list(team.interested), "count": len(team.interested)}
    if signal == "continuation" and team.wants_to_continue:
        return {"who": team.continuation_who, "plan": team.has_plan}
    if signal == "originality" and features.original_top_percent is not None:
        return {"percent": features.original_top_percent}
    if signal == "completeness" and team.parts_total:
        return {"percent": round(100 * team.parts_done / team.parts_total)}
    return None


def cautions(team: TeamSignals) -> list[dict]:
    found = []
    if not team.scored:
        found.append(("unscored", {}))
    elif (team.interval_width or 0) > UNCERTAIN_WIDTH:
        found.append(("uncertain_score", {"low": round(100 * team.score_low),
                                          "high": round(100 * team.score_high)}))
    if team.parts_total and team.parts_done == 0:
        found.append(("no_submission", {}))
    if team.wants_to_continue is False:
        found.append(("stops", {}))
    return [{"code": code, "params": params, "points": 0.0, "kind": "caution"}
            for code, params in found]


def explain(team: TeamSignals, features: TeamFeatures, score: TransparentScore,
            limit: int = DEFAULT_LIMIT) -> list[dict]:
    """The `limit` signals that gave the most points, in words-to-be; then the cautions."""
    reasons = []
    for signal in score.leading():
        if signal in RELATIVE and features.values[signal] < STRENGTH:
            continue
        params = _params(signal, team, features)
        if params is None:
            continue
        reasons.append({"code": REASON_CODES[signal], "params": params,
                        "points": round(score.contributions[signal], 2), "kind": "reason"})
        if len(reasons) == limit:
            break
    return reasons + cautions(team)
