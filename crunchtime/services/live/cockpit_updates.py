"""One subscriber keeps the cockpit live: whatever service commits a change to the rows the
cockpit counts (a registration, a submission, a score…), the organisers' room hears a
"cockpit" event once the request ends, and their page fetches its figures again.

Rows written by bulk statements (imports, the demo) are not seen here; the cockpit page also
refreshes on the events those services publish, and every minute.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask, g, has_request_context
from sqlalchemy.orm import Session

from crunchtime.models import (
    Announcement,
    Challenge,
    DeletionRequest,
    IncubationFlag,
    IncubationNomination,
    Interest,
    JuryAssignment,
    Membership,
    MilestoneProgress,
    Preference,
    ScoreEvent,
    StudentProfile,
    Submission,
    SubmissionVersion,
    Team,
)
from crunchtime.realtime.publish import publish
from crunchtime.realtime.rooms import ORGANIZERS

WATCHED = (Announcement, Challenge, DeletionRequest, IncubationFlag, IncubationNomination,
           Interest, JuryAssignment, Membership, MilestoneProgress, Preference, ScoreEvent,
           StudentProfile, Submission, SubmissionVersion, Team)
SESSION_KEY = "cockpit_changes"
EVENT = "cockpit"


def _note_changes(session: Session, _flush_context) -> None:
    names = {type(row).__tablename__ for rows in (session.new, session.dirty, session.deleted)
             for row in rows if isinstance(row, WATCHED)}
    if names:
        session.info.setdefault(SESSION_KEY, set()).update(names)


def _committed(session: Session) -> None:
    names = session.info.pop(SESSION_KEY, None)
    if names and has_request_context():
        g.cockpit_changes = getattr(g, "cockpit_changes", set()) | names


def _rolled_back(session: Session) -> None:
    session.info.pop(SESSION_KEY, None)


def publish_changes(response):
    """After the request: tell the organisers' pages what changed (after every commit)."""
    names = g.pop("cockpit_changes", None) if has_request_context() else None
    if names:
        publish(EVENT, {"changed": sorted(names)}, room=ORGANIZERS)
    return response


def install(app: Flask) -> None:
    """Listen to every session's commits (once per process) and publish after requests."""
    for name, listener in (("after_flush", _note_changes), ("after_commit", _committed),
                           ("after_rollback", _rolled_back)):
        if not sa.event.contains(Session, name, listener):
            sa.event.listen(Session, name, listener)
    app.after_request(publish_changes)
