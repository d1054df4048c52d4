"""The public gallery of projects, once results are published: title, pitch, challenge,
organisation, one image and the team's first names only.

A project is shown only when every current member of its team has agreed
(`Membership.gallery_consent_at`): each member gives or withdraws their own agreement, and
one withdrawal hides the project at once. Members whose data was erased (RGPD) no longer
count, and their agreement was erased with the rest; a team with no current member is
never shown. `Team.gallery_opt_out`, the old team-wide choice, is no longer read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from crunchtime.errors import NotFound
from crunchtime.extensions import db
from crunchtime.models import (
    Challenge,
    Edition,
    Membership,
    Organisation,
    StudentProfile,
    Submission,
    SubmissionFile,
    SubmissionVersion,
    Team,
    User,
)
from crunchtime.models.base import utcnow
from crunchtime.services.audit import record_audit
from crunchtime.services.teams.space import team_for_member
from crunchtime.text import fold

PUBLIC_PHASES = ("results", "closed")


@dataclass(frozen=True)
class Project:
    team_id: int
    title: str
    pitch: str
    challenge_id: int
    challenge: str
    organisation_id: int
    organisation: str
    image_id: int | None
    first_names: tuple[str, ...]

    @property
    def search_text(self) -> str:
        return fold(" ".join((self.title, self.pitch, self.challenge, self.organisation)))


@dataclass(frozen=True)
class GalleryFilters:
    query: str = ""
    challenge_id: int | None = None
    organisation_id: int | None = None


def gallery_is_open(edition: Edition | None) -> bool:
    return edition is not None and edition.phase in PUBLIC_PHASES


def _current_members(team_id: sa.ColumnElement[int]) -> sa.Select:
    """Memberships of the team whose student still exists (not erased on request)."""
    return (sa.select(Membership.id)
            .join(StudentProfile, Membership.student_id == StudentProfile.id)
            .where(Membership.team_id == team_id, StudentProfile.deleted_at.is_(None)))


def everyone_agreed(team_id: sa.ColumnElement[int]) -> sa.ColumnElement[bool]:
    """SQL condition: the team has current members and every one of them has agreed."""
    return sa.and_(_current_members(team_id).exists(),
                   ~_current_members(team_id).where(
                       Membership.gallery_consent_at.is_(None)).exists())


def _public_rows(edition: Edition):
    current = sa.and_(SubmissionVersion.submission_id == Submission.id,
                      SubmissionVersion.number == Submission.version)
    return db.session.execute(
        sa.select(Team.id, SubmissionVersion.title, SubmissionVersion.pitch,
                  SubmissionVersion.file_ids, Challenge.id, Challenge.title,
                  Organisation.id, Organisation.name)
        .join(Submission, Submission.team_id == Team.id)
        .join(SubmissionVersion, current)
        .join(Challenge, Team.challenge_id == Challenge.id)
        .join(Organisation, Challenge.organisation_id == Organisation.id)
        .where(Team.edition_id == edition.id, everyone_agreed(Team.id),
               SubmissionVersion.title != "")
        .order_by(Challenge.code, Team.code)).all()


def _images(file_ids: set[int]) -> set[int]:
    if not file_ids:
        return set()
    return set(db.session.scalars(sa.select(SubmissionFile.id).where(
        SubmissionFile.id.in_(file_ids), SubmissionFile.deleted_at.is_(None),
        SubmissionFile.content_type.like("image/%"))))


def _first_names(team_ids: list[int]) -> dict[int, list[str]]:
    names: dict[int, list[str]] = {}
    if not team_ids:
        return names
    rows = db.session.execute(
        sa.select(Membership.team_id, User.first_name)
        .join(StudentProfile, Membership.student_id == StudentProfile.id)
        .join(User, StudentProfile.user_id == User.id)
        .where(Membership.team_id.in_(team_ids), StudentProfile.deleted_at.is_(None))
        .order_by(User.first_name))
    for team_id, first_name in rows:
        names.setdefault(team_id, []).append(first_name)
    return names


def gallery_projects(edition: Edition) -> list[Project]:
    """Every public project of the edition (four queries whatever their number)."""
    rows = _public_rows(edition)
    images = _images({file_id for row in rows for file_id in (row[3] or [])})
    names = _first_names([row[0] for row in rows])
    return [Project(
        team_id, title, pitch, challenge_id, challenge, organisation_id, organisation,
        next((file_id for file_id in (file_ids or []) if file_id in images), None),
        tuple(names.get(team_id, [])))
        for (team_id, title, pitch, file_ids, challenge_id, challenge, organisation_id,
             organisation) in rows]


def filter_projects(projects: list[Project], filters: GalleryFilters) -> list[Project]:
    words = fold(filters.query).split()[:10]
    return [project for project in projects
            if (not filters.challenge_id or project.challenge_id == filters.challenge_id)
            and (not filters.organisation_id
                 or project.organisation_id == filters.organisation_id)
            and all(word in project.search_text for word in words)]


def filter_choices(projects: list[Project]) -> tuple[list[tuple[int, str]],
                                                      list[tuple[int, str]]]:
    challenges = sorted({(p.challenge_id, p.challenge) for p in projects},
                        key=lambda pair: fold(pair[1]))
    organisations = sorted({(p.organisation_id, p.organisation) for p in projects},
                           key=lambda pair: fold(pair[1]))
    return challenges, organisations


def gallery_image(edition: Edition | None, file_id: int) -> SubmissionFile:
    """The one image a public project shows; any other file, or a closed gallery: 404."""
    current = sa.and_(SubmissionVersion.submission_id == Submission.id,
                      SubmissionVersion.number == Submission.version)
    row = db.session.execute(
        sa.select(SubmissionFile, Team, SubmissionVersion.title, SubmissionVersion.file_ids)
        .join(Submission, SubmissionFile.submission_id == Submission.id)
        .join(Team, Submission.team_id == Team.id)
        .join(SubmissionVersion, current)
        .where(SubmissionFile.id == file_id, everyone_agreed(Team.id))
    ).first() if gallery_is_open(edition) else None
    if row is not None:
        image, team, title, file_ids = row
        public = team.edition_id == edition.id and title and file_id in (file_ids or [])
        shown = next((i for i in file_ids or [] if i in _images(set(file_ids))), None)
        if public and shown == file_id:
            return image
    raise NotFound(_("This image does not exist."))


@dataclass(frozen=True)
class MemberConsent:
    """A current member of a team and whether they agreed to the gallery, for the team page."""

    user_id: int
    first_name: str
    last_name: str
    agreed_at: datetime | None


def gallery_consents(team: Team) -> list[MemberConsent]:
    rows = db.session.execute(
        sa.select(User.id, User.first_name, User.last_name, Membership.gallery_consent_at)
        .join(StudentProfile, StudentProfile.user_id == User.id)
        .join(Membership, Membership.student_id == StudentProfile.id)
        .where(Membership.team_id == team.id, StudentProfile.deleted_at.is_(None))
        .order_by(User.last_name, User.first_name, User.id))
    return [MemberConsent(*row) for row in rows]


def set_gallery_consent(user: User, team_id: int, agree: bool) -> list[MemberConsent]:
    """A member gives or withdraws their own agreement to show the team's project; the
    team's members and their agreements afterwards."""
    team = team_for_member(user, team_id)
    membership = db.session.scalar(
        sa.select(Membership).join(StudentProfile, Membership.student_id == StudentProfile.id)
        .where(Membership.team_id == team.id, StudentProfile.user_id == user.id))
    if agree and membership.gallery_consent_at is None:
        membership.gallery_consent_at = utcnow()
    elif not agree:
        membership.gallery_consent_at = None
    record_audit(user, "team.gallery_consent", team, edition_id=team.edition_id,
                 code=team.code, agreed=agree)
    db.session.commit()
    return gallery_consents(team)
