from crunchtime.views.privacy.routes import blueprint

__all__ = ["blueprint"]
