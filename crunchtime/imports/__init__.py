"""Reading and checking the import files of DESIGN §4 (pure: bytes in, dataclasses out).

No Flask and no models here: the services match the rows against the database and turn
each `RowProblem` code into a translated message.
"""

from crunchtime.imports.challenges import (
    CHALLENGE_COLUMNS,
    ChallengeFile,
    ChallengeRow,
    parse_challenges,
)
from crunchtime.imports.results import ImportReport, RowProblem
from crunchtime.imports.spreadsheet import MAX_DATA_ROWS
from crunchtime.imports.students import STUDENT_COLUMNS, StudentFile, StudentRow, parse_students

__all__ = [
    "CHALLENGE_COLUMNS",
    "MAX_DATA_ROWS",
    "STUDENT_COLUMNS",
    "ChallengeFile",
    "ChallengeRow",
    "ImportReport",
    "RowProblem",
    "StudentFile",
    "StudentRow",
    "parse_challenges",
    "parse_students",
]
