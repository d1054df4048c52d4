"""Import a past edition's incubation outcomes (`team,incubated`), so the model can learn
from editions decided outside the app. All-or-nothing: any unknown team code or unreadable
answer refuses the file with every broken line; re-importing the same file changes nothing."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from crunchtime.errors import Conflict, Forbidden, NotFound
from crunchtime.extensions import db
from crunchtime.imports import ImportReport
from crunchtime.imports.results import sort_problems
from crunchtime.incubation.outcomes import OUTCOME_COLUMNS, parse_outcomes
from crunchtime.models import Edition, IncubationFlag, Team, User
from crunchtime.models.base import utcnow
from crunchtime.services.audit import record_audit
from crunchtime.services.exchange.imports import ImportRejected
from crunchtime.services.incubation.training import earlier_than

IMPORTED_NOTE = "import"




def past_editions(current: Edition | None) -> list[Edition]:
    """Editions older than the current one, newest first: those whose outcomes may be
    imported (the model of an edition learns only from earlier ones)."""
    query = sa.select(Edition).order_by(Edition.year.desc(), Edition.id.desc())
    if current is not None:
        query = query.where(earlier_than(current))
    return list(db.session.scalars(query))


def _past_edition(edition_id: int, current: Edition | None) -> Edition:
    edition = db.session.get(Edition, edition_id)
    if edition is None:
        raise NotFound(_("This edition does not exist."), field="edition")
    if current is not None and edition not in past_editions(current):
        raise Conflict(_("Outcomes are imported for past editions; the current edition's "
                         "decisions are taken in the review queue."), field="edition")
    return edition


def import_outcomes(actor: User | None, edition_id: int, data: bytes, current: Edition | None,
                    *, filename: str = "") -> ImportReport:
    """Record which teams of a past edition were incubated (and which were not).

    Deliberately allowed on an archived edition, the one write it accepts: archived editions
    are exactly those whose committee decided outside the app, and their outcomes are what
    the next years' model learns from. Only the decisions change, never the edition's data."""
    if actor is not None and actor.role != "organizer":
        raise Forbidden(_("Only organisers can import files."))
    edition = _past_edition(edition_id, current)
    teams = dict(db.session.execute(
        sa.select(Team.code, Team.id).where(Team.edition_id == edition.id)).all())
    parsed = parse_outcomes(data, teams)
    report = ImportReport("outcomes", filename, rows=len(parsed.rows), problems=parsed.problems)
    if report.problems:
        sort_problems(report.problems, OUTCOME_COLUMNS)
        raise ImportRejected(report)
    flags = {flag.team_id: flag for flag in db.session.scalars(
        sa.select(IncubationFlag).where(IncubationFlag.team_id.in_(teams.values())))}
    now = utcnow()
    for row in parsed.rows:
        status = "incubated" if row.incubated else "declined"
        flag = flags.get(teams[row.team])
        if flag is not None and flag.status == status:
            report.unchanged += 1
            continue
        if flag is None:
            flag = IncubationFlag(team_id=teams[row.team], reasons=[])
            db.session.add(flag)
            report.created += 1
        else:
            report.updated += 1
        flag.status, flag.note = status, flag.note or IMPORTED_NOTE
        flag.decided_by_id, flag.decided_at = getattr(actor, "id", None), now
    record_audit(actor, "incubation.import_outcomes", edition, edition_id=edition.id,
                 filename=filename, rows=report.rows, created=report.created,
                 updated=report.updated, unchanged=report.unchanged,
                 via="web" if actor else "cli")
    db.session.commit()
    return report
