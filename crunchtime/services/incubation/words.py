"""The incubation package speaks in codes; these are their words, in the user's language:
signal names, reasons and cautions, decisions, refusals of weights, model status."""

from __future__ import annotations

from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from crunchtime.imports import RowProblem
from crunchtime.incubation import WeightsError
from crunchtime.services.exchange.words import problem_message

SIGNAL_LABELS = {
    "jury_score": _l("Calibrated jury score"),
    "score_certainty": _l("Certainty of the score"),
    "nominations": _l("Jury nominations"),
    "nomination_ratings": _l("Nomination ratings"),
    "company_interest": _l("Partner interest"),
    "continuation": _l("Wish to continue"),
    "originality": _l("Originality"),
    "completeness": _l("Completeness of the deliverables"),
}

SIGNAL_HELP = {
    "jury_score": _l("Round 1's calibrated score (jury severities corrected), as a "
                     "percentile of the edition."),
    "score_certainty": _l("How narrow the interval of the calibrated score is (95 per cent "
                           "confidence)."),
    "nominations": _l("Share of the team's juries who nominated it for incubation."),
    "nomination_ratings": _l("Mean of the nominations' ratings (commitment, validated "
                             "problem, feasibility, impact), from 1 to 5."),
    "company_interest": _l("A partner organisation marked interest in the team."),
    "continuation": _l("The team said it wants to continue; a written plan counts more."),
    "originality": _l("How far the project's texts are from the nearest other project's "
                      "(TF-IDF on character n-grams), as a percentile."),
    "completeness": _l("Share of the deliverable parts filled in and handed in."),
}

STATUS_LABELS = {
    "flagged": _l("to review"),
    "shortlisted": _l("shortlisted"),
    "declined": _l("declined"),
    "incubated": _l("incubated"),
}


def _continues(params: dict) -> str:
    if params.get("who"):
        return _("the team wants to continue: %(who)s", who=params["who"])
    if params.get("plan"):
        return _("the team wants to continue, with a written plan")
    return _("the team wants to continue")


def reason_text(reason: dict) -> str:
    """One stored reason or caution in words."""
    code, params = reason.get("code"), reason.get("params") or {}
    if code == "nominated":
        return ngettext("%(num)d jury of %(juries)d nominated it for incubation",
                        "%(num)d juries of %(juries)d nominated it for incubation",
                        params["count"], juries=params["juries"])
    if code == "interest":
        return ngettext("partner %(names)s marked interest", "partners %(names)s marked interest",
                        params["count"], names=", ".join(params["organisations"]))
    if code == "continues":
        return _continues(params)
    sentences = {
        "top_score": lambda: _("top %(percent)d%% in calibrated jury score", **params),
        "certain_score": lambda: _("calibrated score between %(low)d and %(high)d out of 100",
                                   **params),
        "ratings": lambda: _("nomination ratings average %(mean)s out of 5",
                             mean=format_decimal(params["mean"], "0.0")),
        "original": lambda: _("among the %(percent)d%% most original projects", **params),
        "complete": lambda: _("deliverables %(percent)d%% complete", **params),
        "unscored": lambda: _("no jury score yet"),
        "uncertain_score": lambda: _("uncertain jury score (between %(low)d and %(high)d out "
                                     "of 100)", **params),
        "no_submission": lambda: _("nothing handed in"),
        "stops": lambda: _("the team does not want to continue"),
    }
    return sentences[code]() if code in sentences else str(code)


def reasons_sentence(reasons: list[dict], kind: str = "reason") -> str:
    """"3 juries of 4 nominated it…; partner Alstom marked interest; top 5% …" """
    words = [reason_text(r) for r in reasons or [] if r.get("kind", "reason") == kind]
    text = "; ".join(words)
    return text[:1].upper() + text[1:]


def weights_message(error: WeightsError) -> str:
    params = dict(error.params)
    if "total" in params:
        params["total"] = format_decimal(params["total"], "0.##")
    if "signal" in params:
        params["label"] = str(SIGNAL_LABELS.get(params["signal"], params["signal"]))
    return {
        "unknown_signal": lambda: _("Unknown signal “%(signal)s”.", **params),
        "not_a_number": lambda: _("The weight of “%(label)s” must be a number.", **params),
        "negative": lambda: _("The weight of “%(label)s” cannot be negative.", **params),
        "too_large": lambda: _("The weight of “%(label)s” cannot exceed 100.", **params),
        "all_zero": lambda: _("Every weight is zero: every team would score 0. Give weight "
                              "to at least one signal."),
        "bad_total": lambda: _("The weights add up to %(total)s, not %(expected)d: for a score "
                               "out of 100 they must add up to exactly 100.", **params),
    }[error.code]()


def model_status_text(report: dict | None) -> str:
    if not report or report.get("status") == "trained":
        return ""
    params = report.get("params") or {}
    if report.get("code") == "too_few_decisions":
        return _("Past editions hold %(positives)d incubated teams and %(negatives)d others; "
                 "the model needs at least %(needed)d of each.", **params)
    return _("No past edition with incubation decisions yet: import a past edition's "
             "outcomes to train the model.")


OUTCOME_MESSAGES = {
    "unknown_team": _l("No team has the code %(code)s in this edition."),
    "bad_yes_no": _l("“%(value)s” is neither yes nor no (oui/non, 1/0 are accepted too)."),
}


def outcome_problem_message(problem: RowProblem) -> str:
    if problem.code in OUTCOME_MESSAGES:
        return str(OUTCOME_MESSAGES[problem.code]) % dict(problem.params)
    return problem_message(problem)
