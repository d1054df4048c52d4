"""Two real server processes (gunicorn, gevent worker) sharing the database and Redis:
a score posted to one reaches the clients of both; after one is killed mid-judging and
restarted, every client ends with the complete ranking.

Slow (real processes, about 20 s each): marked `slow`, run by ./scripts/test like the rest."""

from __future__ import annotations

import uuid

import pytest
import redis

from tests import factories
from tests.judging.conftest import assign, enter, make_round
from tests.live.servers import Jury, Server, Watcher, session_cookie

pytestmark = [pytest.mark.slow, pytest.mark.timeout(120)]


@pytest.fixture
def judging_database(db, database_url):
    """The session's database (the servers share it): round 1 open, four teams, two juries
    scoring all four, the ranking public."""
    edition = factories.edition(phase="judging", public_display="ranking")
    challenge = factories.challenge(edition)
    teams = [factories.team(edition, challenge) for _ in range(4)]
    juries = [factories.jury(edition) for _ in range(2)]
    judging_round = make_round(edition, k=1, criteria=(("impact", 1.0),))
    enter(judging_round, *teams)
    for jury in juries:
        for team in teams:
            assign(judging_round, jury, team)
    return {"url": database_url, "round": judging_round.id, "teams": [t.id for t in teams],
            "codes": [t.code for t in teams], "criterion": judging_round.criteria[0].id,
            "juries": [j.email for j in juries], "organizer": factories.organizer().email}


@pytest.fixture
def servers(judging_database, redis_url, tmp_path):
    prefix = f"test-live:{uuid.uuid4().hex[:8]}"
    started = [Server(judging_database["url"], redis_url, prefix, tmp_path).start()
               for _ in range(2)]
    yield started
    for server in started:
        server.stop()


def test_a_score_posted_to_one_process_reaches_the_clients_of_both(judging_database,
                                                                   servers):
    watchers = [Watcher(server.url) for server in servers]
    try:
        for watcher in watchers:
            watcher.wait_for(lambda board: board["progress"]["recorded"] == 0)
        jury = Jury(judging_database["juries"][0], factories.PASSWORD).login(servers[0].url)
        jury.score(servers[0].url, judging_database["round"], judging_database["teams"][2],
                   judging_database["criterion"], 8)
        code = judging_database["codes"][2]
        for watcher in watchers:
            board = watcher.wait_for(lambda board: board["progress"]["recorded"] == 1)
            assert [row["team"] for row in board["ranking"]] == [code]
    finally:
        for watcher in watchers:
            watcher.close()


def test_after_a_crash_and_restart_every_client_has_the_complete_ranking(judging_database,
                                                                        servers):
    world = judging_database
    first, second = servers
    watchers = [Watcher(first.url), Watcher(first.url), Watcher(second.url)]
    juries = [Jury(email, factories.PASSWORD).login(first.url) for email in world["juries"]]
    try:
        values = iter([3, 9, 5, 7, 6, 4, 8, 2])
        cells = [(jury, team) for jury in juries for team in world["teams"]]
        for jury, team in cells[:3]:
            jury.score(first.url, world["round"], team, world["criterion"], next(values))
        first.kill()  # mid-judging: its clients lose their connection and any event in flight
        for jury, team in cells[3:6]:
            jury.score(second.url, world["round"], team, world["criterion"], next(values))
        first.start()
        for jury, team in cells[6:]:
            jury.score(first.url, world["round"], team, world["criterion"], next(values))
        boards = [watcher.wait_for(lambda board: board["progress"]["recorded"] == 8,
                                   timeout=30) for watcher in watchers]
        rankings = [[row["team"] for row in board["ranking"]] for board in boards]
        assert rankings[0] == rankings[1] == rankings[2]
        assert sorted(rankings[0]) == sorted(world["codes"])
    finally:
        for watcher in watchers:
            watcher.close()


def test_the_organisers_board_is_kept_current_only_while_an_organiser_watches(
        judging_database, servers, redis_url):
    world = judging_database
    http, fan_out = servers
    store = redis.Redis.from_url(redis_url, decode_responses=True)
    organizers_view = f"{fan_out.env['LIVE_REDIS_PREFIX']}:view:organizers"
    public = Watcher(fan_out.url)
    jury = Jury(world["juries"][0], factories.PASSWORD).login(http.url)
    organiser = None
    try:
        public.wait_for(lambda board: board["progress"]["recorded"] == 0)
        jury.score(http.url, world["round"], world["teams"][1], world["criterion"], 6)
        public.wait_for(lambda board: board["progress"]["recorded"] == 1)
        assert store.get(organizers_view) is None  # nobody watches: never published
        organiser = Watcher(fan_out.url, session_cookie(fan_out.url, world["organizer"],
                                                        factories.PASSWORD))
        board = organiser.wait_for(lambda board: board["progress"]["recorded"] == 1,
                                   room="organizers")
        assert board["teams"][0]["team"] == world["codes"][1]  # ranked first, the only scored
        jury.score(http.url, world["round"], world["teams"][2], world["criterion"], 9)
        organiser.wait_for(lambda board: board["progress"]["recorded"] == 2, room="organizers")
        assert store.get(organizers_view) is not None
    finally:
        for watcher in (public, organiser):
            if watcher is not None:
                watcher.close()
