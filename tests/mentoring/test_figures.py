"""The cockpit's mentoring figures: waiting now and resolved today, requests per challenge."""

from __future__ import annotations

from datetime import timedelta

from crunchtime.extensions import db
from crunchtime.models.base import utcnow
from crunchtime.services.mentoring import requests as help_requests
from crunchtime.services.mentoring.figures import mentoring_figures
from tests.mentoring.conftest import ask


def test_waiting_times_and_requests_per_challenge(world):
    now = utcnow()
    first, second, third = (ask(world, team_index=i) for i in range(3))
    for item, minutes in ((first, 30), (second, 10), (third, 20)):
        item.opened_at = now - timedelta(minutes=minutes)
    db.session.commit()
    help_requests.claim_help_request(world.organizer, world.edition, third.id)
    third.claimed_at = third.opened_at + timedelta(minutes=12)
    db.session.commit()
    help_requests.resolve_help_request(world.organizer, world.edition, third.id, "Fait")
    figures = mentoring_figures(world.edition, moment=now)
    assert figures.open_now.count == 2
    assert figures.open_now.median_seconds == 20 * 60  # (30 + 10) / 2
    assert figures.open_now.longest_seconds == 30 * 60
    assert figures.resolved_today.count == 1
    assert figures.resolved_today.longest_seconds == 12 * 60
    assert figures.claimed == 0
    rows = {row.code: (row.total, row.waiting) for row in figures.per_challenge}
    assert rows == {world.challenges[0].code: (2, 2), world.challenges[1].code: (1, 0)}


def test_no_request_no_figure(world):
    figures = mentoring_figures(world.edition)
    assert figures.open_now.median_seconds is None and figures.per_challenge == []
