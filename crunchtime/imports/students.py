"""The registrar's students file (DESIGN §4): every row checked, every problem collected."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from crunchtime.imports.cells import RowCheck, report_repeats
from crunchtime.imports.results import RowProblem, sort_problems
from crunchtime.imports.table import Record, read_table

STUDENT_COLUMNS = (
    "email", "first_name", "last_name", "programme", "year", "skills", "interests", "choices",
    "group",
)
YEAR_RANGE = (1, 8)
MIN_CHOICES, MAX_CHOICES = 3, 5
MAX_GROUP_SIZE = 3
NAME_LENGTH, PROGRAMME_LENGTH, SKILL_LENGTH, GROUP_LENGTH = 80, 120, 80, 32
CHOICE_SEPARATORS = re.compile(r"[;,\s]+")


@dataclass(frozen=True)
class StudentRow:
    """One student as the file describes them; `year` is None when the cell is broken."""

    line: int
    email: str
    first_name: str
    last_name: str
    programme: str
    year: int | None
    skills: tuple[str, ...]
    interests: str
    choices: tuple[str, ...]
    group: str | None


@dataclass
class StudentFile:
    rows: list[StudentRow] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    delimiter: str = ","
    source: str = "csv"  # or the workbook's format, "xlsx" or "ods"


def parse_students(
    data: bytes, challenge_statuses: Mapping[str, str] | None = None
) -> StudentFile:
    """Read and check a students file; `challenge_statuses` maps each code of the edition to
    its status, so choices naming unknown or unapproved challenges are problems too."""
    table = read_table(data, STUDENT_COLUMNS)
    parsed = StudentFile(problems=table.problems, delimiter=table.delimiter,
                         source=table.source)
    for record in table.records:
        parsed.rows.append(_student(RowCheck(record, parsed.problems), challenge_statuses))
    report_repeats(
        ((record, row.email) for record, row in zip(table.records, parsed.rows, strict=True)),
        "email", "duplicate_email", parsed.problems,
    )
    _report_large_groups(table.records, parsed.rows, parsed.problems)
    sort_problems(parsed.problems, STUDENT_COLUMNS)
    return parsed


def _student(check: RowCheck, statuses: Mapping[str, str] | None) -> StudentRow:
    group = check.text("group", GROUP_LENGTH).upper()
    return StudentRow(
        line=check.record.line,
        email=check.email("email"),
        first_name=check.text("first_name", NAME_LENGTH, required=True),
        last_name=check.text("last_name", NAME_LENGTH, required=True),
        programme=check.text("programme", PROGRAMME_LENGTH, required=True),
        year=check.integer("year", *YEAR_RANGE),
        skills=check.items("skills", SKILL_LENGTH),
        interests=check.long_text("interests"),
        choices=_choices(check, statuses),
        group=group or None,
    )


def _choices(check: RowCheck, statuses: Mapping[str, str] | None) -> tuple[str, ...]:
    """Challenge codes best first (separated by `;`, `,` or spaces), each checked: none
    (the student ranks in the app) or 3 to 5, as the app itself asks of a student."""
    codes: list[str] = []
    for code in CHOICE_SEPARATORS.split(check.record.cells["choices"].upper()):
        if not code:
            continue
        if code in codes:
            check.problem("choices", "duplicate_choice", code=code)
            continue
        codes.append(code)
        if statuses is None:
            continue
        if code not in statuses:
            check.problem("choices", "unknown_challenge", code=code)
        elif statuses[code] != "approved":
            check.problem("choices", "challenge_not_approved", code=code)
    if len(codes) > MAX_CHOICES:
        check.problem("choices", "too_many_choices", count=len(codes), max=MAX_CHOICES)
    elif 0 < len(codes) < MIN_CHOICES:
        check.problem("choices", "too_few_choices", count=len(codes), min=MIN_CHOICES)
    return tuple(codes)


def _report_large_groups(
    records: list[Record], rows: list[StudentRow], problems: list[RowProblem]
) -> None:
    """Each line of a friend group that has more than MAX_GROUP_SIZE members in the file."""
    members: dict[str, list[int]] = defaultdict(list)
    for row in rows:
        if row.group:
            members[row.group].append(row.line)
    for record, row in zip(records, rows, strict=True):
        lines = members.get(row.group or "", [])
        if len(lines) > MAX_GROUP_SIZE:
            problems.append(
                record.problem(
                    "group", "group_too_large", group=row.group, size=len(lines),
                    max=MAX_GROUP_SIZE, lines=tuple(n for n in lines if n != row.line),
                )
            )
