"""Archiving a closed edition: from then on it is read-only and kept, without change, for
the incubation model of the next years (and its exports)."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from crunchtime.errors import Conflict, NotFound
from crunchtime.extensions import db
from crunchtime.models import Edition, User
from crunchtime.services.audit import record_audit


def archive_edition(actor: User, edition_id: int, *, confirmed: bool = False) -> Edition:
    """Only a closed edition can be archived, and only once the organiser confirmed it:
    archiving cannot be undone from the app."""
    edition = db.session.get(Edition, edition_id)
    if edition is None:
        raise NotFound(_("This edition does not exist."))
    if edition.archived:
        raise Conflict(_("This edition is already archived."))
    if edition.phase != "closed":
        raise Conflict(_("Close the edition (phase “Closed”) before archiving it."))
    if not confirmed:
        raise Conflict(_("Archiving “%(name)s” cannot be undone: tick the box to confirm "
                         "it.", name=edition.name), field="confirm")
    edition.archived = True
    record_audit(actor, "edition.archive", edition, edition_id=edition.id, name=edition.name)
    db.session.commit()
    return edition


def editions_for_export() -> list[Edition]:
    """Every edition, the current one first, then the newest."""
    return list(db.session.scalars(sa.select(Edition).order_by(
        Edition.is_current.desc(), Edition.year.desc(), Edition.id.desc())))
