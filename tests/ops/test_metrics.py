"""/metrics: absent unless enabled, behind a bearer token when one is set, and counting what
an operator watches: request latency, live viewers, scores recorded, board computation time,
the mail backlog and failures, whether shared frames are installed."""

from __future__ import annotations

import pytest
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families

import crunchtime.services.editions.health as health
from crunchtime import metrics
from tests.judging.conftest import api_client, post_event
from tests.judging.conftest import world as judging_world
from tests.live.conftest import connect as live_connect

world = judging_world
connect = live_connect
TOKEN = "scrape-token-for-tests"


def value(name: str, **labels) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


@pytest.fixture
def scraper(make_app):
    """An app with its metrics on."""
    return make_app(METRICS_ENABLED=True)


def samples(response) -> dict[str, float]:
    text = response.get_data(as_text=True)
    return {(sample.name + str(sorted(sample.labels.items()))): sample.value
            for family in text_string_to_metric_families(text) for sample in family.samples}


def test_metrics_are_absent_unless_enabled(client):
    assert client.get("/metrics").status_code == 404


def test_a_token_keeps_the_metrics_from_whoever_lacks_it(make_app):
    client = make_app(METRICS_ENABLED=True, METRICS_TOKEN=TOKEN).test_client()
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert client.get("/metrics", headers={"Authorization": TOKEN}).status_code == 401
    response = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200
    assert response.content_type.startswith("text/plain; version=")


def test_request_latency_by_endpoint_method_and_status_class(scraper):
    client = scraper.test_client()
    labels = {"endpoint": "public.privacy", "method": "GET", "status": "2xx"}
    missing = {"endpoint": "none", "method": "GET", "status": "4xx"}
    before = value("crunchtime_request_seconds_count", **labels)
    before_missing = value("crunchtime_request_seconds_count", **missing)
    client.get("/privacy")
    client.get("/privacy")
    client.get("/no/such/page")
    response = client.get("/metrics")
    assert response.status_code == 200
    key = "crunchtime_request_seconds_count" + str(sorted(labels.items()))
    assert samples(response)[key] == before + 2
    assert value("crunchtime_request_seconds_count", **missing) == before_missing + 1


def test_every_metric_the_operators_watch_is_exposed(scraper, monkeypatch):
    monkeypatch.setattr(health, "mail_backlog",
                        lambda: {"pending": 17, "failed": 3, "last_error": "timed out"})
    found = samples(scraper.test_client().get("/metrics"))
    names = {key.split("[")[0] for key in found}
    assert {"crunchtime_live_viewers", "crunchtime_scores_recorded_total",
            "crunchtime_board_seconds_count", "crunchtime_mail_failures_total",
            "crunchtime_live_shared_frames_installed", "crunchtime_mail_pending",
            "crunchtime_mail_failed"} <= names
    assert found["crunchtime_mail_pending[]"] == 17 and found["crunchtime_mail_failed[]"] == 3


def test_a_failed_mail_and_the_shared_frames_state_show_in_the_metrics(scraper):
    failures = value("crunchtime_mail_failures_total")
    metrics.MAIL_FAILURES.inc()
    metrics.SHARED_FRAMES.set(1)
    try:
        found = samples(scraper.test_client().get("/metrics"))
        assert found["crunchtime_mail_failures_total[]"] == failures + 1
        assert found["crunchtime_live_shared_frames_installed[]"] == 1
    finally:
        metrics.SHARED_FRAMES.set(0)


def test_scores_count_once_and_the_board_computation_is_timed(app, db, world, connect,
                                                              fresh_live_hub):
    viewer = connect()  # a board listener: the board is computed after each score
    scores, boards = value("crunchtime_scores_recorded_total"), value(
        "crunchtime_board_seconds_count")
    jury = api_client(app, world.juries[0])
    assert post_event(jury, world.score_body("metrics-1")).status_code == 201
    assert post_event(jury, world.score_body("metrics-1")).status_code in (200, 201)  # replay
    assert post_event(jury, world.score_body("metrics-2", value=99)).status_code == 400
    assert value("crunchtime_scores_recorded_total") == scores + 1
    assert value("crunchtime_board_seconds_count") >= boards + 1
    assert viewer.is_connected("/live")


def test_live_viewers_count_the_connections_of_this_process(app, db, world, connect,
                                                            fresh_live_hub):
    before = value("crunchtime_live_viewers")
    sockets = [connect(), connect(world.juries[0])]
    assert value("crunchtime_live_viewers") == before + 2
    with app.app_context():
        sockets[0].disconnect(namespace="/live")
    assert value("crunchtime_live_viewers") == before + 1

