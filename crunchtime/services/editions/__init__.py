"""Editions: the current one, its phases and their follow-ups (phases.py), the organisers'
overview and the archive of closed editions."""
