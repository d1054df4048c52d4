"""The live tests' world: the judging world of tests/judging (round 1 open, two criteria,
four teams on two organisations' challenges, three juries) and Socket.IO test clients."""

from __future__ import annotations

import pytest

from tests import factories
from tests.judging.conftest import World, api_client, post_event  # noqa: F401
from tests.judging.conftest import world as judging_world

world = judging_world


@pytest.fixture(autouse=True)
def _no_live_history(fresh_live_hub):
    """Each live test starts with no live history (tests/conftest.py `fresh_live_hub`)."""


@pytest.fixture
def connect(app, live_test_client):
    """connect(user or None, auth=None) -> a Socket.IO test client on /live, logged in."""

    sockets = []

    def make(user=None, auth=None):
        browser = app.test_client()
        if user is not None:
            with browser.session_transaction() as session:
                session["_user_id"] = user.get_id()
        with app.app_context():  # each connection in its own context, as in production
            socket = live_test_client(app, namespace="/live", flask_test_client=browser,
                                      auth=auth)
        sockets.append(socket)
        return socket

    yield make
    for socket in sockets:  # leave the rooms, or later tests would still have listeners
        if socket.is_connected("/live"):
            with app.app_context():
                socket.disconnect(namespace="/live")


@pytest.fixture
def company_of(world):
    """A company user of the first challenge's organisation."""
    return factories.company_user(world.organisations[0])


def received(socket, name: str | None = None) -> list:
    """The /live events a test client got since last asked: (name, args) pairs."""
    events = [(event["name"], event["args"]) for event in socket.get_received("/live")]
    return [event for event in events if name is None or event[0] == name]


def boards(socket, events: list | None = None) -> dict[str, dict]:
    """Room → the latest board view the client got (snapshot or event)."""
    latest = {}
    for name, args in received(socket) if events is None else events:
        if name == "snapshot" and args[0]["state"] is not None:
            latest[args[0]["room"]] = args[0]["state"]
        elif name == "board":
            latest[args[1]["room"]] = args[0]
    return latest


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "slow: starts real server processes (tens of seconds); still run by "
                   "./scripts/test and CI")
