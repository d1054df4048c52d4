"""The board worker child (`python -m crunchtime.live_worker`, spawned by a server's live hub):
it builds the data app and computes the live board views, so that reading the ledger,
replaying it and ranking ~300 teams never runs on a server's event loop. The protocol is
described in crunchtime/realtime/board_worker.py, the parent's side."""

from __future__ import annotations

import json
import logging
import os
import sys

from sqlalchemy.exc import DBAPIError

from crunchtime.app import create_data_app
from crunchtime.extensions import db
from crunchtime.heap import freeze_startup_heap
from crunchtime.realtime.board_runner import ViewChanges
from crunchtime.services.editions.current import current_edition
from crunchtime.services.live.board import BoardMemory, compute_board
from crunchtime.services.live.room_views import board_rooms

log = logging.getLogger(__name__)


def _serve(app, requests, answers) -> None:
    memory = BoardMemory()
    changes = ViewChanges()
    top = app.config.get("LIVE_PUBLIC_TOP", 10)
    for line in requests:
        request = json.loads(line or "{}")
        rooms = request.get("rooms")
        force, wanted = bool(request.get("force")), None if rooms is None else set(rooms)
        with app.app_context():
            try:
                answer = _answer(memory, changes, top, force, wanted)
            except Exception as error:  # answer, so the parent logs it and goes on
                log.exception("live board computation failed")
                answer = {"ok": False, "error": repr(error)}
            finally:
                db.session.remove()
        answers.write(json.dumps(answer, separators=(",", ":")) + "\n")
        answers.flush()


def _answer(memory: BoardMemory, changes: ViewChanges, top: int, force: bool,
            wanted: set[str] | None) -> dict:
    if force:  # a takeover: what another leader showed meanwhile is not known here
        memory.shown = None
    try:
        result = compute_board(memory, top, wanted).as_json()
    except DBAPIError as error:
        if not error.connection_invalidated:
            raise
        # The database restarted since the last batch (connections are not pinged before
        # use here: a round trip fewer per batch): once more, on a new connection.
        db.session.remove()
        result = compute_board(memory, top, wanted).as_json()
    if force:  # name every board room, so that all unheard ones are dropped
        result["rooms"] = sorted(board_rooms(current_edition()))
    changed = changes(result, force, wanted)
    return {"ok": True, "changed": changed, "dropped": changes.dropped}


def main() -> None:
    answers = os.fdopen(os.dup(sys.stdout.fileno()), "w", encoding="utf-8")
    sys.stdout = sys.stderr  # nothing else may write on the answer channel
    logging.basicConfig(level=logging.WARNING)
    line = sys.stdin.readline()
    if not line:  # spawned early by a server that stopped before it gave the settings
        return
    settings = json.loads(line)
    app = create_data_app(settings)
    freeze_startup_heap()
    _serve(app, sys.stdin, answers)


if __name__ == "__main__":
    main()
