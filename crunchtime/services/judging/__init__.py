"""Judging: rounds and rubric, jury assignment and conflicts, the jury's queue, nominations,
rankings and results; the append-only score ledger is in ledger/ (algorithms:
crunchtime/scoring/)."""
