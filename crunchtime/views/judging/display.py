"""How judging pages show things the same way for juries and organisers: criterion names in
the reader's language, scores, estimates, status names."""

from __future__ import annotations

from flask_babel import format_decimal, format_percent, get_locale
from flask_babel import gettext as _
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

SCALE_WORTH_SAYING = 0.15  # a jury's use of the scale is named when it is this far from 1


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


def explanation_line(explanation, juries: dict[int, str]) -> str:
    """A team's calibrated position in one line: its raw mean, what each jury's severity,
    scale and scores at the top or bottom of the scale change, and the result (out of 100)."""
    parts = []
    for jury in explanation.juries:
        name = juries.get(jury.jury) or f"#{jury.jury}"
        correction = format_decimal(100 * jury.correction, format="+#,##0.0;−#,##0.0")
        if abs(jury.scale - 1) >= SCALE_WORTH_SAYING:
            parts.append(_("%(jury)s %(correction)s (uses ×%(scale)s of the scale)", jury=name,
                           correction=correction,
                           scale=format_decimal(jury.scale, format="0.0#")))
        else:
            parts.append(_("%(jury)s %(correction)s", jury=name, correction=correction))
    return _("raw mean %(raw)s; %(juries)s → %(estimate)s",
             raw=format_decimal(100 * explanation.raw_mean, format="#,##0.0"),
             juries="; ".join(parts),
             estimate=format_decimal(100 * explanation.estimate, format="#,##0.0"))


def probability(value: float) -> str:
    return format_percent(value, format="#,##0%")


def template_globals() -> dict:
    return {
        "criterion_label": criterion_label, "score_value": score_value, "estimate": estimate,
        "probability": probability, "file_size": file_size,
        "explanation_line": explanation_line,
        "ROUND_KIND_LABELS": ROUND_KIND_LABELS, "ROUND_STATUS_LABELS": ROUND_STATUS_LABELS,
        "ASSIGNMENT_STATUS_LABELS": ASSIGNMENT_STATUS_LABELS,
        "CONFLICT_KIND_LABELS": CONFLICT_KIND_LABELS, "ESTIMATOR_LABELS": ESTIMATOR_LABELS,
        "ESTIMATOR_DESCRIPTIONS": ESTIMATOR_DESCRIPTIONS,
        "RANKING_FLAG_LABELS": RANKING_FLAG_LABELS, "NOMINATION_CRITERIA": NOMINATION_CRITERIA,
    }
