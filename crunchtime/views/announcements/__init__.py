from crunchtime.views.announcements.routes import blueprint

__all__ = ["blueprint"]
