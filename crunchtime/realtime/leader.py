"""Which server process computes the live board when several share Redis: the holder of a
short lease, renewed every second. A killed leader's lease lapses within LEASE_MS and
another process takes over; a leader that stops cleanly hands it back at once."""

from __future__ import annotations

import atexit
import logging
import os
import secrets
import socket

LEASE_MS = 3000
RENEW_SECONDS = 1.0
log = logging.getLogger(__name__)

_CLAIM = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
return 0
"""
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


class Leadership:
    """Claims and renews the lease in a background task; `on_gain` runs on each takeover.
    A process claims only while `wants()` says so (it holds live clients): a process of the
    HTTP tier, which has none, never paces the board for the fan-out processes."""

    def __init__(self, redis_client, key: str, on_gain, wants=lambda: True):
        self.redis = redis_client
        self.key = key
        self.token = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"
        self.is_leader = False
        self._on_gain = on_gain
        self._wants = wants
        self._claim = redis_client.register_script(_CLAIM)
        self._release = redis_client.register_script(_RELEASE)

    def run(self, sleep) -> None:
        atexit.register(self.release)
        while True:
            self._renew()
            sleep(RENEW_SECONDS)

    def claim_now(self) -> None:
        """A first live client arrived: claim a free lease now, not at the next renewal (a
        restarted fan-out's viewers would wait up to a second more for their first board)."""
        if not self.is_leader:
            self._renew()

    def _renew(self) -> None:
        try:
            held = (self.is_leader or self._wants()) and bool(
                self._claim(keys=[self.key], args=[self.token, LEASE_MS]))
        except Exception:  # Redis away: stop acting as leader until it answers
            log.exception("live board lease could not be renewed")
            held = False
        gained = held and not self.is_leader
        self.is_leader = held
        if gained:
            self._on_gain()

    def release(self) -> None:
        try:
            self._release(keys=[self.key], args=[self.token])
        except Exception:  # pragma: no cover - best effort at exit
            log.warning("live board lease not released; it lapses in %d ms", LEASE_MS)
        self.is_leader = False
