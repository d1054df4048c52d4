"""The judging area's words: names of its fixed values (rounds, assignments, conflicts,
estimators, ranking flags, nomination criteria), and the scoring algorithms' plain English
errors turned into translated domain errors."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from crunchtime.errors import Conflict, DomainError, InvalidInput
from crunchtime.scoring import AssignmentError, LedgerError, RankingError

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
    "calibrated": _l("Project quality seen through each jury's severity and its use of the "
                     "scale, fitted over all the juries together; a top or bottom mark reads as "
                     "“at least” or “at most”: a team scored by severe, generous or cautious "
                     "juries is neither penalised nor favoured."),
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


_FIRST_NUMBER = re.compile(r"(-?\d+)")


_CRITERION = re.compile(r"criterion (\d+)")


def _number_in(text: str, pattern: re.Pattern = _FIRST_NUMBER) -> str:
    match = pattern.search(text)
    return match.group(1) if match else "?"


def assignment_failure(error: AssignmentError) -> DomainError:
    reason = str(error)
    if "conflict of interest" in reason:
        message = _("A pair already assigned is now a conflict of interest: remove it first, "
                    "then assign again.")
    elif "unknown id" in reason:
        message = _("A pair already assigned names a jury or a team that is no longer in the "
                    "round: remove it first, then assign again.")
    else:
        message = _("The juries cannot be assigned with these settings.")
    return InvalidInput(message, reason=reason)


def ledger_failure(error: LedgerError) -> DomainError:
    reason = str(error)
    return Conflict(
        _("The score ledger cannot be replayed: event no. %(seq)s breaks its rules. Nothing "
          "was changed; tell the technical team.", seq=_number_in(reason)),
        reason=reason,
    )


def ranking_failure(error: RankingError) -> DomainError:
    reason = str(error)
    if "criterion" in reason:
        return Conflict(
            _("The ranking cannot be computed: a score does not fit criterion no. "
              "%(criterion)s (was its scale changed after scoring?).",
              criterion=_number_in(reason, _CRITERION)),
            reason=reason,
        )
    return InvalidInput(_("The ranking cannot be computed with these settings."), reason=reason)


@contextmanager
def translated_scoring_errors() -> Iterator[None]:
    """Run a call into `crunchtime.scoring`, turning its errors into domain errors."""
    try:
        yield
    except AssignmentError as error:
        raise assignment_failure(error) from error
    except LedgerError as error:
        raise ledger_failure(error) from error
    except RankingError as error:
        raise ranking_failure(error) from error


# --- What is missing before an irreversible step (readiness.py counts it) ---

ROUND_ACTION_LABELS = {
    "open": _l("Open the scoring"),
    "reopen": _l("Reopen the scoring"),
    "closed": _l("Close the round"),
}


ESTIMATOR_UNITS = {
    "raw": _l("out of 100"),
    "zscore": _l("in standard deviations"),
    "calibrated": _l("out of 100"),
}


def readiness_gaps(readiness) -> list[str]:
    """One sentence per gap of a `RoundReadiness`, with its count; empty when complete."""
    gaps = []
    if readiness.teams == 0:
        gaps.append(_("No team takes part in this round yet."))
    if readiness.missing_scores:
        gaps.append(ngettext("%(num)d score of %(expected)d is missing.",
                             "%(num)d scores of %(expected)d are missing.",
                             readiness.missing_scores, expected=readiness.expected_scores))
    if readiness.teams_not_fully_judged:
        gaps.append(ngettext("%(num)d team of %(teams)d is not fully judged.",
                             "%(num)d teams of %(teams)d are not fully judged.",
                             readiness.teams_not_fully_judged, teams=readiness.teams))
    if readiness.teams_without_jury:
        gaps.append(ngettext("%(num)d team has no jury assigned.",
                             "%(num)d teams have no jury assigned.",
                             readiness.teams_without_jury))
    if readiness.single_jury_matters:
        gaps.append(ngettext("%(num)d team is ranked on a single jury's score.",
                             "%(num)d teams are ranked on a single jury's score.",
                             readiness.teams_single_jury))
    if readiness.juries_unfinished:
        gaps.append(ngettext("%(num)d jury member has not finished scoring.",
                             "%(num)d jury members have not finished scoring.",
                             readiness.juries_unfinished))
    return gaps


def close_acknowledgement(readiness) -> str:
    """The box an organiser ticks to close a round that is not complete."""
    if readiness.teams_not_fully_judged:
        return ngettext("I understand that %(num)d team is not fully judged: close the round "
                        "anyway.",
                        "I understand that %(num)d teams are not fully judged: close the "
                        "round anyway.", readiness.teams_not_fully_judged)
    if readiness.single_jury_matters:
        return ngettext("I understand that %(num)d team is ranked on a single jury's score: "
                        "close the round anyway.",
                        "I understand that %(num)d teams are ranked on a single jury's score: "
                        "close the round anyway.", readiness.teams_single_jury)
    return _("I understand that the round is incomplete: close it anyway.")


def close_refusal(readiness) -> str:
    return _("Round “%(name)s” is not complete: %(gaps)s Tick the box to confirm that you "
             "close it anyway.", name=readiness.name, gaps=" ".join(readiness_gaps(readiness)))


def publish_acknowledgement(single_jury_places: int, incomplete_teams: int) -> str:
    if single_jury_places:
        return ngettext("I understand that %(num)d place rests on a single jury's score: "
                        "publish anyway.",
                        "I understand that %(num)d places rest on a single jury's score: "
                        "publish anyway.", single_jury_places)
    return ngettext("I understand that %(num)d team is not fully judged: publish anyway.",
                    "I understand that %(num)d teams are not fully judged: publish anyway.",
                    incomplete_teams)


def publish_refusal() -> str:
    return _("The results rest on incomplete judging (see the figures above). Tick the box "
             "“I understand…” to publish them anyway.")


def single_jury_places_text(count: int) -> str:
    return ngettext("%(num)d place to publish rests on a single jury's score.",
                    "%(num)d places to publish rest on a single jury's score.", count)
