"""Crunch Time: the platform that runs a university's five-day innovation challenge."""

__all__ = ["create_app"]


def __getattr__(name: str):
    # Imported on first use: a server process spawns its board worker before paying for the
    # app's imports (crunchtime/wsgi.py).
    if name == "create_app":
        from crunchtime.app import create_app

        return create_app
    raise AttributeError(f"module 'crunchtime' has no attribute {name!r}")
