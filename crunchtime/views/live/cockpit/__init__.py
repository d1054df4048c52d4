from crunchtime.views.live.cockpit.routes import blueprint

__all__ = ["blueprint"]
