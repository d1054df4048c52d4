"""The scoring algorithms speak plain English errors; users get translated domain errors."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from flask_babel import gettext as _

from crunchtime.errors import Conflict, DomainError, InvalidInput
from crunchtime.scoring import AssignmentError, LedgerError, RankingError

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
