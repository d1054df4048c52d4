"""Simulated juries and late registrations for scripts/bench/live.py, over real HTTP (aiohttp):
each jury logs in through the login form, reads the CSRF token of its page and POSTs its
scores to /jury/api/events as the phone's outbox does (retrying while the server is away)."""

from __future__ import annotations

import asyncio
import re
import time
import uuid
from types import SimpleNamespace

import aiohttp


async def _on_request_headers_sent(_session, context, _params) -> None:
    if context.trace_request_ctx is not None and context.trace_request_ctx.written is None:
        context.trace_request_ctx.written = time.time()


def request_tracing() -> aiohttp.TraceConfig:
    """Notes in a request's `trace_request_ctx` (a SimpleNamespace with `written`) when its
    headers were written to the connection: one process stands for a hundred phones, and in a
    burst it prepares 200 requests before it writes the first."""
    config = aiohttp.TraceConfig()
    config.on_request_headers_sent.append(_on_request_headers_sent)
    return config


_CSRF = re.compile(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"')
RETRY_SECONDS = 0.3


async def _csrf(session: aiohttp.ClientSession, url: str) -> str:
    async with session.get(url) as response:
        match = _CSRF.search(await response.text())
    if match is None:
        raise RuntimeError(f"no CSRF token on {url}")
    return match.group(1)


class Jury:
    """One jury's browser session."""

    def __init__(self, base: str, email: str, password: str):
        self.base, self.email, self.password = base, email, password
        # Over HTTPS (scripts/load/rehearsal.py, through nginx): a loopback certificate, and
        # the Referer a browser sends, which the CSRF check of HTTPS forms requires.
        tls = base.startswith("https://")
        self.session = aiohttp.ClientSession(
            cookie_jar=aiohttp.CookieJar(unsafe=True),
            connector=aiohttp.TCPConnector(limit=8, ssl=False if tls else None),
            trace_configs=[request_tracing()],
            headers={"Referer": f"{base}/"} if tls else None)
        self.token = ""

    async def login(self) -> None:
        token = await _csrf(self.session, f"{self.base}/login")
        async with self.session.post(f"{self.base}/login", data={
                "email": self.email, "password": self.password, "csrf_token": token}) as response:
            if "/jury" not in str(response.url):
                raise RuntimeError(f"login of {self.email} failed ({response.status})")
        self.token = await _csrf(self.session, f"{self.base}/jury/")

    async def score(self, cell, value: int, deadline: float, event_id: str | None = None) -> dict:
        """POST one score until it is recorded (or `deadline`): send time of the first try
        (`sent`, as the coroutine began; `written`, as its request was written to the
        connection, None if it never was), answer time, status, the ledger seq and the
        client event id (a phone's outbox sends an event again with the same id)."""
        _email, round_id, team, criterion = cell
        event_id = event_id or f"bench-{uuid.uuid4().hex}"
        body = {"client_event_id": event_id, "kind": "score",
                "round_id": round_id, "team_id": team, "criterion_id": criterion,
                "value": value}
        sent = time.time()
        first = trace = SimpleNamespace(written=None)  # the first try's, like `sent`
        while True:
            started = time.time()
            try:
                async with self.session.post(f"{self.base}/jury/api/events", json=body,
                                             headers={"X-CSRFToken": self.token},
                                             trace_request_ctx=trace) as response:
                    status = response.status
                    try:
                        answer = await response.json(content_type=None)
                    except ValueError:  # a proxy's error page (502 while a process restarts)
                        answer = {}
            except (TimeoutError, aiohttp.ClientError, OSError):
                status, answer = 0, {}
            if status in (200, 201) or (400 <= status < 500) or time.time() > deadline:
                return {"sent": sent, "answered": time.time(), "request_started": started,
                        "written": first.written,
                        "status": status, "seq": answer.get("seq"),
                        "retried": started - sent > 1e-3, "event_id": event_id}
            trace = SimpleNamespace(written=None)  # a retry's is not the score's
            await asyncio.sleep(RETRY_SECONDS)

    async def close(self) -> None:
        await self.session.close()


async def accept_invitation(base: str, path: str, password: str) -> float:
    """A late jury sets its password (one argon2id hash on the server); returns seconds."""
    started = time.time()
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
        token = await _csrf(session, f"{base}{path}")
        async with session.post(f"{base}{path}", data={
                "password": password, "confirm": password, "csrf_token": token}) as response:
            await response.read()
            if response.status != 200 or "/invitation/" in str(response.url):
                raise RuntimeError(f"invitation refused ({response.status})")
    return time.time() - started


async def post_baseline(session: aiohttp.ClientSession, base: str, score_id: int) -> dict:
    """The floor's score (its session traced by `request_tracing`)."""
    sent = time.time()
    trace = SimpleNamespace(written=None)
    async with session.post(f"{base}/score", json={"id": score_id},
                            trace_request_ctx=trace) as response:
        await response.read()
    return {"sent": sent, "written": trace.written, "answered": time.time(),
            "status": response.status, "seq": score_id,
            "request_started": sent, "retried": False}
