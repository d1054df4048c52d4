"""Crunch Time: the platform that runs a university's five-day innovation challenge."""

from crunchtime.app import create_app

__all__ = ["create_app"]
