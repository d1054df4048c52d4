"""The queue moves live over /live: a new request reaches the mentors who may take it (and
no one else), a claim reaches the team's members with the mentor's name; the rooms are
chosen by the server from the account."""

from __future__ import annotations

import pytest

from crunchtime.services.live.rooms import rooms_for
from crunchtime.services.mentoring import requests as help_requests
from tests.mentoring.conftest import ask


@pytest.fixture(autouse=True)
def _no_live_history(fresh_live_hub):
    """Each test starts with no live history."""


@pytest.fixture
def connect(app, live_test_client):
    sockets = []

    def make(user):
        browser = app.test_client()
        with browser.session_transaction() as session:
            session["_user_id"] = user.get_id()
        with app.app_context():
            socket = live_test_client(app, namespace="/live", flask_test_client=browser)
        socket.get_received("/live")  # the connection's snapshots
        sockets.append(socket)
        return socket

    yield make
    for socket in sockets:
        if socket.is_connected("/live"):
            with app.app_context():
                socket.disconnect(namespace="/live")


def help_events(socket) -> list[dict]:
    return [event["args"][0] for event in socket.get_received("/live")
            if event["name"] == "help_request"]


def test_mentors_rooms_are_chosen_from_the_account(world):
    assert "mentors" in rooms_for(world.organizer)
    assert "mentors" in rooms_for(world.jury_mentor)
    assert "mentors" not in rooms_for(world.jury)
    company = rooms_for(world.contacts[0])
    assert f"mentors:{world.challenges[0].id}" in company and "mentors" not in company
    assert not [room for room in rooms_for(world.members[0][0]) if room.startswith("mentors")]


def test_a_new_request_reaches_the_mentors_who_may_take_it(world, connect):
    sockets = {name: connect(user) for name, user in (
        ("contact", world.contacts[0]), ("other_contact", world.contacts[1]),
        ("staff", world.organizer), ("jury_mentor", world.jury_mentor), ("jury", world.jury),
        ("other_team", world.members[1][0]))}
    item = ask(world, tags="ux")
    for name in ("contact", "staff", "jury_mentor"):
        [event] = help_events(sockets[name])
        assert event["id"] == item.id and event["change"] == "opened"
        assert event["tags"] == ["ux"]
    for name in ("other_contact", "jury", "other_team"):
        assert help_events(sockets[name]) == []


def test_a_claim_reaches_the_team_with_the_mentor_name(world, connect):
    item = ask(world)
    members = [connect(user) for user in world.members[0]]
    other_team = connect(world.members[1][0])
    help_requests.claim_help_request(world.contacts[0], world.edition, item.id)
    for socket in members:
        [event] = help_events(socket)
        assert event["change"] == "claimed" and event["mentor"] == "Claire Contact0"
        assert event["status"] == "claimed" and event["team_id"] == world.teams[0].id
    assert help_events(other_team) == []


def test_a_claim_leaves_the_queue_of_the_other_mentors_live(world, connect):
    item = ask(world)
    staff = connect(world.organizer)
    help_requests.claim_help_request(world.jury_mentor, world.edition, item.id)
    help_requests.hand_back_help_request(world.jury_mentor, world.edition, item.id)
    assert [event["change"] for event in help_events(staff)] == ["claimed", "handed_back"]
