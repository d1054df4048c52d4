"""Presence rules without Flask or a database: the door's rotating signed codes, the students'
personal codes, and when a session accepts a check-in (pure functions, tested alone)."""
