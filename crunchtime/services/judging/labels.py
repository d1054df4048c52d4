"""Translatable names of the judging model's fixed values (rounds, assignments, rankings)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

ROUND_KIND_LABELS = {
    "per_challenge": _l("Round per challenge"),
    "final": _l("Final round"),
}

ROUND_STATUS_LABELS = {
    "draft": _l("In preparation"),
    "open": _l("Open for scoring"),
    "closed": _l("Closed"),
}

ASSIGNMENT_STATUS_LABELS = {
    "to_score": _l("To score"),
    "scored": _l("Scored"),
    "absent": _l("Skipped: team absent"),
}

CONFLICT_KIND_LABELS = {
    "team": _l("A team"),
    "organisation": _l("An organisation"),
    "student": _l("A student"),
}

ESTIMATOR_LABELS = {
    "raw": _l("Raw weighted mean"),
    "zscore": _l("Per-jury z-score"),
    "calibrated": _l("Calibrated (jury effects)"),
}

ESTIMATOR_DESCRIPTIONS = {
    "raw": _l("The plain weighted mean of the juries' scores, out of 100."),
    "zscore": _l("Each jury's scores centred on its own mean and divided by its spread: "
                 "a lenient or severe jury weighs the same."),
    "calibrated": _l("Project quality + jury severity + noise, fitted over all the juries "
                     "together: a team scored by severe juries is not penalised."),
}

RANKING_FLAG_LABELS = {
    "unscored_teams": _l("Some teams have no score yet: they come last."),
    "disconnected_graph": _l("The juries form separate groups that share no team: groups are "
                             "compared as if their juries were equally severe."),
    "single_jury": _l("Only one jury has scored: no calibration is possible."),
    "variance_not_estimable": _l("Too few scores to estimate the uncertainty: no interval."),
}

NOMINATION_CRITERIA = {
    "commitment": _l("Team commitment"),
    "problem_validated": _l("Problem validated with users"),
    "feasibility": _l("Feasibility"),
    "impact": _l("Impact"),
}


def label_of(labels: dict, value: str) -> str:
    return str(labels.get(value, value))
