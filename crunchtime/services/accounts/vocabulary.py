"""The edition's lists of programmes and skills, managed by organisers."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from crunchtime.errors import Conflict, InvalidInput, NotFound
from crunchtime.extensions import db
from crunchtime.models import Programme, Skill, StudentProfile, User
from crunchtime.models.organisation import challenge_skill
from crunchtime.models.student import student_skill
from crunchtime.services.audit import record_audit
from crunchtime.services.editions.current import require_current_edition
from crunchtime.text import fold, squash_spaces

KINDS = {"programme": Programme, "skill": Skill}


def _model(kind: str):
    if kind not in KINDS:
        raise NotFound(_("Unknown list."))
    return KINDS[kind]


def vocabulary_usage(kind: str) -> list[tuple]:
    """Each entry of the list with the number of students (and challenges) using it."""
    edition = require_current_edition()
    if kind == "programme":
        used = sa.func.count(StudentProfile.id)
        statement = (sa.select(Programme, used)
                     .outerjoin(StudentProfile, StudentProfile.programme_id == Programme.id))
    else:
        used = (sa.select(sa.func.count()).select_from(student_skill)
                .where(student_skill.c.skill_id == Skill.id).scalar_subquery()
                + sa.select(sa.func.count()).select_from(challenge_skill)
                .where(challenge_skill.c.skill_id == Skill.id).scalar_subquery())
        statement = sa.select(Skill, used)
    model = _model(kind)
    statement = statement.where(model.edition_id == edition.id).group_by(model.id)
    return [tuple(row) for row in db.session.execute(statement.order_by(model.name))]


def add_entry(actor: User, kind: str, name: str):
    edition = require_current_edition()
    model = _model(kind)
    name = squash_spaces(name)
    if not name:
        raise InvalidInput(_("Enter a name."), field="name")
    existing = db.session.scalars(sa.select(model.name).where(model.edition_id == edition.id))
    if any(fold(other) == fold(name) for other in existing):
        raise Conflict(_("“%(name)s” is already in the list.", name=name), field="name")
    entry = model(edition_id=edition.id, name=name)
    db.session.add(entry)
    db.session.flush()
    record_audit(actor, f"{kind}.add", entry, edition_id=edition.id, name=name)
    db.session.commit()
    return entry


def remove_entry(actor: User, kind: str, entry_id: int) -> None:
    """Remove an entry nobody uses (a used one would silently change profiles)."""
    edition = require_current_edition()
    model = _model(kind)
    entry = db.session.get(model, entry_id)
    if entry is None or entry.edition_id != edition.id:
        raise NotFound(_("This entry does not exist."))
    usage = dict((row[0].id, row[1]) for row in vocabulary_usage(kind))
    if usage.get(entry.id):
        raise Conflict(_("“%(name)s” is in use and cannot be removed.", name=entry.name))
    record_audit(actor, f"{kind}.remove", entry, edition_id=edition.id, name=entry.name)
    db.session.delete(entry)
    db.session.commit()
