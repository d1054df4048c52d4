"""What an attestation states, and when students may have one.

Attestations open once the results are published (or the edition is closed): the document is
the record of the whole week, award and sessions included, so it is issued once everything it
states is final, and every copy a student downloads says the same."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from crunchtime.errors import Conflict, NotFound, PhaseClosed
from crunchtime.extensions import db
from crunchtime.models import (
    Attestation,
    Award,
    Challenge,
    Edition,
    JudgingRound,
    Membership,
    StudentProfile,
    Team,
    User,
)
from crunchtime.models.base import utcnow
from crunchtime.services.attestations import words
from crunchtime.services.attestations.attendance import Presence, presence_of
from crunchtime.services.mail.links import external_url

# Crockford's base 32: no I, L, O or U, so a reference read aloud or retyped survives.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
GROUPS, GROUP_SIZE = 3, 4


@dataclass(frozen=True)
class AwardFact:
    place: int
    challenge_code: str | None  # None: the overall ranking


@dataclass(frozen=True)
class AttestationFacts:
    reference: str
    issued_at: datetime
    verify_url: str
    edition_name: str
    edition_year: int
    student_name: str
    email: str
    programme: str | None
    team_code: str
    team_name: str
    challenge_code: str
    challenge_title: str
    organisation: str
    presence: Presence | None
    awards: list[AwardFact]

    @property
    def edition_label(self) -> str:
        """The edition's name, with its year unless the name already says it."""
        year = str(self.edition_year)
        return self.edition_name if year in self.edition_name else f"{self.edition_name} {year}"


def attestations_open(edition: Edition) -> bool:
    if edition.phase == "closed":
        return True
    return db.session.scalar(
        sa.select(sa.func.count(JudgingRound.id))
        .where(JudgingRound.edition_id == edition.id,
               JudgingRound.results_published_at.is_not(None))) > 0


def require_open(edition: Edition) -> None:
    if not attestations_open(edition):
        raise PhaseClosed(str(words.NOT_YET_OPEN))


def new_reference() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(GROUPS * GROUP_SIZE))
    return "-".join(raw[i:i + GROUP_SIZE] for i in range(0, len(raw), GROUP_SIZE))


def normalise_reference(text: str) -> str:
    """A reference as typed (lower case, spaces, O for 0, I or L for 1) in its printed form."""
    raw = "".join(ch for ch in text.upper() if ch.isalnum())
    raw = raw.translate(str.maketrans({"O": "0", "I": "1", "L": "1"}))
    return "-".join(raw[i:i + GROUP_SIZE] for i in range(0, len(raw), GROUP_SIZE))


def student_profile(user: User, edition: Edition) -> StudentProfile:
    profile = db.session.scalar(sa.select(StudentProfile).where(
        StudentProfile.user_id == user.id, StudentProfile.edition_id == edition.id,
        StudentProfile.deleted_at.is_(None)))
    if profile is None:
        raise NotFound(str(words.NOT_REGISTERED))
    return profile


def team_of(profile: StudentProfile) -> Team | None:
    return db.session.scalar(
        sa.select(Team).join(Membership, Membership.team_id == Team.id)
        .where(Membership.student_id == profile.id)
        .options(selectinload(Team.challenge).selectinload(Challenge.organisation)))


def no_team_refusal() -> Conflict:
    return Conflict(str(words.NO_TEAM))


def ensure_references(edition: Edition, profiles: list[StudentProfile]) -> dict[int, Attestation]:
    """Each profile's attestation row, created (and committed) where missing: a reference is
    stored before any PDF that prints it exists."""
    found = {row.student_id: row for row in db.session.scalars(
        sa.select(Attestation).where(Attestation.student_id.in_([p.id for p in profiles])))}
    missing = [p for p in profiles if p.id not in found]
    if missing:
        now = utcnow()
        rows = [Attestation(edition_id=edition.id, student_id=p.id, reference=new_reference(),
                            issued_at=now) for p in missing]
        db.session.add_all(rows)
        try:
            db.session.commit()
        except IntegrityError:  # a concurrent download created one first: use it
            db.session.rollback()
            return ensure_references(edition, profiles)
        found.update((row.student_id, row) for row in rows)
    return found


def _awards(team_ids: list[int]) -> dict[int, list[AwardFact]]:
    awards: dict[int, list[AwardFact]] = {team_id: [] for team_id in team_ids}
    rows = db.session.execute(
        sa.select(Award.team_id, Award.place, Challenge.code)
        .outerjoin(Challenge, Challenge.id == Award.challenge_id)
        .where(Award.team_id.in_(team_ids))
        .order_by(Award.challenge_id.is_not(None), Award.place))
    for team_id, place, code in rows:
        awards[team_id].append(AwardFact(place, code))
    return awards


def facts_of(edition: Edition, items: list[tuple[StudentProfile, Team, Attestation]]
             ) -> list[AttestationFacts]:
    """The facts of several attestations at once (their awards and presence in one query)."""
    teams = sorted({team.id for _p, team, _a in items})
    awards = _awards(teams)
    presence = presence_of(edition, [profile.user_id for profile, _t, _a in items])
    return [AttestationFacts(
        reference=attestation.reference, issued_at=attestation.issued_at,
        verify_url=external_url("attestations.verify", reference=attestation.reference),
        edition_name=edition.name, edition_year=edition.year,
        student_name=profile.user.full_name, email=profile.user.email,
        programme=profile.programme.name if profile.programme else None,
        team_code=team.code, team_name=team.display_name,
        challenge_code=team.challenge.code, challenge_title=team.challenge.title,
        organisation=team.challenge.organisation.name,
        presence=presence.get(profile.user_id), awards=awards.get(team.id, []))
        for profile, team, attestation in items]


def student_facts(user: User, edition: Edition) -> AttestationFacts:
    """The requesting student's attestation facts (its reference created on first use)."""
    require_open(edition)
    profile = student_profile(user, edition)
    team = team_of(profile)
    if team is None:
        raise no_team_refusal()
    attestation = ensure_references(edition, [profile])[profile.id]
    return facts_of(edition, [(profile, team, attestation)])[0]


def verified_facts(reference: str) -> AttestationFacts:
    """The facts behind a printed reference: 404 when no attestation has it."""
    attestation = db.session.scalar(sa.select(Attestation).where(
        Attestation.reference == normalise_reference(reference)))
    profile = attestation.student if attestation is not None else None
    team = team_of(profile) if profile is not None and profile.deleted_at is None else None
    if team is None:
        raise NotFound(str(words.UNKNOWN_REFERENCE))
    edition = db.session.get(Edition, attestation.edition_id)
    return facts_of(edition, [(profile, team, attestation)])[0]
