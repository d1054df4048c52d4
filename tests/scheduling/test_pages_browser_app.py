"""The schedule's pages in Chromium: the room screen follows a jury's "done" live, and the
pages have no serious accessibility violation at phone and desktop width."""

from __future__ import annotations

import threading

import pytest
from werkzeug.serving import make_server

from tests.browser.test_accessibility import AXE, AXE_TAGS, BLOCKING, RUN_AXE, WIDTHS
from tests.helpers import client_for, csrf_token
from tests.scheduling.app_world import plan_fixture  # noqa: F401

pytestmark = pytest.mark.browser


@pytest.fixture
def server(app):
    """The app over HTTP (Socket.IO by long polling) on a free port, for one test."""
    http = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{http.server_port}"
    http.shutdown()
    http.server_close()
    thread.join(timeout=10)


def session_cookie(app, user_id: str, url: str) -> dict:
    """The signed session cookie of an account (its `get_id()`), as a login leaves it."""
    serializer = app.session_interface.get_signing_serializer(app)
    return {
        "name": app.config["SESSION_COOKIE_NAME"],
        "value": serializer.dumps({"_user_id": user_id}),
        "url": url,
    }


def open_page(browser, app, url: str, user_id: str | None = None, width: str = "desktop"):
    # axe is injected by the test (bypassing the page's Content-Security-Policy)
    context = browser.new_context(locale="fr-FR", viewport=WIDTHS[width], bypass_csp=True)
    context.set_default_timeout(15_000)
    if user_id is not None:
        context.add_cookies([session_cookie(app, user_id, url)])
    return context, context.new_page()


def test_the_room_screen_moves_on_when_the_jury_marks_the_pitch_done(
    app, plan, server, browser, fresh_live_hub
):
    plan.compute()
    plan.publish()
    first = min(plan.slots(), key=lambda slot: slot.starts_at)
    team = next(t for t in plan.teams if t.id == first.team_id)
    context, page = open_page(browser, app, server)
    try:
        page.goto(f"{server}/live/rooms/{first.room_id}")
        page.wait_for_selector("[data-live-status][data-state=connected]")
        assert team.code in page.inner_text("[data-room-screen-content]")
        jury = next(
            j
            for j in plan.juries
            if team.code in client_for(app, j).get("/jury/schedule").get_data(True)
        )
        client = client_for(app, jury)
        response = client.post(
            f"/jury/schedule/pitches/{first.id}/state",
            data={"state": "done", "csrf_token": csrf_token(client, "/jury/schedule")},
        )
        assert response.status_code == 302
        page.wait_for_selector("[data-room-screen][data-refreshed]")
        page.wait_for_function(
            "code => !document.querySelector('[data-room-screen-content]')"
            ".innerText.includes(code)",
            arg=team.code,
        )
    finally:
        context.close()


def test_the_schedule_pages_have_no_serious_accessibility_violation(app, plan, server, browser):
    plan.compute()
    plan.publish()
    slot = plan.slot_of(plan.teams[0])
    base = f"/organizer/judging/rounds/{plan.round.id}/schedule"
    organizer, jury = plan.organizer.get_id(), plan.juries[0].get_id()
    pages = [
        (organizer, base),
        (organizer, f"{base}/slots/{slot.id}"),
        (organizer, f"{base}/rooms"),
        (organizer, f"{base}/rooms/{slot.room_id}"),
        (jury, "/jury/schedule"),
        (jury, "/jury/"),
        (plan.students[0].get_id(), f"/team/{plan.teams[0].id}"),
        (None, f"/live/rooms/{slot.room_id}"),
    ]
    failures = []
    for width in WIDTHS:
        for user, path in pages:
            context, page = open_page(browser, app, server, user, width)
            try:
                page.goto(server + path)
                page.add_script_tag(path=str(AXE))
                failures += [
                    (path, width, v["id"], v["targets"][:3])
                    for v in page.evaluate(RUN_AXE, AXE_TAGS)
                    if v["impact"] in BLOCKING
                ]
            finally:
                context.close()
    assert failures == []
