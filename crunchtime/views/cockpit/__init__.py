from crunchtime.views.cockpit.routes import blueprint

__all__ = ["blueprint"]
