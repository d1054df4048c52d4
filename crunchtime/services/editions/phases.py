"""Moving an edition from phase to phase (forward, or back to reopen one), with the follow-ups
each change brings, all in one unit of work: the hook table below says which run when."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _

from crunchtime.errors import Conflict, InvalidInput
from crunchtime.extensions import db
from crunchtime.models import Award, Edition
from crunchtime.phases import PHASES, phase_index
from crunchtime.realtime.publish import publish
from crunchtime.realtime.rooms import PUBLIC
from crunchtime.services.audit import record_audit
from crunchtime.services.editions.words import open_rounds_refusal
from crunchtime.services.judging.readiness import RoundReadiness, open_rounds
from crunchtime.services.judging.rounds import close_rounds_in_unit, publish_round_closed
from crunchtime.services.privacy.requests import announce_released, release_deferred_requests
from crunchtime.services.teams.milestones import add_default_milestones

AfterCommit = Callable[[], None]


@dataclass(frozen=True)
class PhaseHook:
    """A follow-up of a phase change: `applies(old, new)` says when; `run(edition)` changes
    rows in the change's unit of work and may return what to do once it is committed."""

    name: str
    applies: Callable[[str, str], bool]
    run: Callable[[Edition], AfterCommit | None]


def _default_stages(edition: Edition) -> None:
    add_default_milestones(edition)


def _released_deletion_requests(edition: Edition) -> AfterCommit | None:
    messages = release_deferred_requests()
    return (lambda: announce_released(messages)) if messages else None


PHASE_HOOKS: tuple[PhaseHook, ...] = (
    # Teams start building: the edition gets its five default design-thinking stages.
    PhaseHook("default stages", lambda old, new: new == "building", _default_stages),
    # Leaving judging (or any change after it) frees the deletion requests it held back.
    PhaseHook("deferred deletion requests", lambda old, new: True, _released_deletion_requests),
)


def closes_judging(new_phase: str) -> bool:
    """The rule that keeps phases and rounds coherent: a round is open only up to the judging
    phase, so moving the edition past it (results, closed) closes the open rounds (and
    rounds.set_round_status refuses to open one there)."""
    return new_phase in PHASES and phase_index(new_phase) > phase_index("judging")


@dataclass(frozen=True)
class PhaseGuard:
    """What the phase page states before a move: the rounds still open, with their figures,
    and whether results were published."""

    open_rounds: list[RoundReadiness]
    results_published: bool


def phase_guard(edition: Edition) -> PhaseGuard:
    published = db.session.scalar(sa.select(sa.func.count(Award.id))
                                  .where(Award.edition_id == edition.id))
    return PhaseGuard(open_rounds(edition), bool(published))


def change_phase(edition: Edition, new_phase: str, actor, *,
                 close_open_rounds: bool = False) -> Edition:
    """Move the edition to any phase; audited; its hooks run in the same transaction, which
    commits once before anything is published or mailed. Moving past judging with a round
    still open is refused unless `close_open_rounds`, which closes them in the same commit."""
    if new_phase not in PHASES:
        raise InvalidInput(_("Unknown phase: %(phase)s.", phase=new_phase))
    if new_phase == edition.phase:
        raise Conflict(_("The edition is already in this phase."))
    if edition.archived:
        raise Conflict(_("This edition is archived: it is kept read-only."))
    still_open = open_rounds(edition) if closes_judging(new_phase) else []
    if still_open and not close_open_rounds:
        raise Conflict(open_rounds_refusal([r.name for r in still_open], new_phase),
                       field="close_rounds")
    old_phase = edition.phase
    edition.phase = new_phase
    closed = close_rounds_in_unit(actor, still_open, reason="edition.phase")
    record_audit(
        actor, "edition.phase", edition, edition_id=edition.id, old=old_phase, new=new_phase,
        **({"closed_rounds": closed} if closed else {}),
    )
    after_commit = [hook.run(edition) for hook in PHASE_HOOKS if hook.applies(old_phase, new_phase)]
    db.session.commit()
    publish("phase", {"edition": edition.id, "phase": new_phase}, room=PUBLIC)
    publish_round_closed(closed)
    for action in after_commit:
        if action is not None:
            action()
    return edition
