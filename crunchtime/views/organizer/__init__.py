from crunchtime.views.organizer.routes import blueprint

__all__ = ["blueprint"]
