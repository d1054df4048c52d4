"""The JSON endpoint the offline outbox (static/js/scoring.js) sends each event to.

An event is answered only after its commit: 201 with the new event, or 200 with the original
one when its client event id was already recorded (a retry after a lost answer, another tab).
Refusals are JSON errors with a translated message (4xx: the phone stops retrying them).

A score reads nothing from the database before it joins the scores queued in this process:
the account named by the session cookie is checked by the group that writes it, with the
others' accounts in one query (still signed in, a jury of the edition), so a burst of juries
costs one read instead of three per score. This is why the endpoint has a blueprint of its
own, without the jury area's role check (which loads the account); undos and any refusal of
the request itself check the account first, as that check would.

An event is a few hundred bytes: a body over 32 KB is refused (413, JSON error) before it is
read (crunchtime/security/http.py sets each endpoint's limit)."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, abort, jsonify, request
from flask_babel import gettext as _
from flask_login import current_user

from crunchtime.access import require_role, session_identity
from crunchtime.errors import DomainError, InvalidInput
from crunchtime.extensions import login_manager
from crunchtime.i18n import visitor_locale
from crunchtime.security.http import read_body
from crunchtime.services.judging.ledger import writes as score_ledger
from crunchtime.services.judging.ledger.writes import COMMENT_MAX, ScoreInput

blueprint = Blueprint("jury_api", __name__, url_prefix="/jury/api")


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


@blueprint.route("/events", methods=["POST"])
def record_event():
    identity = session_identity()
    if identity is None:
        abort(login_manager.unauthorized())
    read_body()
    try:
        event = parse_event(request.get_json(silent=True))
    except DomainError:
        require_role("jury")  # who asks is answered first: 401, 403, then the body's fault
        raise
    if event.kind == "undo":
        require_role("jury")
        result = score_ledger.undo_score(current_user, event.client_event_id, event.reverts)
    else:
        result = score_ledger.record_session_score(identity, event.score, visitor_locale())
    return jsonify(result.as_json()), 200 if result.replayed else 201
