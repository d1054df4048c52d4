"""Prometheus metrics of one process (one gunicorn worker per process: each exposes its own).

The objects live in the default registry so any layer may import and update them; the
`/metrics` endpoint (off unless METRICS_ENABLED) renders them.
"""

import time

from flask import g, request
from prometheus_client import CONTENT_TYPE_LATEST, Counter, Gauge, Histogram, generate_latest

REQUEST_LATENCY = Histogram(
    "crunchtime_request_seconds",
    "Time spent answering an HTTP request.",
    ("endpoint", "method", "status"),
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
LIVE_VIEWERS = Gauge(
    "crunchtime_live_viewers",
    "Socket.IO clients connected to this process.",
)
SCORES_RECORDED = Counter(
    "crunchtime_scores_recorded",
    "Scores written to the score ledger by this process.",
)
BOARD_SECONDS = Histogram(
    "crunchtime_board_seconds",
    "Time spent computing a live board.",
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
)
MAIL_FAILURES = Counter(
    "crunchtime_mail_failures",
    "Mail sending attempts that failed in this process.",
)
SHARED_FRAMES = Gauge(
    "crunchtime_live_shared_frames_installed",
    "1 when shared WebSocket frames are installed in this process, else 0.",
)
SHARED_FRAMES_SENT = Counter(  # helper "live": crunchtime/realtime/fanout.py
    "crunchtime_live_shared_frames_sent",
    "Live events written to a viewer as a shared frame (the rest go through Engine.IO's "
    "queue), by mode: plain or deflate (permessage-deflate).",
    ("mode",),
)
MAIL_PENDING = Gauge(
    "crunchtime_mail_pending",
    "Outbox messages waiting to be sent (read from the database at scrape time).",
)
MAIL_FAILED = Gauge(
    "crunchtime_mail_failed",
    "Outbox messages that failed for good (read from the database at scrape time).",
)


def status_class(status: int) -> str:
    """`2xx`, `4xx`…: the latency's label, of few values."""
    return f"{status // 100}xx"


def start_request_timer() -> None:
    g.metrics_started = time.perf_counter()


def observe_request(response):
    """After each request: its latency, by endpoint, method and status class."""
    started = g.get("metrics_started")
    if started is not None:
        REQUEST_LATENCY.labels(request.endpoint or "none", request.method,
                               status_class(response.status_code)
                               ).observe(time.perf_counter() - started)
    return response


def timed_board(compute):
    """`compute` (a board computation) timed into BOARD_SECONDS."""
    def timed(*args, **kwargs):
        with BOARD_SECONDS.time():
            return compute(*args, **kwargs)
    return timed


def render_metrics(mail_backlog: dict | None) -> tuple[bytes, str]:
    """The exposition text of this process' metrics, with the outbox's counts as read now."""
    if mail_backlog is not None:
        MAIL_PENDING.set(mail_backlog["pending"])
        MAIL_FAILED.set(mail_backlog["failed"])
    return generate_latest(), CONTENT_TYPE_LATEST
