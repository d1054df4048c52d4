from crunchtime.views.presence import organizer, staff, student  # noqa: F401  (routes)
from crunchtime.views.presence.blueprint import blueprint

__all__ = ["blueprint"]
