"""Debian's nginx on the shipped site (deploy/nginx/crunchtime.conf, only ports and paths
changed), in front of real processes: first a bare upstream that notes what nginx passes on
and when, then the app as production runs it (two HTTP processes and the fan-out process,
gunicorn with gunicorn.conf.py, sharing the database and Redis).

Slow (real processes, about 30 s): marked `slow`, run by ./scripts/test and CI, where nginx is
mandatory."""

from __future__ import annotations

import hashlib
import re
import socket
import ssl
import threading
import time
import uuid
from datetime import timedelta

import pytest
import requests
import sqlalchemy as sa
import urllib3

from crunchtime.extensions import db as _db
from crunchtime.models import Edition, SubmissionFile
from crunchtime.models.base import utcnow
from tests import factories
from tests.deploy.site import Nginx, require_nginx
from tests.judging.conftest import assign, enter, make_round
from tests.live.servers import Jury, Server, Watcher

pytestmark = [pytest.mark.slow, pytest.mark.timeout(180)]

CSRF = re.compile(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"')
MB = 1024 * 1024
UPLOAD_BYTES = 100 * MB


@pytest.fixture(autouse=True)
def _nginx_installed():
    require_nginx()
    urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)  # self-signed


# --- nginx alone, before a bare upstream ----------------------------------------------------

class Upstream:
    """A bare HTTP/1.1 server: for each request, its headers, when its head arrived and when
    its last body byte did."""

    def __init__(self):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.seen: list[dict] = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._answer, args=(connection,), daemon=True).start()

    def _answer(self, connection: socket.socket) -> None:
        with connection:
            data = b""
            while b"\r\n\r\n" not in data:
                chunk = connection.recv(65536)
                if not chunk:
                    return
                data += chunk
            head_at = time.monotonic()
            head, body = data.split(b"\r\n\r\n", 1)
            request_line, *lines = head.decode().split("\r\n")
            headers = {name.strip().lower(): value.strip()
                       for name, value in (line.split(":", 1) for line in lines)}
            while len(body) < int(headers.get("content-length", 0)):
                body += connection.recv(65536)
            self.seen.append({"path": request_line.split()[1], "headers": headers,
                              "head_at": head_at, "body_at": time.monotonic(),
                              "length": len(body)})
            connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n"
                               b"Connection: close\r\n\r\nok")

    def close(self) -> None:
        self.listener.close()


def trickle(url_port: int, path: str, body: bytes, pause: float) -> float:
    """POST `body` over TLS in two halves `pause` seconds apart, as a slow network would;
    the moment its last byte was sent."""
    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    head = (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{url_port}\r\n"
            f"Content-Length: {len(body)}\r\n"
            "Content-Type: application/octet-stream\r\nX-Request-ID: forged-by-client\r\n"
            "Connection: close\r\n\r\n").encode()
    half = len(body) // 2
    with socket.create_connection(("127.0.0.1", url_port), timeout=10) as raw, \
            context.wrap_socket(raw, server_hostname="127.0.0.1") as tls:
        tls.sendall(head + body[:half])
        time.sleep(pause)
        last_sent = time.monotonic()
        tls.sendall(body[half:])
        answer = tls.recv(4096)
    assert answer.startswith(b"HTTP/1.1 200"), answer
    return last_sent


@pytest.fixture
def bare(tmp_path):
    upstreams = [Upstream() for _ in range(3)]
    nginx = Nginx(tmp_path / "nginx", [upstreams[0].port, upstreams[1].port],
                  [upstreams[2].port]).start()
    yield nginx, upstreams
    nginx.stop()
    for upstream in upstreams:
        upstream.close()


def test_a_save_reaches_the_app_as_it_arrives_other_bodies_once_complete(bare):
    """The app dates a save when its body has finished arriving: under /team/ nginx streams
    the body (the app has the head before the last byte is sent, and the last byte right
    after); elsewhere it buffers the whole body first."""
    nginx, upstreams = bare
    body = bytes(range(256)) * 2048  # 512 KB: past nginx's in-memory buffer
    sent = {path: trickle(nginx.layout.tls_port, path, body, pause=1.0)
            for path in ("/team/7/submission", "/login")}
    seen = {request["path"]: request for upstream in upstreams[:2] for request in upstream.seen}
    save, login = seen["/team/7/submission"], seen["/login"]
    assert save["length"] == login["length"] == len(body)
    assert save["head_at"] < sent["/team/7/submission"] - 0.5
    assert sent["/team/7/submission"] <= save["body_at"] < sent["/team/7/submission"] + 0.5
    assert login["head_at"] >= sent["/login"]
    assert not upstreams[2].seen  # the fan-out tier gets live connections only


