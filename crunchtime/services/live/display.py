"""What the big screen (/live) shows during judging, chosen by the organisers: nothing, the
progress only, or the live ranking — and whether that ranking is frozen."""

from __future__ import annotations

from flask_babel import gettext as _

from crunchtime.errors import Forbidden, InvalidInput
from crunchtime.extensions import db
from crunchtime.models import Edition
from crunchtime.models.edition import PUBLIC_DISPLAYS
from crunchtime.realtime.publish import publish
from crunchtime.realtime.rooms import ORGANIZERS
from crunchtime.services.audit import record_audit
from crunchtime.services.live.board import FROZEN_KEY, freeze_point, live_round


def set_public_display(actor, edition: Edition, display: str, frozen: bool) -> Edition:
    """Save the choice; freezing records the ledger position the frozen ranking stops at,
    unfreezing forgets it. The boards follow at once."""
    if actor is None or actor.role != "organizer":
        raise Forbidden(_("Only organisers choose what the big screen shows."))
    if display not in PUBLIC_DISPLAYS:
        raise InvalidInput(_("Unknown display choice."), field="display")
    settings = dict(edition.settings or {})
    if frozen and not edition.leaderboard_frozen:
        settings[FROZEN_KEY] = freeze_point(live_round(edition))
    elif not frozen:
        settings.pop(FROZEN_KEY, None)
    old = (edition.public_display, edition.leaderboard_frozen)
    edition.public_display, edition.leaderboard_frozen = display, bool(frozen)
    edition.settings = settings
    record_audit(actor, "live.display", edition, edition_id=edition.id, old=list(old),
                 new=[display, bool(frozen)])
    db.session.commit()
    publish("display", {"display": display, "frozen": bool(frozen)}, room=ORGANIZERS)
    return edition
