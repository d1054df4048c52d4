from crunchtime.views.incubation.routes import blueprint

__all__ = ["blueprint"]
