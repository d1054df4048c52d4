"""What the live transport carries but does not decide: the rooms a user's connection joins,
how the board views are computed, and which module runs the board worker. `create_app` gives
them (from crunchtime/services/live/); realtime/ itself knows no service."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask

EXTENSION_KEY = "crunchtime_live_content"


@dataclass(frozen=True)
class LiveContent:
    rooms_for: Callable[[object], list[str]]  # a user -> the rooms the server puts them in
    board_views: Callable[[int], dict]  # top N -> every board room's view, computed inline
    worker_module: str  # `python -m` module of the board worker child (process mode)


def provide_live_content(app: Flask, content: LiveContent) -> None:
    app.extensions[EXTENSION_KEY] = content


def live_content(app: Flask) -> LiveContent:
    try:
        return app.extensions[EXTENSION_KEY]
    except KeyError:
        raise RuntimeError("create_app has not given the live transport its content") from None
