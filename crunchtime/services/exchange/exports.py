"""The edition's CSV exports (DESIGN §4): one header and a lazy stream of rows per kind, for
the organisers' downloads and `crunchtime export KIND FILE`, both written by csv_cells.py."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TextIO

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from crunchtime.errors import InvalidInput
from crunchtime.extensions import db
from crunchtime.models import Challenge, Edition, Membership, StudentProfile, Team, User
from crunchtime.services.accounts import people
from crunchtime.services.exchange.csv_cells import write_csv
from crunchtime.services.incubation.review import SHORTLIST_STATUSES, review_queue
from crunchtime.services.incubation.words import STATUS_LABELS, reasons_sentence
from crunchtime.services.judging import results
from crunchtime.services.presence.export import ATTENDANCE_COLUMNS, attendance_rows
from crunchtime.services.scheduling.export import SCHEDULE_COLUMNS, schedule_rows
from crunchtime.services.submissions import overview as submission_overview


@dataclass(frozen=True)
class Export:
    kind: str
    label: object
    header: list[str]
    rows: Callable[[Edition], Iterable]


TEAM_COLUMNS = ["team", "challenge", "email"]


def team_rows(edition: Edition) -> Iterator[list]:
    """One row per member: `team,challenge,email` (DESIGN §4)."""
    rows = db.session.execute(
        sa.select(Team.code, Challenge.code, User.email)
        .join(Challenge, Challenge.id == Team.challenge_id)
        .join(Membership, Membership.team_id == Team.id)
        .join(StudentProfile, StudentProfile.id == Membership.student_id)
        .join(User, User.id == StudentProfile.user_id)
        .where(Team.edition_id == edition.id).order_by(Team.code, User.email))
    for team, challenge, email in rows:
        yield [team, challenge, email]


INCUBATION_COLUMNS = ["team", "team_name", "challenge", "organisation", "status", "score",
                      "model_probability", "title", "pitch", "reasons", "decided_at", "note"]


def incubation_rows(edition: Edition, statuses: tuple[str, ...] | None = None) -> Iterator[list]:
    """Every flagged team (or those with these statuses), best transparent score first."""
    for row in review_queue(edition):
        flag = row.flag
        if statuses and flag.status not in statuses:
            continue
        yield [row.team.code, row.team.name or "", row.challenge.code, row.organisation,
               str(STATUS_LABELS[flag.status]), round(flag.score, 1),
               "" if flag.model_probability is None else round(flag.model_probability, 3),
               row.title, row.pitch, reasons_sentence(flag.reasons),
               flag.decided_at.isoformat() if flag.decided_at else "", flag.note]


def shortlist_rows(edition: Edition) -> Iterator[list]:
    return incubation_rows(edition, SHORTLIST_STATUSES)


EXPORTS = {
    export.kind: export for export in (
        Export("students", _l("Students"), people.STUDENT_COLUMNS,
               lambda edition: people.student_rows(edition, people.StudentFilters())),
        Export("teams", _l("Teams"), TEAM_COLUMNS, team_rows),
        Export("submissions", _l("Submissions"), list(submission_overview.CSV_COLUMNS),
               lambda edition: submission_overview.csv_rows(
                   submission_overview.submission_rows(edition))),
        Export("scores", _l("Scores"), results.SCORE_COLUMNS, results.score_rows),
        Export("results", _l("Results"), results.RESULT_COLUMNS, results.result_rows),
        Export("incubation", _l("Incubation"), INCUBATION_COLUMNS, incubation_rows),
        Export("attendance", _l("Attendance for credits"), ATTENDANCE_COLUMNS,
               attendance_rows),
        Export("schedule", _l("Pitch schedule"), SCHEDULE_COLUMNS, schedule_rows),
    )
}


def get_export(kind: str) -> Export:
    if kind not in EXPORTS:
        raise InvalidInput(_("Unknown export “%(kind)s”; choose one of: %(kinds)s.",
                             kind=kind, kinds=", ".join(EXPORTS)))
    return EXPORTS[kind]


def write_export(kind: str, edition: Edition, target: TextIO, delimiter: str = ",") -> int:
    """Write the export (UTF-8 with BOM, CRLF as Excel expects); the number of data rows."""
    export = get_export(kind)
    return write_csv(target, export.header, export.rows(edition), delimiter)
