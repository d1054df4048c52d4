"""What an import says back: the problems of a refused file, or the counts of an accepted one."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class RowProblem:
    """One reason to refuse a file, where a spreadsheet user can find it.

    `line` is the physical line where the record starts (the header is line 1); `row` is the
    spreadsheet row, which is smaller when earlier cells span several lines. `column` is the
    header name ("" for the whole row or file); `code` names the reason, `params` fill its text.
    """

    line: int
    column: str
    code: str
    params: Mapping[str, object] = field(default_factory=dict)
    row: int | None = None



def sort_problems(problems: list[RowProblem], columns: Sequence[str]) -> None:
    """In file order: by line, then by column as the header lists them."""
    position = {name: index for index, name in enumerate(columns)}
    problems.sort(key=lambda p: (p.line, position.get(p.column, -1), p.code))


@dataclass
class ImportReport:
    """The outcome of one import: counts when accepted, every problem when refused."""

    kind: str
    filename: str = ""
    source: str = "csv"  # else a workbook ("xlsx", "ods"…): problems are on its rows
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    invitations: int = 0
    new_programmes: list[str] = field(default_factory=list)
    new_skills: list[str] = field(default_factory=list)
    new_organisations: list[str] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def accepted(self) -> bool:
        return not self.problems

    @property
    def from_spreadsheet(self) -> bool:
        return self.source != "csv"

    @property
    def broken_lines(self) -> list[int]:
        """The distinct lines with at least one problem."""
        return sorted({problem.line for problem in self.problems})
