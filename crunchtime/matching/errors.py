"""The one exception of the matching package: the problem has no valid matching."""

from __future__ import annotations

from typing import Any


class MatchingInfeasible(Exception):
    """No matching satisfies the constraints; `code` names why, `details` says where.

    Codes: not_enough_seats, group_too_large, size_bounds_unreachable, pins_conflict,
    pins_over_capacity, programme_cap_unreachable, no_feasible_assignment. The details are
    plain data (numbers, codes, lists) so the app can render them in any language.
    """

    def __init__(self, code: str, details: dict[str, Any]) -> None:
        super().__init__(f"{code}: {details}")
        self.code = code
        self.details = details
