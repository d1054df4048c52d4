"""Use cases: each function checks access and phase, mutates, commits once, then publishes."""
