"""The room screens follow the juries live: marking a pitch done or late, or publishing,
sends an event naming the room to the public room (what the screen at the door joins)."""

from __future__ import annotations

import pytest

from tests.helpers import client_for, csrf_token
from tests.live.conftest import received
from tests.scheduling.app_world import plan_fixture  # noqa: F401


@pytest.fixture(name="screen")
def screen_fixture(app, live_test_client, fresh_live_hub):
    """A visitor's live connection, as the screen at a room's door opens it."""
    with app.app_context():
        socket = live_test_client(app, namespace="/live", flask_test_client=app.test_client())
    yield socket
    if socket.is_connected("/live"):
        with app.app_context():
            socket.disconnect(namespace="/live")


def schedule_events(socket) -> list[dict]:
    return [args[0] for name, args in received(socket) if name == "schedule"]


def test_a_pitch_marked_done_reaches_the_room_screens_after_the_commit(app, plan, screen):
    plan.compute()
    received(screen)
    plan.publish()
    published = schedule_events(screen)
    assert {event["room"] for event in published} == {s.room_id for s in plan.slots()}
    slot = plan.slot_of(plan.teams[0])
    jury = client_for(app, plan.juries[0])
    response = jury.post(
        f"/jury/schedule/pitches/{slot.id}/state",
        data={"state": "late", "csrf_token": csrf_token(jury, "/jury/schedule")},
    )
    assert response.status_code == 302
    assert schedule_events(screen) == [{"room": slot.room_id}]


def test_a_refused_mark_sends_nothing(app, plan, screen):
    plan.compute()
    plan.publish()
    received(screen)
    slot = plan.slot_of(plan.teams[4])
    jury = client_for(app, plan.juries[0])
    response = jury.post(
        f"/jury/schedule/pitches/{slot.id}/state",
        data={"state": "done", "csrf_token": csrf_token(jury, "/jury/schedule")},
    )
    assert response.status_code == 404
    assert schedule_events(screen) == []
