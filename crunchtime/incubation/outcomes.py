"""A past edition's incubation outcomes file, `team,incubated` (pure: bytes in).

All-or-nothing like the other imports: every broken row is reported with its line; the
service writes nothing unless the whole file is clean. `incubated` reads yes/no in French
or English, 1/0, true/false.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

from crunchtime.imports.cells import RowCheck, report_repeats
from crunchtime.imports.results import RowProblem, sort_problems
from crunchtime.imports.table import read_table
from crunchtime.text import fold

OUTCOME_COLUMNS = ("team", "incubated")
YES = frozenset({"yes", "y", "oui", "o", "1", "true", "vrai", "x", "incubated", "incube"})
NO = frozenset({"no", "n", "non", "0", "false", "faux", "not incubated", "non incube"})


@dataclass(frozen=True)
class OutcomeRow:
    line: int
    team: str
    incubated: bool | None


@dataclass
class OutcomeFile:
    rows: list[OutcomeRow] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    delimiter: str = ","


def read_yes_no(value: str) -> bool | None:
    word = " ".join(fold(value).split())
    return True if word in YES else False if word in NO else None


def _row(check: RowCheck, known: set[str]) -> OutcomeRow:
    code = check.record.cells["team"].strip().upper()
    if not code:
        check.problem("team", "required")
    elif code not in known:
        check.problem("team", "unknown_team", code=code)
    raw = check.record.cells["incubated"].strip()
    incubated = read_yes_no(raw)
    if not raw:
        check.problem("incubated", "required")
    elif incubated is None:
        check.problem("incubated", "bad_yes_no", value=raw)
    return OutcomeRow(check.record.line, code, incubated)


def parse_outcomes(data: bytes, known_codes: Collection[str]) -> OutcomeFile:
    """Read and check the file against the edition's team codes (each code once)."""
    table = read_table(data, OUTCOME_COLUMNS)
    parsed = OutcomeFile(problems=table.problems, delimiter=table.delimiter)
    known = {code.upper() for code in known_codes}
    for record in table.records:
        parsed.rows.append(_row(RowCheck(record, parsed.problems), known))
    report_repeats(
        ((record, row.team) for record, row in zip(table.records, parsed.rows, strict=True)),
        "team", "duplicate_code", parsed.problems,
    )
    sort_problems(parsed.problems, OUTCOME_COLUMNS)
    return parsed
