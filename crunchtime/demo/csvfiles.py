"""A cohort written as the import files of DESIGN §4, to exercise the importers with real sizes."""

from __future__ import annotations

import csv
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TextIO

from crunchtime.demo.records import ChallengeData, Cohort, StudentData

STUDENT_COLUMNS = (
    "email", "first_name", "last_name", "programme", "year", "skills", "interests", "choices",
    "group",
)
CHALLENGE_COLUMNS = ("code", "title", "organisation", "description", "skills", "teams")
LIST_SEPARATOR = ";"

PathOrFile = str | os.PathLike[str] | TextIO


def write_students_csv(cohort: Cohort, path_or_file: PathOrFile) -> None:
    """Write the students file: one row per student, choices best first."""
    _write(path_or_file, STUDENT_COLUMNS, cohort.students, _student_row)


def write_challenges_csv(cohort: Cohort, path_or_file: PathOrFile) -> None:
    """Write the challenges file; the description joins problem, context and deliverable."""
    _write(path_or_file, CHALLENGE_COLUMNS, cohort.challenges, _challenge_row)


def challenge_description(challenge: ChallengeData) -> str:
    return "\n\n".join(
        (challenge.problem, challenge.context, f"Livrable attendu : {challenge.deliverable}")
    )


def _student_row(student: StudentData) -> tuple[str, ...]:
    return (
        student.email,
        student.first_name,
        student.last_name,
        student.programme,
        str(student.year),
        LIST_SEPARATOR.join(student.skills),
        student.interests,
        LIST_SEPARATOR.join(student.choices),
        student.group or "",
    )


def _challenge_row(challenge: ChallengeData) -> tuple[str, ...]:
    return (
        challenge.code,
        challenge.title,
        challenge.organisation,
        challenge_description(challenge),
        LIST_SEPARATOR.join(challenge.skills),
        str(challenge.teams_wanted),
    )


def _write(path_or_file: PathOrFile, header, records: Iterable, to_row: Callable) -> None:
    with _opened(path_or_file) as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(to_row(record) for record in records)


@contextmanager
def _opened(path_or_file: PathOrFile) -> Iterator[TextIO]:
    """Open a path as UTF-8 text (closing it after), or use an already open text stream."""
    if isinstance(path_or_file, (str, os.PathLike)):
        with open(path_or_file, "w", encoding="utf-8", newline="") as stream:
            yield stream
    else:
        yield path_or_file
