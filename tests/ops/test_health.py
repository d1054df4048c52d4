"""/health says the process lives and touches nothing; /ready answers JSON with each check
(database, Redis when configured, the live board's lease, mail) and 503 naming the failed
check and why, in the visitor's language, with no address or password in it."""

from __future__ import annotations

import uuid

import pytest

import crunchtime.services.editions.health as health
from crunchtime.extensions import db as _db
from crunchtime.realtime.hub import hub_of
from tests.helpers import count_queries, fr

DOWN_REDIS = "redis://:s3cret-pass@127.0.0.1:1/0"


def test_health_answers_without_touching_the_database(app, client):
    with app.app_context(), count_queries(_db.engine) as queries:
        response = client.get("/health")
    assert (response.status_code, response.get_json()) == (200, {"status": "ok"})
    assert queries.count == 0


def test_ready_lists_every_check_and_answers_200_when_all_pass(client, db):
    response = client.get("/ready")
    body = response.get_json()
    assert response.status_code == 200 and body["status"] == "ready"
    assert set(body["checks"]) == {"database", "board", "mail"}  # no Redis configured
    assert body["checks"]["database"] == {"ok": True}
    assert body["checks"]["mail"] == {"ok": True, "pending": 0, "failed": 0, "last_error": None}
    assert response.headers["Cache-Control"] == "no-store"


def test_ready_counts_the_mail_waiting_in_the_outbox(client, db):
    from crunchtime.services.mail import queue_mail

    for n in range(3):
        queue_mail(f"student{n}@example.org", "Bienvenue", "…")
    db.session.commit()
    mail = client.get("/ready").get_json()["checks"]["mail"]
    assert (mail["pending"], mail["failed"]) == (3, 0)


def test_a_database_that_does_not_answer_makes_the_process_not_ready(make_app, tmp_path):
    broken = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/missing/dir/x.db")
    response = broken.test_client().get("/ready", headers={"Accept-Language": "en"})
    body = response.get_json()
    assert response.status_code == 503 and body["status"] == "not ready"
    assert body["checks"]["database"]["ok"] is False
    assert body["checks"]["database"]["message"].startswith(
        "The database does not answer: OperationalError")
    assert broken.test_client().get("/health").status_code == 200  # alive all the same


def test_wrong_smtp_credentials_show_on_ready_without_the_address(client, db, monkeypatch):
    error = "(535, b'5.7.8 Authentication credentials invalid for relay@utbm.fr')"
    monkeypatch.setattr(health, "mail_backlog",
                        lambda: {"pending": 1700, "failed": 0, "last_error": error})
    response = client.get("/ready")
    mail = response.get_json()["checks"]["mail"]
    assert response.status_code == 503
    assert mail["ok"] is False and mail["pending"] == 1700
    assert "5.7.8 Authentication credentials invalid" in mail["last_error"]
    assert "relay@utbm.fr" not in response.get_data(as_text=True)
    assert mail["message"] == fr("Mail cannot be sent: %(error)s", error=mail["last_error"])


def test_the_reason_is_in_the_visitor_language_and_the_keys_in_english(client, db,
                                                                      monkeypatch):
    monkeypatch.setattr(health, "mail_backlog",
                        lambda: {"pending": 0, "failed": 2, "last_error": "timed out"})
    english = client.get("/ready", headers={"Accept-Language": "en"}).get_json()
    assert english["checks"]["mail"]["message"] == "Mail cannot be sent: timed out"
    french = client.get("/ready", headers={"Accept-Language": "fr"}).get_json()
    assert french["checks"]["mail"]["message"] == fr("Mail cannot be sent: %(error)s",
                                                     error="timed out")
    assert french["status"] == "not ready"


def test_redis_is_checked_when_the_app_uses_it(make_app, redis_url):
    up = make_app(RATELIMIT_STORAGE_URI=redis_url).test_client().get("/ready").get_json()
    assert up["checks"]["redis"] == {"ok": True}
    down = make_app(RATELIMIT_STORAGE_URI=DOWN_REDIS).test_client().get(
        "/ready", headers={"Accept-Language": "en"})
    redis_check = down.get_json()["checks"]["redis"]
    assert down.status_code == 503 and redis_check["ok"] is False
    assert redis_check["message"].startswith("Redis (127.0.0.1:1) does not answer: ")
    assert "s3cret-pass" not in down.get_data(as_text=True)


@pytest.fixture
def shared_live(make_app, redis_url):
    """An app whose live hub goes through Redis, as with several processes."""
    prefix = f"crunchtime:test:{uuid.uuid4().hex[:8]}"
    application = make_app(SOCKETIO_MESSAGE_QUEUE=redis_url, LIVE_REDIS_PREFIX=prefix,
                           LIVE_BOARD_WORKER="process")
    streams = hub_of(application).streams
    yield application, streams
    streams.redis.delete(f"{prefix}:leader", f"{prefix}:audience")


def test_viewers_waiting_for_a_board_nobody_computes_make_it_not_ready(shared_live):
    application, streams = shared_live
    client = application.test_client()
    assert client.get("/ready").status_code == 200  # no viewer: no lease needed
    streams.announce("fanout-1", {"public"})
    response = client.get("/ready", headers={"Accept-Language": "en"})
    board = response.get_json()["checks"]["board"]
    assert response.status_code == 503 and board["ok"] is False and board["leader"] is None
    assert board["message"] == ("No server process computes the live board while 1 board "
                                "room has viewers.")
    streams.redis.set(f"{streams.prefix}:leader", "host:4242:ab12", px=3000)
    board = client.get("/ready").get_json()["checks"]["board"]
    assert board == {"ok": True, "leader": "host:4242:ab12"}
