"""Organisers' judging pages: rounds and rubric, jury assignment, scores and the ledger,
the three rankings, finalists, results and exports."""

from crunchtime.views.judging.admin import (  # noqa: F401  (register their routes)
    assignment,
    results,
    rounds,
    scores,
)
from crunchtime.views.judging.admin.blueprint import blueprint

__all__ = ["blueprint"]
