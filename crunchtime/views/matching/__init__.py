from crunchtime.views.matching.routes import blueprint

__all__ = ["blueprint"]
