"""Writing a checked challenges file: organisations found by name or created, challenges
created (approved: organisers collected them offline) or updated by code, skills linked.

A hundred rows at most: plain ORM objects loaded in three queries are fast enough here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from crunchtime.extensions import db
from crunchtime.imports import ChallengeRow, ImportReport
from crunchtime.models import Challenge, Organisation, Skill
from crunchtime.services.exchange.bulk_writes import ensure_names, vocabulary_key
from crunchtime.text import search_text


def organisation_key(name: str) -> str:
    return " ".join(name.split()).casefold()


@dataclass
class ChallengeWriter:
    edition_id: int
    actor_id: int | None
    now: datetime
    report: ImportReport

    def write(self, rows: list[ChallengeRow]) -> None:
        organisations = self._organisations(rows)
        skills = self._skills(rows)
        existing = {
            challenge.code: challenge
            for challenge in db.session.scalars(
                sa.select(Challenge)
                .where(Challenge.edition_id == self.edition_id,
                       Challenge.code.in_([row.code for row in rows]))
                .options(selectinload(Challenge.skills), selectinload(Challenge.organisation))
            )
        }
        for row in rows:
            organisation = organisations[organisation_key(row.organisation)]
            wanted = [skills[vocabulary_key(name)] for name in row.skills]
            challenge = existing.get(row.code)
            if challenge is None:
                self._create(row, organisation, wanted)
            else:
                self._update(challenge, row, organisation, wanted)

    def _organisations(self, rows: list[ChallengeRow]) -> dict[str, Organisation]:
        """Organisations by name whatever its case (merged ones lead to where they went)."""
        every = list(db.session.scalars(sa.select(Organisation)))
        by_id = {organisation.id: organisation for organisation in every}
        found = {}
        for organisation in every:
            target, hops = organisation, 0
            while target.merged_into_id in by_id and hops < len(by_id):
                target, hops = by_id[target.merged_into_id], hops + 1
            found.setdefault(organisation_key(organisation.name), target)
        for row in rows:
            key = organisation_key(row.organisation)
            if key not in found:
                found[key] = Organisation(name=" ".join(row.organisation.split()), kind="company")
                db.session.add(found[key])
                self.report.new_organisations.append(found[key].name)
        return found

    def _skills(self, rows: list[ChallengeRow]) -> dict[str, Skill]:
        names = [name for row in rows for name in row.skills]
        ids, self.report.new_skills = ensure_names(Skill, self.edition_id, names)
        skills = db.session.scalars(sa.select(Skill).where(Skill.id.in_(ids.values())))
        return {vocabulary_key(skill.name): skill for skill in skills}

    def _create(self, row: ChallengeRow, organisation: Organisation, skills: list[Skill]) -> None:
        challenge = Challenge(
            edition_id=self.edition_id, code=row.code, status="approved",
            created_by_id=self.actor_id, submitted_at=self.now, reviewed_at=self.now,
            context="", deliverable="", review_comment="", contact_name="", contact_email="",
        )
        self._apply(challenge, row, organisation, skills)
        db.session.add(challenge)
        self.report.created += 1

    def _update(self, challenge: Challenge, row: ChallengeRow, organisation: Organisation,
                skills: list[Skill]) -> None:
        """Change what the row changes; an empty description or skills cell keeps the old."""
        before = _snapshot(challenge)
        self._apply(challenge, row, organisation, skills or list(challenge.skills))
        if _snapshot(challenge) == before:
            self.report.unchanged += 1
        else:
            self.report.updated += 1

    @staticmethod
    def _apply(challenge: Challenge, row: ChallengeRow, organisation: Organisation,
               skills: list[Skill]) -> None:
        challenge.title = row.title
        challenge.organisation = organisation
        challenge.problem = row.description or challenge.problem or ""
        challenge.teams_wanted = row.teams
        if {skill.id for skill in challenge.skills} != {skill.id for skill in skills}:
            challenge.skills = sorted(skills, key=lambda skill: skill.name)
        challenge.search_text = search_text(
            challenge.title, organisation.name, challenge.problem, challenge.context or "",
            *(skill.name for skill in challenge.skills),
        )


def _snapshot(challenge: Challenge) -> tuple:
    return (
        challenge.title, challenge.organisation, challenge.problem, challenge.teams_wanted,
        frozenset(skill.id for skill in challenge.skills), challenge.search_text,
    )
