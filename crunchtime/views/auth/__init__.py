from crunchtime.views.auth.routes import blueprint

__all__ = ["blueprint"]
