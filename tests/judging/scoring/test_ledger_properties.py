"""Replay equals a naive recomputation, at every seq, for random valid ledgers."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from crunchtime.scoring import LedgerEvent, current_scores

CELLS = [(1, 1, 1), (1, 1, 2), (2, 1, 1)]
OPERATIONS = st.tuples(
    st.sampled_from(["score", "correction", "undo", "retraction"]),
    st.sampled_from(CELLS),
    st.integers(0, 10),
    st.integers(0, 1000),
    st.integers(1, 3),
)


def build_ledger(operations) -> list[LedgerEvent]:
    """A valid ledger: undos name a non-undo of their cell, retractions a score/correction."""
    events: list[LedgerEvent] = []
    seq = 0
    for kind, cell, value, pick, gap in operations:
        seq += gap
        if kind in ("score", "correction"):
            events.append(LedgerEvent(seq, kind, *cell, value=float(value)))
            continue
        wanted = ("score", "correction") if kind == "retraction" else (
            "score", "correction", "retraction")
        targets = [e for e in events if (e.jury, e.team, e.criterion) == cell
                   and e.kind in wanted]
        if targets:
            target = targets[pick % len(targets)].seq
            events.append(LedgerEvent(seq, kind, *cell, reverts_seq=target))
    return events


def naive_scores(events: list[LedgerEvent]) -> dict:
    """Operational model: each cell keeps a stack of live entries; an undo removes its target."""
    stacks: dict = {}
    for event in events:
        cell = (event.jury, event.team, event.criterion)
        stack = stacks.setdefault(cell, [])
        if event.kind == "undo":
            stack[:] = [entry for entry in stack if entry[0] != event.reverts_seq]
        else:
            stack.append((event.seq, event.value if event.kind != "retraction" else None))
    return {cell: stack[-1][1] for cell, stack in stacks.items()
            if stack and stack[-1][1] is not None}


@settings(max_examples=200, deadline=None)
@given(st.lists(OPERATIONS, max_size=25))
def test_replay_at_every_seq_equals_naive_recomputation_of_the_prefix(operations):
    events = build_ledger(operations)
    for upto in [0, *(event.seq for event in events)]:
        prefix = [event for event in events if event.seq <= upto]
        assert current_scores(events, upto_seq=upto) == naive_scores(prefix)


@settings(max_examples=100, deadline=None)
@given(st.lists(OPERATIONS, max_size=25), st.randoms(use_true_random=False))
def test_replay_is_deterministic_idempotent_and_independent_of_input_order(operations, random):
    events = build_ledger(operations)
    shuffled = list(events)
    random.shuffle(shuffled)
    once = current_scores(events)
    assert current_scores(shuffled) == once
    assert current_scores(events + shuffled) == once
