"""Ending a session ends it everywhere: after logout, a password change or a reset, a copy of
the old session cookie opens nothing, and the account's live connections are closed. A
student whose team changes is reconnected into the rooms they may now see."""

from __future__ import annotations

import re
import threading
import time
import uuid

import pytest
import requests
import sqlalchemy as sa

from crunchtime.models import Edition, Membership, StudentProfile, User
from crunchtime.realtime.rooms import team_room
from crunchtime.services.matching import publication, runs
from tests import factories
from tests.helpers import csrf_token, last_mail_to, link_in, path_of, post_form

NEW_PASSWORD = "nouveau-mot-de-passe-solide"
CSRF = re.compile(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"')


pytestmark = pytest.mark.usefixtures("fresh_live_hub")


def signed_in_browser(app, user, password=factories.PASSWORD):
    browser = app.test_client()
    response = post_form(browser, "/login", {"email": user.email, "password": password})
    assert response.status_code == 302
    return browser


def stolen_copy(app, browser):
    """Another browser holding a copy of `browser`'s session cookie."""
    thief = app.test_client()
    thief.set_cookie("session", browser.get_cookie("session").value)
    return thief


def assert_refused(thief) -> None:
    page = thief.get("/student/")
    assert page.status_code == 302 and page.headers["Location"].startswith("/login")
    api = thief.get("/student/", headers={"Accept": "application/json"})
    assert api.status_code == 401


@pytest.fixture
def sockets(app, live_test_client):
    """open(browser) -> a Socket.IO test client on /live with that browser's cookies."""
    opened = []

    def open_socket(browser):
        with app.app_context():
            socket = live_test_client(app, namespace="/live", flask_test_client=browser)
        assert socket.is_connected("/live")
        opened.append(socket)
        return socket

    yield open_socket
    for socket in opened:
        if socket.is_connected("/live"):
            with app.app_context():
                socket.disconnect(namespace="/live")


def test_the_copied_cookie_is_refused_after_logout(app, db, student, sockets):
    browser = signed_in_browser(app, student)
    thief = stolen_copy(app, browser)
    assert thief.get("/student/").status_code == 200
    socket = sockets(thief)
    bystander = sockets(signed_in_browser(app, factories.student(factories.edition())))

    browser.post("/logout", data={"csrf_token": csrf_token(browser, "/")})

    assert_refused(thief)
    assert not socket.is_connected("/live")
    assert bystander.is_connected("/live")


def test_the_copied_cookie_is_refused_after_a_password_change(app, db, student, sockets):
    browser = signed_in_browser(app, student)
    thief = stolen_copy(app, browser)
    socket = sockets(thief)
    response = post_form(browser, "/account/", {"current_password": factories.PASSWORD,
                                                "password": NEW_PASSWORD,
                                                "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert browser.get("/student/").status_code == 200  # this browser got the new token
    assert_refused(thief)
    assert not socket.is_connected("/live")


def test_the_copied_cookie_is_refused_after_a_password_reset(app, db, student, sockets):
    browser = signed_in_browser(app, student)
    thief = stolen_copy(app, browser)
    socket = sockets(thief)
    owner = app.test_client()
    post_form(owner, "/password/forgot", {"email": student.email})
    reset = path_of(link_in(last_mail_to(student.email).body))
    assert post_form(owner, reset, {"password": NEW_PASSWORD,
                                    "confirm": NEW_PASSWORD}).status_code == 302
    assert_refused(thief)
    assert_refused(browser)
    assert not socket.is_connected("/live")


def test_a_reconnection_with_the_old_cookie_joins_no_room_of_the_account(app, db, student,
                                                                        sockets):
    browser = signed_in_browser(app, student)
    thief = stolen_copy(app, browser)
    browser.post("/logout", data={"csrf_token": csrf_token(browser, "/")})
    socket = sockets(thief)
    rooms = {args[0]["room"] for event in socket.get_received("/live")
             if event["name"] == "snapshot" for args in [event["args"]]}
    assert rooms == {"public"}


def test_publishing_teams_reconnects_the_students_into_their_team_room(app, db, sockets):
    result = app.test_cli_runner().invoke(args=["demo", "--students", "60", "--seed", "3"])
    assert result.exit_code == 0, result.output
    edition = db.session.scalar(sa.select(Edition).where(Edition.is_current.is_(True)))
    edition.phase = "matching"
    db.session.commit()
    organiser = db.session.scalar(sa.select(User).where(User.role == "organizer"))
    student = db.session.scalar(sa.select(User).join(
        StudentProfile, StudentProfile.user_id == User.id).order_by(User.id).limit(1))
    browser = app.test_client()
    with browser.session_transaction() as session:
        session["_user_id"] = student.get_id()
    before = sockets(browser)
    run = runs.start_run(organiser)
    publication.publish_run(organiser, run, split_groups_confirmed=True)
    assert not before.is_connected("/live")

    after = sockets(browser)  # what the browser's client does by itself
    rooms = {event["args"][0]["room"] for event in after.get_received("/live")
             if event["name"] == "snapshot"}
    team_id = db.session.scalar(sa.select(Membership.team_id).join(
        StudentProfile, Membership.student_id == StudentProfile.id).where(
        StudentProfile.user_id == student.id))
    assert team_id is not None and team_room(team_id) in rooms


class LiveProbe:
    """A python-socketio client on /live that records the rooms of each of its connections
    (the n-th connection is the one after n disconnections)."""

    def __init__(self, url: str, cookies: str):
        import socketio

        self.rooms: dict[int, set[str]] = {}
        self.disconnects = 0
        self.changed = threading.Condition()
        self.client = socketio.Client(reconnection_delay=0.2, reconnection_delay_max=1,
                                      handle_sigint=False)
        self.client.on("disconnect", self._disconnected, namespace="/live")
        self.client.on("snapshot", self._snapshot, namespace="/live")
        self.client.connect(url, namespaces=["/live"], transports=["websocket"],
                            wait_timeout=20, headers={"Cookie": cookies})

    def _disconnected(self, *_reason) -> None:
        with self.changed:
            self.disconnects += 1
            self.changed.notify_all()

    def _snapshot(self, answer) -> None:
        with self.changed:
            self.rooms.setdefault(self.disconnects, set()).add(answer["room"])
            self.changed.notify_all()

    def wait_for(self, check, timeout: float = 20) -> None:
        deadline = time.time() + timeout
        with self.changed:
            while not check(self):
                left = deadline - time.time()
                assert left > 0, (self.rooms, self.disconnects)
                self.changed.wait(left)

    def close(self) -> None:
        self.client.disconnect()


@pytest.mark.timeout(120)
def test_logout_on_one_process_ends_the_connections_another_process_holds(
        db, database_url, redis_url, tmp_path):
    """Two server processes (gunicorn, gevent) sharing Redis: the logout reaches the other's
    sockets through the live stream. Real processes: about ten seconds."""
    from tests.live.servers import Server

    edition = factories.edition()
    student = factories.student(edition)
    prefix = f"test-live:{uuid.uuid4().hex[:8]}"
    servers = [Server(database_url, redis_url, prefix, tmp_path).start() for _ in range(2)]
    probe = None
    try:
        browser = requests.Session()
        login_page = browser.get(f"{servers[0].url}/login", timeout=10).text
        response = browser.post(f"{servers[0].url}/login", timeout=10, data={
            "email": student.email, "password": factories.PASSWORD,
            "csrf_token": CSRF.search(login_page).group(1)})
        assert response.url.endswith("/student/")
        cookies = "; ".join(f"{name}={value}" for name, value in browser.cookies.items())
        probe = LiveProbe(servers[1].url, cookies)
        probe.wait_for(lambda p: "role:student" in p.rooms.get(0, ()))

        home = browser.get(f"{servers[0].url}/student/", timeout=10).text
        browser.post(f"{servers[0].url}/logout", timeout=10,
                     data={"csrf_token": CSRF.search(home).group(1)})

        probe.wait_for(lambda p: "public" in p.rooms.get(1, ()))
        time.sleep(0.5)  # every snapshot of the reconnection has arrived
        assert probe.rooms[1] == {"public"}  # reconnected, as a visitor
    finally:
        if probe is not None:
            probe.close()
        for server in servers:
            server.stop()
