"""Students' ranked wishes, and the demand they put on each challenge."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _

from crunchtime.errors import InvalidInput
from crunchtime.extensions import db
from crunchtime.models import Challenge, Edition, Organisation, Preference, StudentProfile, User
from crunchtime.realtime.publish import publish
from crunchtime.realtime.rooms import ORGANIZERS
from crunchtime.services.accounts.profiles import student_profile
from crunchtime.services.editions.current import require_current_edition, require_phase

MIN_CHOICES, MAX_CHOICES = 3, 5


def approved_challenges(edition: Edition) -> list[Challenge]:
    return list(db.session.scalars(
        sa.select(Challenge)
        .join(Organisation)
        .where(Challenge.edition_id == edition.id, Challenge.status == "approved")
        .order_by(Challenge.code)
    ))


def rank_challenges(user: User, codes: list[str]) -> list[Preference]:
    """Replace the student's wishes with `codes`, best first (3 to 5 distinct challenges)."""
    edition = require_current_edition()
    require_phase(edition, "rank_challenges")
    profile = student_profile(user, edition)
    codes = [code.strip().upper() for code in codes if code and code.strip()]
    if len(set(codes)) != len(codes):
        raise InvalidInput(_("Each challenge can be chosen only once."))
    if not MIN_CHOICES <= len(codes) <= MAX_CHOICES:
        raise InvalidInput(_("Rank between %(low)d and %(high)d challenges.",
                             low=MIN_CHOICES, high=MAX_CHOICES))
    challenges = {
        challenge.code: challenge for challenge in db.session.scalars(
            sa.select(Challenge).where(Challenge.edition_id == edition.id,
                                       Challenge.code.in_(codes))
        )
    }
    for code in codes:
        challenge = challenges.get(code)
        if challenge is None or challenge.status != "approved":
            raise InvalidInput(_("The challenge %(code)s is not open to students.", code=code))
    db.session.execute(sa.delete(Preference).where(Preference.student_id == profile.id))
    preferences = [
        Preference(student_id=profile.id, challenge_id=challenges[code].id, rank=rank)
        for rank, code in enumerate(codes, start=1)
    ]
    db.session.add_all(preferences)
    db.session.commit()
    publish("demand", demand_summary(edition), room=ORGANIZERS)
    return preferences


def student_preferences(profile: StudentProfile) -> list[Preference]:
    return list(db.session.scalars(
        sa.select(Preference).where(Preference.student_id == profile.id)
        .order_by(Preference.rank)
    ))


@dataclass(frozen=True)
class ChallengeDemand:
    challenge_id: int
    code: str
    title: str
    organisation: str
    first_choices: int
    mentions: int
    capacity: int

    @property
    def pressure(self) -> float:
        """First choices per seat: above 1, the challenge cannot take all who want it most."""
        return self.first_choices / self.capacity if self.capacity else 0.0

    @property
    def status(self) -> str:
        if self.first_choices > self.capacity:
            return "over"
        if self.mentions < self.capacity:
            return "under"
        return "balanced"


def challenge_demand(edition: Edition) -> list[ChallengeDemand]:
    """First choices and mentions of every approved challenge against its seats, one query."""
    first = sa.func.count(Preference.id).filter(Preference.rank == 1)
    rows = db.session.execute(
        sa.select(Challenge.id, Challenge.code, Challenge.title, Organisation.name,
                  Challenge.teams_wanted, first.label("first"),
                  sa.func.count(Preference.id).label("mentions"))
        .join(Organisation, Challenge.organisation_id == Organisation.id)
        .outerjoin(Preference, Preference.challenge_id == Challenge.id)
        .where(Challenge.edition_id == edition.id, Challenge.status == "approved")
        .group_by(Challenge.id, Challenge.code, Challenge.title, Organisation.name,
                  Challenge.teams_wanted)
        .order_by(Challenge.code)
    ).all()
    return [
        ChallengeDemand(row.id, row.code, row.title, row.name, row.first, row.mentions,
                        row.teams_wanted * edition.team_size_max)
        for row in rows
    ]


def demand_summary(edition: Edition) -> dict:
    """What the organisers' demand page shows, as plain data (also sent live)."""
    students = db.session.scalar(sa.select(sa.func.count(StudentProfile.id)).where(
        StudentProfile.edition_id == edition.id))
    ranked = db.session.scalar(
        sa.select(sa.func.count(sa.distinct(Preference.student_id)))
        .join(StudentProfile, Preference.student_id == StudentProfile.id)
        .where(StudentProfile.edition_id == edition.id)
    )
    return {
        "students": students,
        "ranked": ranked,
        "challenges": [
            {"code": d.code, "first": d.first_choices, "mentions": d.mentions,
             "capacity": d.capacity, "status": d.status}
            for d in challenge_demand(edition)
        ],
    }
