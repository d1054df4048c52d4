"""Audit entries are added to the caller's unit of work, committed with it."""

from __future__ import annotations

from crunchtime.extensions import db
from crunchtime.models import AuditEvent


def record_audit(
    actor, action: str, target=None, *, edition_id: int | None = None, **details
) -> AuditEvent:
    event = AuditEvent(
        actor_id=getattr(actor, "id", None),
        action=action,
        target_type=type(target).__name__ if target is not None else "",
        target_id=getattr(target, "id", None),
        edition_id=edition_id,
        details=details,
    )
    db.session.add(event)
    return event
