"""Whether this server process can serve the event (`/ready`): the database answers, Redis
answers when configured, some process computes the live board while viewers wait for it, and
mail goes out. Each check says why it failed, redacted: `/ready` may be seen from outside."""

from __future__ import annotations

from urllib.parse import urlsplit

import redis
import sqlalchemy as sa
from flask import Flask

from crunchtime.extensions import db
from crunchtime.logs import redact
from crunchtime.realtime.hub import hub_of
from crunchtime.services.editions import words
from crunchtime.services.mail import mail_backlog

REDIS_SCHEMES = ("redis", "rediss", "unix")
REDIS_TIMEOUT_SECONDS = 1.0
_CLIENTS_KEY = "crunchtime_ready_redis"


def _error_text(error: Exception) -> str:
    return redact(f"{type(error).__name__}: {error}")[:300]


def check_database() -> dict:
    try:
        db.session.execute(sa.text("SELECT 1"))
    except Exception as error:  # any failure means not ready, with its reason
        db.session.rollback()
        return {"ok": False, "message": words.database_down(_error_text(error))}
    return {"ok": True}


def redis_urls(config) -> list[str]:
    """The distinct Redis servers the app uses (the live queue, the rate limits' storage)."""
    urls = [config.get("SOCKETIO_MESSAGE_QUEUE"), config.get("RATELIMIT_STORAGE_URI")]
    return list(dict.fromkeys(url for url in urls
                              if url and url.split(":", 1)[0] in REDIS_SCHEMES))


def _address(url: str) -> str:
    parts = urlsplit(url)
    return parts.netloc.rsplit("@", 1)[-1] or parts.path


def check_redis(app: Flask) -> dict | None:
    """None when the app uses no Redis."""
    urls = redis_urls(app.config)
    if not urls:
        return None
    clients = app.extensions.setdefault(_CLIENTS_KEY, {})
    for url in urls:
        client = clients.get(url) or clients.setdefault(url, redis.Redis.from_url(
            url, socket_timeout=REDIS_TIMEOUT_SECONDS,
            socket_connect_timeout=REDIS_TIMEOUT_SECONDS))
        try:
            client.ping()
        except Exception as error:  # down, refused, wrong password: not ready
            return {"ok": False, "message": words.redis_down(_address(url),
                                                             _error_text(error))}
    return {"ok": True}


def check_board(app: Flask) -> dict:
    """With several processes (Redis), the board lease's holder computes the board; nobody
    needs to while no board room has a viewer."""
    streams = hub_of(app).streams
    if streams.kind != "redis":
        return {"ok": True, "leader": "this process"}
    try:
        leader = streams.redis.get(f"{streams.prefix}:leader")  # realtime/hub.py's lease key
        listened = streams.audience()
    except Exception as error:
        return {"ok": False, "message": words.redis_down(streams.prefix, _error_text(error))}
    holder = leader.decode() if isinstance(leader, bytes) else leader
    if holder is None and listened:
        return {"ok": False, "leader": None, "message": words.board_unowned(len(listened))}
    return {"ok": True, "leader": holder}


def check_mail() -> dict:
    """The outbox's backlog; not ready while the last attempt to send failed."""
    backlog = mail_backlog()
    last_error = backlog.get("last_error")
    check = {"ok": not last_error, "pending": backlog["pending"], "failed": backlog["failed"],
             "last_error": redact(last_error) if last_error else None}
    if last_error:
        check["message"] = words.mail_failing(redact(last_error))
    return check


def mail_backlog_or_none() -> dict | None:
    """The outbox's counts for the metrics, None when the database cannot tell."""
    try:
        return mail_backlog()
    except Exception:
        db.session.rollback()
        return None


def readiness(app: Flask) -> tuple[bool, dict]:
    """(ready, each check by name)."""
    checks = {"database": check_database()}
    redis_check = check_redis(app)
    if redis_check is not None:
        checks["redis"] = redis_check
    checks["board"] = check_board(app)
    try:
        checks["mail"] = check_mail()
    except Exception as error:  # the outbox cannot be read: the database check says why
        checks["mail"] = {"ok": False, "message": words.database_down(_error_text(error))}
    return all(check["ok"] for check in checks.values()), checks
