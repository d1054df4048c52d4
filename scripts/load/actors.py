"""The people of the rehearsal, over real HTTPS through nginx: students saving their
deliverables around the deadline (some trickling a 20 MB file), juries scoring from phones
that go offline and replay their outbox, organisers keeping the cockpit and the rankings
open. Each notes what it was answered and when, for scripts/load/rehearsal.py's figures."""

from __future__ import annotations

import asyncio
import hashlib
import html.parser
import random
import re
import time
import uuid
from dataclasses import dataclass, field

import aiohttp

_CSRF = re.compile(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"')
MB = 1024 * 1024


def https_session(base: str, limit: int = 4) -> aiohttp.ClientSession:
    """A browser's session: its cookies, the Referer an HTTPS form sends, a loopback
    certificate not checked."""
    return aiohttp.ClientSession(
        cookie_jar=aiohttp.CookieJar(unsafe=True),
        connector=aiohttp.TCPConnector(limit=limit, ssl=False),
        headers={"Referer": f"{base}/"}, timeout=aiohttp.ClientTimeout(total=600))


async def csrf_of(session: aiohttp.ClientSession, url: str) -> tuple[str, str]:
    async with session.get(url) as response:
        text = await response.text()
    match = _CSRF.search(text)
    if match is None:
        raise RuntimeError(f"no CSRF token on {url} ({response.status})")
    return match.group(1), text


async def log_in(session: aiohttp.ClientSession, base: str, email: str, password: str,
                 home: str) -> None:
    token, _ = await csrf_of(session, f"{base}/login")
    async with session.post(f"{base}/login", data={
            "email": email, "password": password, "csrf_token": token}) as response:
        await response.read()
        if home not in str(response.url):
            raise RuntimeError(f"login of {email} failed ({response.status}, {response.url})")


def cookie_header(session: aiohttp.ClientSession, base: str) -> str:
    """The session's cookies as its browser sends them to `base` (for its live socket)."""
    from yarl import URL

    cookies = session.cookie_jar.filter_cookies(URL(base))
    return "; ".join(f"{name}={morsel.value}" for name, morsel in cookies.items())


class FormFields(html.parser.HTMLParser):
    """The values a browser would send back from the submission form (text inputs, hidden
    inputs, text areas), so that a save changes only what the student changed."""

    def __init__(self):
        super().__init__()
        self.values: dict[str, str] = {}
        self._in_form = False
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form" and "submission" in (attributes.get("action") or "") \
                and (attributes.get("enctype") or "").startswith("multipart"):
            self._in_form = True
        elif self._in_form and tag == "input" and attributes.get("name") and \
                attributes.get("type", "text") in ("text", "url", "hidden", "number"):
            self.values[attributes["name"]] = attributes.get("value") or ""
        elif self._in_form and tag == "textarea" and attributes.get("name"):
            self._textarea = attributes["name"]
            self.values[self._textarea] = ""

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "form" and self._in_form:
            self._in_form = False


def form_values(page: str) -> dict[str, str]:
    parser = FormFields()
    parser.feed(page)
    return parser.values


def multipart(fields: dict[str, str], file_name: str, content: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                     f"{value}\r\n".encode())
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="files"; '
                 f'filename="{file_name}"\r\nContent-Type: application/pdf\r\n\r\n'.encode())
    parts.append(content)
    parts.append(f"\r\n--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def fake_pdf(size: int, rng: random.Random) -> bytes:
    head = b"%PDF-1.7\n"
    return head + rng.randbytes(size - len(head))


@dataclass
class Save:
    """One student's save of the submission form, as the rehearsal saw it."""

    team: int
    file_name: str
    sha256: str
    size: int
    trickled: bool
    started: float
    finished_sending: float = 0.0
    answered: float = 0.0
    status: int = 0
    accepted: bool = False
    refused_for_deadline: bool = False
    form_closed: bool = False
    error: str = ""


class Student:
    """One member of a team: signed in once; saves the team's submission form."""

    def __init__(self, base: str, email: str, password: str, team_id: int):
        self.base, self.email, self.password, self.team_id = base, email, password, team_id
        self.session = https_session(base)

    async def log_in(self) -> None:
        await log_in(self.session, self.base, self.email, self.password, "/")

    async def save(self, content: bytes, file_name: str, trickle_bps: int = 0) -> Save:
        url = f"{self.base}/team/{self.team_id}/submission"
        record = Save(self.team_id, file_name, hashlib.sha256(content).hexdigest(),
                      len(content), bool(trickle_bps), time.time())
        try:
            async with self.session.get(url) as response:
                page = await response.text()
            values = form_values(page)
            if "csrf_token" not in values:
                record.form_closed, record.answered = True, time.time()
                return record
            values["title"] = f"{values.get('title') or 'Projet'}"[:150]
            body, content_type = multipart(values, file_name, content)
            data = _trickle(body, trickle_bps, record) if trickle_bps else body
            async with self.session.post(
                    url, data=data, allow_redirects=False,
                    headers={"Content-Type": content_type,
                             "Content-Length": str(len(body))}) as response:
                answer = await response.text()
                record.status = response.status
            record.finished_sending = record.finished_sending or time.time()
            record.answered = time.time()
            record.accepted = record.status == 302
            # 409 without the conflict panel: the deadline's refusal (the page's alert)
            record.refused_for_deadline = record.status == 409 and \
                'id="conflict-title"' not in answer
        except (aiohttp.ClientError, OSError, TimeoutError) as error:
            record.answered, record.error = time.time(), type(error).__name__
        return record

    async def close(self) -> None:
        await self.session.close()


async def _trickle(body: bytes, per_second: int, record: Save):
    """The body at `per_second` bytes a second (a phone on a weak connection)."""
    chunk = max(16 * 1024, per_second // 4)
    for start in range(0, len(body), chunk):
        yield body[start:start + chunk]
        await asyncio.sleep(chunk / per_second)
    record.finished_sending = time.time()


@dataclass
class PageHit:
    path: str
    at: float
    seconds: float
    status: int


@dataclass
class Organizer:
    """An organiser with the cockpit and the rankings open, reloading them every few
    seconds, as in the hall."""

    base: str
    email: str
    password: str
    paths: list[str]
    hits: list[PageHit] = field(default_factory=list)

    async def watch(self, until: float, every: float, rng: random.Random) -> None:
        session = https_session(self.base)
        try:
            await log_in(session, self.base, self.email, self.password, "/organizer")
            while time.time() < until:
                for path in self.paths:
                    started = time.time()
                    try:
                        async with session.get(f"{self.base}{path}") as response:
                            await response.read()
                            status = response.status
                    except (aiohttp.ClientError, OSError, TimeoutError):
                        status = 0
                    self.hits.append(PageHit(path, started, time.time() - started, status))
                await asyncio.sleep(every * (0.5 + rng.random()))
        finally:
            await session.close()
