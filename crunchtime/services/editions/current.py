"""The current edition: found once per request, created by the organisers, and the phase
check every use case makes (`require_phase`). Moving the phase: phases.py."""

from __future__ import annotations

import sqlalchemy as sa
from flask import g, has_request_context
from flask_babel import gettext as _

from crunchtime.errors import Conflict, InvalidInput, PhaseClosed
from crunchtime.extensions import db
from crunchtime.models import Edition
from crunchtime.phases import allowed_phases, is_open
from crunchtime.services.audit import record_audit
from crunchtime.services.editions.words import phase_label


def current_edition() -> Edition | None:
    """The current edition, looked up once per request."""
    if has_request_context() and "current_edition" in g:
        return g.current_edition
    edition = db.session.scalar(sa.select(Edition).where(Edition.is_current.is_(True)).limit(1))
    if has_request_context():
        g.current_edition = edition
    return edition


def require_current_edition() -> Edition:
    edition = current_edition()
    if edition is None:
        raise Conflict(_("No edition is open yet: an organiser must create one first."))
    return edition


def require_phase(edition: Edition, action: str) -> None:
    """Refuse `action` outside the phases that open it, naming those phases."""
    if not is_open(action, edition.phase):
        names = ", ".join(phase_label(phase) for phase in allowed_phases(action))
        raise PhaseClosed(
            _(
                "This is not possible during the “%(current)s” phase; it is open during: "
                "%(phases)s.",
                current=phase_label(edition.phase),
                phases=names,
            ),
            allowed=list(allowed_phases(action)),
        )


def create_edition(name: str, year: int, actor=None) -> Edition:
    """Create an edition and make it the current one."""
    name = name.strip()
    if not name:
        raise InvalidInput(_("The edition needs a name."))
    if not 2000 <= year <= 2100:
        raise InvalidInput(_("The year must be between 2000 and 2100."))
    if db.session.scalar(sa.select(Edition.id).where(Edition.name == name)):
        raise Conflict(_("An edition named “%(name)s” already exists.", name=name))
    db.session.execute(sa.update(Edition).values(is_current=False))
    edition = Edition(name=name, year=year, phase="setup", is_current=True)
    db.session.add(edition)
    db.session.flush()
    record_audit(actor, "edition.create", edition, edition_id=edition.id, name=name, year=year)
    db.session.commit()
    if has_request_context():
        g.current_edition = edition
    return edition
