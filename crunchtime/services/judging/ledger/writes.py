"""Writing the append-only score ledger: scores, corrections, undos within 30 s, organiser
retractions. Each write is checked (assignment, scale, round open, phase), idempotent on its
client event id, committed, and only then acknowledged and published to the organisers.
Scores are written in groups (groups.py): what a burst of juries sends at once commits
together, and the group checks their accounts too, so that a phone's score event reads
nothing before it joins its group."""

from __future__ import annotations

import sqlalchemy as sa
from flask import has_request_context
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from crunchtime.access import SessionIdentity
from crunchtime.errors import Conflict, DomainError, Forbidden, InvalidInput, NotFound
from crunchtime.extensions import db
from crunchtime.metrics import SCORES_RECORDED
from crunchtime.models import ScoreEvent
from crunchtime.models.base import utcnow
from crunchtime.realtime.publish import publish, publish_all
from crunchtime.realtime.rooms import ORGANIZERS
from crunchtime.scoring.ledger import UNDO, VALUE_KINDS
from crunchtime.services.accounts.jury_profiles import jury_profile
from crunchtime.services.judging.ledger.checks import (
    COMMENT_MAX,
    UNDO_WINDOW,
    RecordedEvent,
    ScoreInput,
    assignment_of,
    check_event_id,
    check_reuse,
    existing_event,
    open_round,
    recorded_event,
    refresh_status,
)
from crunchtime.services.judging.ledger.groups import ScoreRequest, write_score_requests
from crunchtime.services.judging.ledger.queries import ledger_events, replay
from crunchtime.services.judging.ledger.turns import (
    WRITE_TURNS,
    commit_with_retry,
    lock_jury,
    one_writer_at_a_time,
)

__all__ = ["COMMENT_MAX", "RecordedEvent", "ScoreInput", "mark_absent", "publish_score_events",
           "record_score", "record_scores", "record_session_score", "recorded_event",
           "refresh_status", "undo_score", "undo_scores", "undoable_events"]


def _start_own_unit_of_work() -> None:
    """A ledger write is a unit of work of its own: it never commits what its caller left
    pending, and refuses such a call rather than write it with the scores. A caller's
    read-only transaction (the account loaded for the request) is only ended."""
    session = db.session
    if session.new or session.deleted or any(session.is_modified(row) for row in session.dirty):
        raise RuntimeError("a score write starts its own unit of work: commit or roll back "
                           "the caller's changes first")


def _committed(write):
    """Commit `write` (retried on a transient failure); a unique-id race becomes a replay."""
    try:
        return commit_with_retry(write)
    except IntegrityError:  # the racing row is committed now: this run replays it
        return commit_with_retry(write)


def _write_group(requests: list[ScoreRequest]) -> list[list[RecordedEvent] | DomainError]:
    outcomes = _committed(lambda: write_score_requests(requests))
    publish_score_events(sorted(
        (event for outcome in outcomes if not isinstance(outcome, DomainError)
         for event in outcome if not event.replayed), key=lambda event: event.seq))
    return outcomes


def record_scores(user, entries: list[ScoreInput]) -> list[RecordedEvent]:
    """Record a jury's scores in one transaction (all or nothing), with the other juries'
    scores queued meanwhile in this process; a repeated client event id returns the
    original event, never a second row."""
    locale = str(get_locale()) if has_request_context() else None
    return _record(ScoreRequest(user.id, tuple(entries), locale))


def record_session_score(identity: SessionIdentity, entry: ScoreInput,
                         locale: str) -> RecordedEvent:
    """Record a score sent with a session cookie that nothing loaded: its group checks the
    account (still signed in, a jury of the edition) with the others', in one query."""
    return _record(ScoreRequest(identity.user_id, (entry,), locale, identity.token))[0]


def _record(request: ScoreRequest) -> list[RecordedEvent]:
    for entry in request.entries:
        check_event_id(entry.client_event_id)
        if len(entry.comment or "") > COMMENT_MAX:
            raise InvalidInput(_("The comment is too long."), field="comment")
    _start_own_unit_of_work()
    if WRITE_TURNS.busy and db.session.registry.has() and db.session().in_transaction():
        # A request that will wait for its group must not hold one of the pool's few
        # connections: end its read-only transaction (its objects stay attached, reloaded if
        # the page reads them again). One that writes at once keeps it: three round trips fewer.
        db.session.rollback()
    return WRITE_TURNS.grouped(request, _write_group)


def record_score(user, entry: ScoreInput) -> RecordedEvent:
    return record_scores(user, [entry])[0]