def test_the_app_gets_the_client_address_scheme_host_and_nginx_request_id(bare):
    nginx, upstreams = bare
    trickle(nginx.layout.tls_port, "/login", b"email=a", pause=0)
    headers = next(request["headers"] for upstream in upstreams for request in upstream.seen)
    assert headers["x-forwarded-proto"] == "https"
    assert headers["x-forwarded-for"] == "127.0.0.1"
    # the address as the browser wrote it, port included
    assert headers["x-forwarded-host"] == headers["host"] == f"127.0.0.1:{nginx.layout.tls_port}"
    assert re.fullmatch(r"[0-9a-f]{32}", headers["x-request-id"])  # not the client's
    logged = f"request_id={headers['x-request-id']}"
    assert logged in nginx.access_log(logged)
    assert "upgrade" not in headers and "connection" not in headers  # kept alive


def test_metrics_and_readiness_are_not_served_to_the_public(bare):
    nginx, upstreams = bare
    browser = insecure(requests.Session())
    assert browser.get(nginx.url + "/metrics", timeout=5).status_code == 403
    assert browser.get(nginx.url + "/ready", timeout=5).status_code == 200
    assert [request["path"] for upstream in upstreams for request in upstream.seen] == ["/ready"]


# --- nginx before the app -------------------------------------------------------------------

@pytest.fixture
def world(db):
    """A team saving its submission (files up to 110 MB) and, once judging opens, a jury
    scoring it on the public board."""
    edition = factories.edition(phase="building", public_display="ranking",
                                submission_deadline=utcnow() + timedelta(days=2),
                                max_file_mb=110, max_team_upload_mb=200)
    challenge = factories.challenge(edition)
    student = factories.student(edition)
    team = factories.team(edition, challenge, members=[student])
    jury = factories.jury(edition)
    judging_round = make_round(edition, k=1, criteria=(("impact", 1.0),))
    enter(judging_round, team)
    assign(judging_round, jury, team)
    return {"edition": edition.id, "team": team.id, "code": team.code, "student": student.email,
            "jury": jury.email, "round": judging_round.id,
            "criterion": judging_round.criteria[0].id}


@pytest.fixture
def production(world, database_url, redis_url, tmp_path):
    """Two HTTP processes and the fan-out behind nginx, as deploy/ describes."""
    prefix = f"test-deploy:{uuid.uuid4().hex[:8]}"
    servers = [Server(database_url, redis_url, prefix, tmp_path) for _ in range(3)]
    nginx = Nginx(tmp_path / "nginx", [servers[0].port, servers[1].port], [servers[2].port])
    for server in servers:
        server.env.update(BEHIND_PROXY="1", BASE_URL=nginx.url)
        server.launch()
    try:
        for server in servers:
            server.wait_ready(timeout=60)
        nginx.start()
        yield nginx, servers
    finally:
        nginx.stop()
        for server in servers:
            server.stop()


class PdfUpload:
    """A multipart body with a `size`-byte PDF, generated as it is sent (never in memory),
    with a Content-Length as a browser's form has."""

    def __init__(self, fields: dict, size: int):
        self.boundary = uuid.uuid4().hex
        parts = b"".join(f'--{self.boundary}\r\nContent-Disposition: form-data; name="{name}"'
                         f"\r\n\r\n{value}\r\n".encode() for name, value in fields.items())
        self.head = parts + (f'--{self.boundary}\r\nContent-Disposition: form-data; '
                             'name="files"; filename="prototype.pdf"\r\n'
                             "Content-Type: application/pdf\r\n\r\n").encode()
        self.tail = f"\r\n--{self.boundary}--\r\n".encode()
        self.size, self.sent, self.digest = size, 0, hashlib.sha256()
        self.block = (b"%PDF-1.4\n" + bytes(range(256)) * 4096)[:MB]
        self.pending = self.head

    @property
    def content_type(self) -> str:
        return f"multipart/form-data; boundary={self.boundary}"

    def __len__(self) -> int:
        return len(self.head) + self.size + len(self.tail)

    def read(self, wanted: int = -1) -> bytes:
        while not self.pending and self.sent < self.size:
            chunk = self.block[:min(len(self.block), self.size - self.sent)]
            self.sent += len(chunk)
            self.digest.update(chunk)
            self.pending = chunk + (self.tail if self.sent == self.size else b"")
        out, self.pending = self.pending[:wanted], self.pending[wanted:]
        if wanted < 0:
            out, self.pending = out + self.pending, b""
        return out


