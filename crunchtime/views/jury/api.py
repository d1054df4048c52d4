"""The JSON endpoint the offline outbox (static/js/scoring.js) sends each event to.

An event is answered only after its commit: 201 with the new event, or 200 with the original
one when its client event id was already recorded (a retry after a lost answer, another tab).
Refusals are JSON errors with a translated message (4xx: the phone stops retrying them)."""

from __future__ import annotations

from dataclasses import dataclass

from flask import jsonify, request
from flask_babel import gettext as _
from flask_login import current_user

from crunchtime.errors import InvalidInput
from crunchtime.services import score_ledger
from crunchtime.services.score_ledger import COMMENT_MAX, ScoreInput
from crunchtime.views.jury.routes import blueprint


@dataclass(frozen=True)
class ParsedEvent:
    kind: str
    client_event_id: str
    score: ScoreInput | None = None
    reverts: str = ""


def _integer(payload: dict, name: str) -> int:
    value = payload.get(name)
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise InvalidInput(_("The event lacks a valid “%(name)s”.", name=name), field=name)
    return value


def parse_event(payload) -> ParsedEvent:
    """Check the JSON body's shape (the service checks what it means)."""
    if not isinstance(payload, dict):
        raise InvalidInput(_("Send the event as a JSON object."))
    event_id = payload.get("client_event_id")
    if not isinstance(event_id, str):
        raise InvalidInput(_("The event lacks a valid “%(name)s”.", name="client_event_id"),
                           field="client_event_id")
    kind = payload.get("kind", "score")
    if kind == "undo":
        reverts = payload.get("reverts")
        if not isinstance(reverts, str) or not reverts:
            raise InvalidInput(_("The event lacks a valid “%(name)s”.", name="reverts"),
                               field="reverts")
        return ParsedEvent("undo", event_id, reverts=reverts)
    if kind != "score":
        raise InvalidInput(_("Unknown kind of event."), field="kind")
    value, comment = payload.get("value"), payload.get("comment") or ""
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise InvalidInput(_("The event lacks a valid “%(name)s”.", name="value"), field="value")
    if not isinstance(comment, str) or len(comment) > COMMENT_MAX:
        raise InvalidInput(_("The comment is too long."), field="comment")
    return ParsedEvent("score", event_id, score=ScoreInput(
        event_id, _integer(payload, "round_id"), _integer(payload, "team_id"),
        _integer(payload, "criterion_id"), value, comment))


@blueprint.route("/api/events", methods=["POST"])
def record_event():
    event = parse_event(request.get_json(silent=True))
    if event.kind == "undo":
        result = score_ledger.undo_score(current_user, event.client_event_id, event.reverts)
    else:
        result = score_ledger.record_score(current_user, event.score)
    return jsonify(result.as_json()), 200 if result.replayed else 201