def _write_undo(jury_id: int, actor_id: int, client_event_id: str,
                target_event_id: str) -> tuple[ScoreEvent, bool]:
    target = existing_event(target_event_id)
    if target is None:
        raise NotFound(_("There is no such score to undo."))
    existing = existing_event(client_event_id)
    if existing is not None:
        check_reuse(existing, jury_id, existing.kind == UNDO
                     and existing.reverts_seq == target.seq)
        return existing, True
    if target.jury_id != jury_id or target.kind not in VALUE_KINDS:
        raise Forbidden(_("You can only undo your own scores."))
    judging_round = open_round(target.round_id)
    assignment = assignment_of(target.round_id, jury_id, target.team_id)
    already = db.session.scalar(sa.select(ScoreEvent).where(
        ScoreEvent.kind == UNDO, ScoreEvent.reverts_seq == target.seq))
    if already is not None:  # another tab undid it first: same outcome, no second row
        return already, True
    if utcnow() - target.created_at > UNDO_WINDOW:
        raise Conflict(_("The 30 seconds to undo have passed: enter the right score instead, "
                         "it will be recorded as a correction."))
    event = ScoreEvent(
        client_event_id=client_event_id, round_id=target.round_id, jury_id=jury_id,
        team_id=target.team_id, criterion_id=target.criterion_id, kind=UNDO,
        reverts_seq=target.seq, actor_id=actor_id)
    db.session.add(event)
    db.session.flush()
    refresh_status(assignment, judging_round)
    return event, False


def undo_scores(user, undos: list[tuple[str, str]]) -> list[RecordedEvent]:
    """Cancel some of the jury's own scores within 30 s of their recording; `undos` holds
    (client event id of the undo, client event id of the score)."""
    for client_event_id, _target in undos:
        check_event_id(client_event_id)
    _start_own_unit_of_work()
    profile = jury_profile(user)

    def unit():
        lock_jury(profile.id)
        return [recorded_event(*_write_undo(profile.id, user.id, event_id, target))
                for event_id, target in undos]

    with one_writer_at_a_time():
        results = _committed(unit)
    publish_score_events([result for result in results if not result.replayed])
    return results


def undo_score(user, client_event_id: str, target_event_id: str) -> RecordedEvent:
    return undo_scores(user, [(client_event_id, target_event_id)])[0]


def mark_absent(user, round_id: int, team_id: int, absent: bool = True) -> str:
    """Skip a team that did not show up (or bring it back to the queue); returns the status."""
    _start_own_unit_of_work()
    profile = jury_profile(user)

    def unit() -> str:
        lock_jury(profile.id)
        judging_round = open_round(round_id)
        assignment = assignment_of(round_id, profile.id, team_id)
        has_scores = bool(replay(ledger_events(round_id, jury_id=profile.id, team_id=team_id)))
        if absent and has_scores:
            raise Conflict(_("You have already scored this team: it cannot be marked absent."))
        assignment.status = "absent" if absent else "to_score"
        refresh_status(assignment, judging_round)
        return assignment.status

    status = commit_with_retry(unit)
    publish("assignment", {"round": round_id, "team": team_id, "status": status},
            room=ORGANIZERS)
    return status


def undoable_events(jury_id: int, round_id: int, team_id: int) -> list[ScoreEvent]:
    """The jury's scores on this team that can still be undone (recorded < 30 s ago)."""
    since = utcnow() - UNDO_WINDOW
    undone = sa.select(ScoreEvent.reverts_seq).where(
        ScoreEvent.kind == UNDO, ScoreEvent.reverts_seq.is_not(None))
    return list(db.session.scalars(sa.select(ScoreEvent).where(
        ScoreEvent.round_id == round_id, ScoreEvent.jury_id == jury_id,
        ScoreEvent.team_id == team_id, ScoreEvent.kind.in_(VALUE_KINDS),
        ScoreEvent.created_at >= since, ScoreEvent.seq.not_in(undone),
    ).order_by(ScoreEvent.seq)))


def publish_score_events(results: list[RecordedEvent]) -> None:
    """After the commit: a small "score" event per write to the organisers' room only
    (juries never see the provisional ranking), a group's in one round trip."""
    SCORES_RECORDED.inc(sum(result.kind in VALUE_KINDS for result in results))
    publish_all([("score", {"seq": result.seq, "kind": result.kind, "round": result.round_id,
                            "team": result.team_id, "criterion": result.criterion_id},
                  ORGANIZERS) for result in results])
