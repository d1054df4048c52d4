"""Run CPU-heavy C code (it releases the GIL) off the gevent loop, so live pages never stall."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def _gevent_loop_active() -> bool:
    monkey = sys.modules.get("gevent.monkey")
    return bool(monkey and monkey.is_module_patched("threading"))


def run_off_loop(function: Callable[..., T], *args) -> T:
    """Call `function` in gevent's native thread pool when under gevent, inline otherwise."""
    if _gevent_loop_active():
        import gevent

        return gevent.get_hub().threadpool.apply(function, args)
    return function(*args)
