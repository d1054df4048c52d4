"""A challenge's deliverables as one ZIP, streamed: the rows are read first, then each
file is copied from disk chunk by chunk as the archive is sent."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import partial

import sqlalchemy as sa
from flask_babel import format_datetime
from flask_babel import gettext as _

from crunchtime.errors import NotFound
from crunchtime.extensions import db
from crunchtime.files import storage
from crunchtime.models import (
    Challenge,
    Edition,
    Membership,
    StudentProfile,
    Submission,
    SubmissionVersion,
    Team,
    User,
)
from crunchtime.services.submissions.files import live_files
from crunchtime.teamwork.revisions import LINK_FIELDS
from crunchtime.teamwork.zipstream import ZipMember, stream_zip

UNSAFE_IN_PATH = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')


def path_part(text: str) -> str:
    """A folder or file name usable on every system, accents kept."""
    return UNSAFE_IN_PATH.sub("_", text).strip(" .")[:120] or "_"


def _unique(name: str, taken: set[str]) -> str:
    stem, dot, extension = name.rpartition(".")
    candidate, n = name, 2
    while candidate.lower() in taken:
        candidate = f"{stem} ({n}).{extension}" if dot else f"{name} ({n})"
        n += 1
    taken.add(candidate.lower())
    return candidate


def _members_by_team(team_ids: list[int]) -> dict[int, list[str]]:
    names: dict[int, list[str]] = {}
    rows = db.session.execute(
        sa.select(Membership.team_id, User.first_name, User.last_name)
        .join(StudentProfile, Membership.student_id == StudentProfile.id)
        .join(User, StudentProfile.user_id == User.id)
        .where(Membership.team_id.in_(team_ids)).order_by(User.last_name))
    for team_id, first, last in rows:
        names.setdefault(team_id, []).append(f"{first} {last}".strip())
    return names


def project_sheet(team: Team, version: SubmissionVersion, members: list[str]) -> str:
    """The submission's texts as a plain-text sheet placed beside its files."""
    link_names = {"repository": _("Repository"), "video": _("Video"), "demo": _("Demo")}
    sections = [
        f"{team.code} — {team.display_name}",
        f"{_('Members')}: {', '.join(members)}",
        _("Version %(n)d, saved on %(when)s", n=version.number,
          when=format_datetime(version.created_at, "medium")),
        f"\n{_('Project title')}: {version.title}",
        f"{_('One-line pitch')}: {version.pitch}",
        f"\n## {_('Problem')}\n{version.problem}",
        f"\n## {_('Solution')}\n{version.solution}",
        f"\n## {_('What we prototyped')}\n{version.prototype}",
        f"\n## {_('What we tested with users')}\n{version.user_tests}",
        f"\n## {_('Links')}",
        *(f"- {link_names[name]}: {(version.links or {}).get(name, '')}"
          for name in LINK_FIELDS),
    ]
    return "\n".join(sections) + "\n"


def _team_members(team: Team, version: SubmissionVersion,
                  members: list[str]) -> Iterator[ZipMember]:
    folder = path_part(f"{team.code} {team.name or ''}")
    taken = {"fiche.txt"}
    yield ZipMember(f"{folder}/fiche.txt", version.created_at,
                    data=project_sheet(team, version, members).encode("utf-8"))
    for row in live_files(version.file_ids or []):
        path = storage.stored_path(row.stored_name)
        if path.is_file():
            name = _unique(path_part(row.original_name), taken)
            yield ZipMember(f"{folder}/{name}", row.created_at,
                            opener=partial(path.open, "rb"), size=row.size)


def challenge_archive(edition: Edition, challenge_id: int) -> tuple[str, Iterator[bytes]]:
    """(download name, the archive's chunks) of every team's current submission."""
    challenge = db.session.get(Challenge, challenge_id)
    if challenge is None or challenge.edition_id != edition.id:
        raise NotFound(_("This challenge does not exist."))
    rows = db.session.execute(
        sa.select(Team, SubmissionVersion)
        .join(Submission, Submission.team_id == Team.id)
        .join(SubmissionVersion, sa.and_(SubmissionVersion.submission_id == Submission.id,
                                         SubmissionVersion.number == Submission.version))
        .where(Team.challenge_id == challenge.id).order_by(Team.code)).all()
    members = _members_by_team([team.id for team, _version in rows])
    entries = [entry for team, version in rows
               for entry in _team_members(team, version, members.get(team.id, []))]
    return f"{challenge.code}-livrables.zip", stream_zip(entries)
