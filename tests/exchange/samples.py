"""CSV files for the import tests, built from rows given as dicts."""

from __future__ import annotations

import csv
import io
import itertools

from crunchtime.imports import CHALLENGE_COLUMNS, STUDENT_COLUMNS

_numbers = itertools.count(1)


def student(**cells) -> dict:
    """A valid students-file row; `cells` override its values."""
    n = next(_numbers)
    row = {
        "email": f"etudiant{n}@etu.utbm.fr", "first_name": "Camille", "last_name": f"Martin{n}",
        "programme": "Informatique", "year": "3", "skills": "Python;UX",
        "interests": "Santé, numérique", "choices": "", "group": "",
    }
    return {**row, **cells}


def challenge(code: str, /, **cells) -> dict:
    row = {
        "code": code, "title": f"Défi {code}", "organisation": "Énergie Nord SA",
        "description": "Réduire la consommation.\nLivrable : un prototype.",
        "skills": "Thermique;Data science", "teams": "2",
    }
    return {**row, **cells}


def csv_bytes(rows, columns=STUDENT_COLUMNS, *, delimiter=",", bom=False,
              encoding="utf-8", newline="\r\n") -> bytes:
    """The rows as an import file, the way a spreadsheet writes it."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=newline)
    writer.writerow(columns)
    writer.writerows([row.get(column, "") for column in columns] for row in rows)
    return ("\ufeff" if bom else "").encode(encoding) + buffer.getvalue().encode(encoding)


def students_csv(*rows, **options) -> bytes:
    return csv_bytes(rows, STUDENT_COLUMNS, **options)


def challenges_csv(*rows, **options) -> bytes:
    return csv_bytes(rows, CHALLENGE_COLUMNS, **options)


def codes(problems) -> list[tuple[int, str, str]]:
    """(line, column, code) of each problem, to compare in one assertion."""
    return [(problem.line, problem.column, problem.code) for problem in problems]
