from crunchtime.views.people.routes import blueprint

__all__ = ["blueprint"]
