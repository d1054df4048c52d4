"""The cockpit's mentoring figures: how long teams wait (now, and today for those resolved)
and how many requests each challenge's teams made."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from statistics import median

import sqlalchemy as sa

from crunchtime.extensions import db
from crunchtime.i18n import PARIS
from crunchtime.models import Challenge, Edition, HelpRequest, Team
from crunchtime.models.base import utcnow


@dataclass(frozen=True)
class Waiting:
    count: int
    median_seconds: int | None
    longest_seconds: int | None


@dataclass(frozen=True)
class ChallengeRequests:
    code: str
    title: str
    total: int
    waiting: int


@dataclass(frozen=True)
class MentoringFigures:
    open_now: Waiting
    resolved_today: Waiting
    claimed: int
    per_challenge: list[ChallengeRequests]


def _waiting(seconds: list[int]) -> Waiting:
    if not seconds:
        return Waiting(0, None, None)
    return Waiting(len(seconds), int(median(seconds)), max(seconds))


def _start_of_day(moment: datetime) -> datetime:
    local = moment.astimezone(PARIS)
    return datetime.combine(local.date(), time(0), tzinfo=PARIS)


def mentoring_figures(edition: Edition, moment: datetime | None = None) -> MentoringFigures:
    """Waiting time of an open request: since it was opened; of one resolved today: until the
    mentor who resolved it took it (a handed-back request keeps its first opening). One query
    (the cockpit's number of queries stays constant)."""
    moment = moment or utcnow()
    since = _start_of_day(moment)
    rows = db.session.execute(
        sa.select(HelpRequest.status, HelpRequest.opened_at, HelpRequest.claimed_at,
                  HelpRequest.resolved_at, Challenge.id.label("challenge_id"), Challenge.code,
                  Challenge.title)
        .join(Team, Team.id == HelpRequest.team_id)
        .join(Challenge, Challenge.id == Team.challenge_id)
        .where(HelpRequest.edition_id == edition.id)).all()
    open_now = [int((moment - row.opened_at).total_seconds()) for row in rows
                if row.status == "open"]
    resolved = [int(((row.claimed_at or row.resolved_at) - row.opened_at).total_seconds())
                for row in rows if row.status == "resolved" and row.resolved_at >= since]
    per_challenge: dict[int, list] = {}
    for row in rows:
        entry = per_challenge.setdefault(row.challenge_id, [row.code, row.title, 0, 0])
        entry[2] += 1
        entry[3] += row.status in ("open", "claimed")
    return MentoringFigures(
        _waiting([max(0, s) for s in open_now]), _waiting([max(0, s) for s in resolved]),
        sum(1 for row in rows if row.status == "claimed"),
        [ChallengeRequests(*entry) for entry in sorted(
            per_challenge.values(), key=lambda entry: (-entry[2], entry[0]))])
