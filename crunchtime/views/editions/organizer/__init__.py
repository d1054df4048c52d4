from crunchtime.views.editions.organizer.routes import blueprint

__all__ = ["blueprint"]
