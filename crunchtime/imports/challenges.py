"""The challenges file (DESIGN §4), for organisers who collect challenges offline."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from crunchtime.imports.cells import RowCheck, report_repeats
from crunchtime.imports.results import RowProblem, sort_problems
from crunchtime.imports.table import read_table

CHALLENGE_COLUMNS = ("code", "title", "organisation", "description", "skills", "teams")
CODE_PATTERN = re.compile(r"C\d{1,7}")
TEAMS_RANGE = (1, 10)
TITLE_LENGTH, ORGANISATION_LENGTH, SKILL_LENGTH = 200, 160, 80


@dataclass(frozen=True)
class ChallengeRow:
    """One challenge as the file describes it; `teams` is None when the cell is broken."""

    line: int
    code: str
    title: str
    organisation: str
    description: str
    skills: tuple[str, ...]
    teams: int | None


@dataclass
class ChallengeFile:
    rows: list[ChallengeRow] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    delimiter: str = ","
    source: str = "csv"  # or the workbook's format, "xlsx" or "ods"


def parse_challenges(data: bytes) -> ChallengeFile:
    """Read and check a challenges file; codes must be unique in it (any case)."""
    table = read_table(data, CHALLENGE_COLUMNS)
    parsed = ChallengeFile(problems=table.problems, delimiter=table.delimiter,
                           source=table.source)
    for record in table.records:
        parsed.rows.append(_challenge(RowCheck(record, parsed.problems)))
    report_repeats(
        ((record, row.code) for record, row in zip(table.records, parsed.rows, strict=True)),
        "code", "duplicate_code", parsed.problems,
    )
    sort_problems(parsed.problems, CHALLENGE_COLUMNS)
    return parsed


def _challenge(check: RowCheck) -> ChallengeRow:
    return ChallengeRow(
        line=check.record.line,
        code=_code(check),
        title=check.text("title", TITLE_LENGTH, required=True),
        organisation=check.text("organisation", ORGANISATION_LENGTH, required=True),
        description=check.long_text("description"),
        skills=check.items("skills", SKILL_LENGTH),
        teams=check.integer("teams", *TEAMS_RANGE),
    )


def _code(check: RowCheck) -> str:
    code = check.record.cells["code"].strip().upper()
    if not code:
        check.problem("code", "required")
    elif not CODE_PATTERN.fullmatch(code):
        check.problem("code", "bad_code", value=check.record.cells["code"].strip())
    return code
