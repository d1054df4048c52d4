"""The public pages and the organisers' dashboard, editions, phases, outbox and audit log."""
