"""The append-only score ledger: checks, grouped writes under concurrency (turns.py,
groups.py), queries, retractions."""
