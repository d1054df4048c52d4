"""Reading typed values out of one record's cells, collecting a problem for each bad one."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable

from email_validator import EmailNotValidError, validate_email

from crunchtime.imports.results import RowProblem
from crunchtime.imports.table import Record

LIST_SEPARATOR = ";"
MAX_EMAIL_LENGTH = 254


class RowCheck:
    """The cells of one record; each reader returns a clean value and notes what is wrong."""

    def __init__(self, record: Record, problems: list[RowProblem]):
        self.record = record
        self.problems = problems

    def problem(self, column: str, reason: str, /, **params) -> None:
        if column in self.record.reported:
            return  # the cell's own problem (a formula, a date…) says it already
        self.problems.append(self.record.problem(column, reason, **params))

    def text(self, column: str, max_length: int, *, required: bool = False) -> str:
        value = " ".join(self.record.cells[column].split())
        if required and not value:
            self.problem(column, "required")
        elif len(value) > max_length:
            self.problem(column, "too_long", max=max_length, length=len(value))
        return value

    def long_text(self, column: str) -> str:
        """Free text kept as written (line breaks included)."""
        return self.record.cells[column]

    def email(self, column: str) -> str:
        value = self.record.cells[column].strip()
        if not value:
            self.problem(column, "required")
        elif len(value) > MAX_EMAIL_LENGTH or not _valid_email(value):
            self.problem(column, "invalid_email", value=value)
        return value.lower()

    def integer(self, column: str, low: int, high: int) -> int | None:
        value = self.record.cells[column].strip()
        if not value:
            self.problem(column, "required")
            return None
        if not re.fullmatch(r"[+-]?\d{1,9}", value):
            self.problem(column, "not_integer", value=value)
            return None
        number = int(value)
        if not low <= number <= high:
            self.problem(column, "out_of_range", value=number, min=low, max=high)
            return None
        return number

    def items(self, column: str, max_length: int) -> tuple[str, ...]:
        """The `;`-separated items of a list cell, blanks dropped, repeats (any case) once."""
        seen: set[str] = set()
        items = []
        for raw in self.record.cells[column].split(LIST_SEPARATOR):
            item = " ".join(raw.split())
            if not item or item.casefold() in seen:
                continue
            if len(item) > max_length:
                self.problem(column, "item_too_long", item=item, max=max_length)
            seen.add(item.casefold())
            items.append(item)
        return tuple(items)


def _valid_email(value: str) -> bool:
    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


def report_repeats(
    entries: Iterable[tuple[Record, str]],
    column: str,
    code: str,
    problems: list[RowProblem],
    key: Callable[[str], str] = str.lower,
) -> None:
    """A problem on every line whose value another line also has, naming the other lines."""
    lines: dict[str, list[Record]] = defaultdict(list)
    for record, value in entries:
        if value:
            lines[key(value)].append(record)
    for records in lines.values():
        if len(records) < 2:
            continue
        for record in records:
            others = tuple(other.line for other in records if other is not record)
            problems.append(
                record.problem(column, code, value=record.cells[column].strip(), lines=others)
            )
