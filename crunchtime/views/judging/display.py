"""How judging pages show things the same way for juries and organisers: criterion names in
the reader's language, scores, estimates, status names."""

from __future__ import annotations

from flask_babel import format_decimal, format_percent, get_locale
from wtforms.fields.choices import SelectChoice

from crunchtime.services.judging.rankings import display_score
from crunchtime.services.judging.words import (
    ASSIGNMENT_STATUS_LABELS,
    CONFLICT_KIND_LABELS,
    ESTIMATOR_DESCRIPTIONS,
    ESTIMATOR_LABELS,
    NOMINATION_CRITERIA,
    RANKING_FLAG_LABELS,
    ROUND_KIND_LABELS,
    ROUND_STATUS_LABELS,
)
from crunchtime.views.challenges.display import file_size


def options(pairs, blank: bool = True) -> list[SelectChoice]:
    """Select options from (value, label) pairs, after a blank "—" one unless told."""
    return [SelectChoice("", "—")] * blank + [SelectChoice(value, label) for value, label in pairs]


def criterion_label(criterion) -> str:
    """The criterion's name in the reader's language (French when no English is given)."""
    if str(get_locale()) == "en" and criterion.label_en:
        return criterion.label_en
    return criterion.label_fr


def score_value(value: float | None) -> str:
    return "—" if value is None else format_decimal(value, format="#,##0.##")


def estimate(estimator: str, value: float | None) -> str:
    shown = display_score(estimator, value)
    return "—" if shown is None else format_decimal(shown, format="#,##0.0#")


def probability(value: float) -> str:
    return format_percent(value, format="#,##0%")


def template_globals() -> dict:
    return {
        "criterion_label": criterion_label, "score_value": score_value, "estimate": estimate,
        "probability": probability, "file_size": file_size,
        "ROUND_KIND_LABELS": ROUND_KIND_LABELS, "ROUND_STATUS_LABELS": ROUND_STATUS_LABELS,
        "ASSIGNMENT_STATUS_LABELS": ASSIGNMENT_STATUS_LABELS,
        "CONFLICT_KIND_LABELS": CONFLICT_KIND_LABELS, "ESTIMATOR_LABELS": ESTIMATOR_LABELS,
        "ESTIMATOR_DESCRIPTIONS": ESTIMATOR_DESCRIPTIONS,
        "RANKING_FLAG_LABELS": RANKING_FLAG_LABELS, "NOMINATION_CRITERIA": NOMINATION_CRITERIA,
    }
