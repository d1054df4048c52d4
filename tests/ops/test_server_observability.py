"""Under gunicorn with its gevent worker (the shipped gunicorn.conf.py), as in production:
JSON log lines carry the request id of their request or live event, the access log prints
the same id, /ready and /metrics answer, and the metrics follow the live viewers, the scores
and the board's computations. Slow (a real server process, about 10 s)."""

from __future__ import annotations

import json
import uuid

import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families

from tests import factories
from tests.judging.conftest import assign, enter, make_round
from tests.live.servers import Jury, Server, Watcher

pytestmark = pytest.mark.timeout(120)
TOKEN = "scrape-token-of-the-test"


@pytest.fixture
def judging_database(db, database_url):
    """The session's database (the server shares it): round 1 open, one jury, two teams."""
    edition = factories.edition(phase="judging", public_display="ranking")
    challenge = factories.challenge(edition)
    teams = [factories.team(edition, challenge) for _ in range(2)]
    jury = factories.jury(edition)
    judging_round = make_round(edition, k=1, criteria=(("impact", 1.0),))
    enter(judging_round, *teams)
    for team in teams:
        assign(judging_round, jury, team)
    return {"url": database_url, "round": judging_round.id, "teams": [t.id for t in teams],
            "criterion": judging_round.criteria[0].id, "jury": jury.email}


@pytest.fixture
def server(judging_database, redis_url, tmp_path):
    started = Server(judging_database["url"], redis_url,
                     f"test-ops:{uuid.uuid4().hex[:8]}", tmp_path)
    started.env.update(LOG_FORMAT="json", LOG_LEVEL="DEBUG", METRICS_ENABLED="true",
                       METRICS_TOKEN=TOKEN)
    yield started.start()
    started.stop()


def scrape(server) -> dict[str, float]:
    response = requests.get(server.url + "/metrics", timeout=10,
                            headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200
    return {sample.name: sample.value
            for family in text_string_to_metric_families(response.text)
            for sample in family.samples if not sample.labels}


def test_request_ids_logs_ready_and_metrics_under_gunicorn(judging_database, server):
    ready = requests.get(server.url + "/ready", headers={"X-Request-ID": "probe-ready-1"},
                         timeout=10)
    assert ready.status_code == 200 and ready.headers["X-Request-ID"] == "probe-ready-1"
    assert {"database", "redis", "board", "mail"} <= set(ready.json()["checks"])
    assert requests.get(server.url + "/metrics", timeout=10).status_code == 401
    polling = requests.get(server.url + "/socket.io/", timeout=10,
                           params={"EIO": "4", "transport": "polling"},
                           headers={"X-Request-ID": "probe-socket-1"})
    assert polling.status_code == 200 and polling.headers["X-Request-ID"] == "probe-socket-1"

    watcher = Watcher(server.url)
    try:
        watcher.wait_for(lambda board: board["progress"]["recorded"] == 0, timeout=45)
        assert scrape(server)["crunchtime_live_viewers"] == 1
        jury = Jury(judging_database["jury"], factories.PASSWORD).login(server.url)
        jury.score(server.url, judging_database["round"], judging_database["teams"][0],
                   judging_database["criterion"], 8)
        watcher.wait_for(lambda board: board["progress"]["recorded"] == 1, timeout=45)
        found = scrape(server)
        assert found["crunchtime_scores_recorded_total"] == 1
        assert found["crunchtime_board_seconds_count"] >= 1
    finally:
        watcher.close()
    server.stop()

    lines = server.log.read_text().splitlines()
    entries = [json.loads(line) for line in lines if line.startswith("{")]
    access = [line for line in lines if " access " in line]
    assert any("/ready 200" in line and "request_id=probe-ready-1" in line for line in access)
    assert any("/socket.io/ 200" in line and "request_id=probe-socket-1" in line
               for line in access)
    assert all(entry["request_id"] for entry in entries)
    live = [entry for entry in entries if entry["logger"] == "crunchtime.realtime.handlers"]
    connect = next(entry for entry in live if entry["message"].startswith("live connection"))
    assert connect["request_id"].endswith(".0")
    assert connect["request_id"][:-2] != "-"  # the handshake's id, numbered per event
    assert judging_database["jury"] not in server.log.read_text()
