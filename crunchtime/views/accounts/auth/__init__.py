from crunchtime.views.accounts.auth.routes import blueprint

__all__ = ["blueprint"]
