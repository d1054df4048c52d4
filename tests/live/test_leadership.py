"""The board lease: only a process that holds live clients claims it, so a process of the
HTTP tier never computes (and paces) the board for the fan-out processes."""

from __future__ import annotations

import uuid

import pytest
import redis

from crunchtime.realtime.leader import Leadership


class StopLoop(Exception):
    pass


def run_rounds(leadership: Leadership, rounds: int) -> None:
    """Run the lease loop for `rounds` iterations without waiting between them."""
    left = [rounds]

    def sleep(_seconds):
        left[0] -= 1
        if left[0] <= 0:
            raise StopLoop

    with pytest.raises(StopLoop):
        leadership.run(sleep)


@pytest.fixture
def lease(redis_url):
    client = redis.Redis.from_url(redis_url)
    key = f"test-lease:{uuid.uuid4().hex[:8]}"
    yield client, key
    client.delete(key)


def test_a_process_without_live_clients_never_claims_the_lease(lease):
    client, key = lease
    gains = []
    idle = Leadership(client, key, lambda: gains.append("idle"), wants=lambda: False)
    run_rounds(idle, 3)
    assert not idle.is_leader and gains == [] and client.get(key) is None


def test_a_process_with_clients_claims_it_and_keeps_it_when_they_leave(lease):
    client, key = lease
    clients = [True]
    gains = []
    serving = Leadership(client, key, lambda: gains.append("gain"), wants=lambda: clients[0])
    run_rounds(serving, 1)
    assert serving.is_leader and gains == ["gain"]
    clients[0] = False
    run_rounds(serving, 2)
    assert serving.is_leader and gains == ["gain"]  # renewed, not regained
    other = Leadership(client, key, lambda: gains.append("other"))
    run_rounds(other, 1)
    assert not other.is_leader
    serving.release()
    run_rounds(other, 1)
    assert other.is_leader and gains == ["gain", "other"]


def test_a_first_client_claims_a_free_lease_at_once_and_a_held_one_is_left_alone(lease):
    client, key = lease
    gains = []
    holder = Leadership(client, key, lambda: gains.append("holder"))
    holder.claim_now()
    assert holder.is_leader and gains == ["holder"]
    holder.claim_now()  # already held: nothing more
    assert gains == ["holder"]
    other = Leadership(client, key, lambda: gains.append("other"))
    other.claim_now()
    assert not other.is_leader
    holder.release()
    other.claim_now()
    assert other.is_leader and gains == ["holder", "other"]
