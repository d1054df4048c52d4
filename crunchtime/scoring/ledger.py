"""Current scores as a pure function of the append-only score ledger, at any past seq.

Replay rules, per cell (jury, team, criterion), over events with seq ≤ upto_seq:
- score and correction set the cell's value;
- retraction (an organiser's, naming a score or correction of the cell) clears the cell
  as of its seq; a later score sets it again;
- undo cancels the event it names (a score, correction or retraction of the same cell),
  as if it had never been written: undoing a correction restores the value before it,
  undoing a retraction restores the value it cleared. Undoing an event twice (two tabs)
  changes nothing more.
An undo of an undo, a reference to an unknown or later seq or to another cell, and two
different events with one seq are ledger corruption: LedgerError, never a silent guess.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

SCORE, CORRECTION, UNDO, RETRACTION = "score", "correction", "undo", "retraction"
EVENT_KINDS = (SCORE, CORRECTION, UNDO, RETRACTION)
VALUE_KINDS = (SCORE, CORRECTION)

Cell = tuple[int, int, int]


class LedgerError(ValueError):
    """The ledger breaks a replay rule; the message names the seq at fault."""


@dataclass(frozen=True)
class LedgerEvent:
    """One ScoreEvent row, reduced to what the replay needs."""

    seq: int
    kind: str
    jury: int
    team: int
    criterion: int
    value: float | None = None
    reverts_seq: int | None = None

    @property
    def cell(self) -> Cell:
        return (self.jury, self.team, self.criterion)


def current_scores(
    events: Iterable[LedgerEvent], upto_seq: int | None = None
) -> dict[Cell, float]:
    """The value of every scored cell after replaying the ledger up to `upto_seq` (inclusive)."""
    ordered = _in_seq_order(events, upto_seq)
    cancelled = _cancelled_seqs(ordered)
    values: dict[Cell, float | None] = {}
    for event in ordered:
        if event.kind == UNDO or event.seq in cancelled:
            continue
        values[event.cell] = event.value if event.kind in VALUE_KINDS else None
    return {cell: value for cell, value in values.items() if value is not None}


def _in_seq_order(events: Iterable[LedgerEvent], upto_seq: int | None) -> list[LedgerEvent]:
    """Events up to `upto_seq`, sorted, each seq once; each event checked on its own."""
    by_seq: dict[int, LedgerEvent] = {}
    for event in events:
        if upto_seq is not None and event.seq > upto_seq:
            continue
        _check_shape(event)
        if by_seq.setdefault(event.seq, event) != event:
            raise LedgerError(f"two different events share seq {event.seq}")
    return [by_seq[seq] for seq in sorted(by_seq)]


def _check_shape(event: LedgerEvent) -> None:
    if event.kind not in EVENT_KINDS:
        raise LedgerError(f"event {event.seq} has unknown kind {event.kind!r}")
    if event.kind in VALUE_KINDS and event.value is None:
        raise LedgerError(f"{event.kind} {event.seq} has no value")
    if event.kind not in VALUE_KINDS and event.reverts_seq is None:
        raise LedgerError(f"{event.kind} {event.seq} names no event to revert")


def _cancelled_seqs(ordered: list[LedgerEvent]) -> set[int]:
    """Seqs cancelled by an undo, after checking what every undo and retraction names."""
    by_seq = {event.seq: event for event in ordered}
    cancelled: set[int] = set()
    for event in ordered:
        if event.kind in VALUE_KINDS:
            continue
        target = _target(event, by_seq)
        if event.kind == UNDO:
            if target.kind == UNDO:
                raise LedgerError(f"undo {event.seq} undoes undo {target.seq}: not allowed")
            cancelled.add(target.seq)
        elif target.kind not in VALUE_KINDS:
            raise LedgerError(f"retraction {event.seq} names {target.kind} {target.seq}")
    return cancelled


def _target(event: LedgerEvent, by_seq: dict[int, LedgerEvent]) -> LedgerEvent:
    seq = event.reverts_seq
    if seq is None or seq >= event.seq or seq not in by_seq:
        raise LedgerError(f"{event.kind} {event.seq} names unknown or later seq {seq}")
    target = by_seq[seq]
    if target.cell != event.cell:
        raise LedgerError(f"{event.kind} {event.seq} names seq {seq} of another cell")
    return target