def insecure(session: requests.Session) -> requests.Session:
    """A session that accepts the test's self-signed certificate (and ignores the
    environment's CA bundle and proxies, which would override that)."""
    session.verify, session.trust_env = False, False
    return session


def served_by(server: Server) -> list[str]:
    """The paths in this process's access log (gunicorn.conf.py's format), but the health
    checks the test made directly while it started."""
    return [path for path in re.findall(r" access \w+ (\S+) ", server.log.read_text())
            if path != "/health"]


def test_through_nginx_a_page_a_login_a_100_mb_save_and_a_live_update(world, production):
    nginx, (http_a, http_b, live) = production
    browser = insecure(requests.Session())
    browser.headers["Referer"] = nginx.url + "/"  # as a browser's form sends it over HTTPS

    page = browser.get(nginx.url + "/login", timeout=10)
    assert page.status_code == 200
    request_id = page.headers["X-Request-ID"]
    logged = f'"GET /login" 200 {len(page.content)} '
    assert f"request_id={request_id}" in nginx.access_log(logged)  # nginx's id, echoed

    answer = browser.post(nginx.url + "/login", timeout=10, data={
        "email": world["student"], "password": factories.PASSWORD,
        "csrf_token": CSRF.search(page.text).group(1)})
    assert answer.status_code == 200 and answer.url.startswith(nginx.url + "/student")
    assert any(cookie.secure for cookie in browser.cookies)  # the app knows it is HTTPS

    form = browser.get(f"{nginx.url}/team/{world['team']}/submission", timeout=10)
    assert form.status_code == 200
    upload = PdfUpload({"title": "Bus à hydrogène", "base_version": "0",
                        "csrf_token": CSRF.search(form.text).group(1)}, UPLOAD_BYTES)
    saved = browser.post(f"{nginx.url}/team/{world['team']}/submission", data=upload,
                         headers={"Content-Type": upload.content_type}, timeout=120)
    assert saved.status_code == 200, saved.text[:500]
    stored = _db.session.scalars(sa.select(SubmissionFile)).all()
    assert [(row.size, row.sha256) for row in stored] == [(UPLOAD_BYTES,
                                                          upload.digest.hexdigest())]
    # the HTTP tier shares the work (not sticky), the fan-out tier serves no page
    assert served_by(http_a) and served_by(http_b)
    assert not served_by(live)

    _db.session.execute(sa.update(Edition).where(Edition.id == world["edition"])
                        .values(phase="judging"))
    _db.session.commit()
    polling = browser.get(nginx.url + "/socket.io/?EIO=4&transport=polling", timeout=10)
    assert polling.status_code == 200 and polling.text.startswith("0{")
    watcher = Watcher(nginx.url, ssl_verify=False)
    try:
        watcher.wait_for(lambda board: board["progress"]["recorded"] == 0)
        jury = Jury(world["jury"], factories.PASSWORD)
        insecure(jury.session).headers["Referer"] = nginx.url + "/jury/"
        jury.login(nginx.url).score(nginx.url, world["round"], world["team"],
                                    world["criterion"], 8)
        board = watcher.wait_for(lambda board: board["progress"]["recorded"] == 1)
        assert [row["team"] for row in board["ranking"]] == [world["code"]]
    finally:
        watcher.close()
    assert set(served_by(live)) == {"/socket.io/"}
    assert "/socket.io/" not in served_by(http_a) + served_by(http_b)
