"""Crunch Time: the platform that runs a university's five-day innovation challenge.

Importing the package loads nothing else: `import crunchtime.matching` stays free of Flask
and SQLAlchemy. `crunchtime.create_app` is looked up on first use (crunchtime/app.py)."""

__all__ = ["create_app"]


def __getattr__(name: str):
    if name == "create_app":
        from crunchtime.app import create_app

        return create_app
    raise AttributeError(f"module 'crunchtime' has no attribute {name!r}")
