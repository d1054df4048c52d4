from crunchtime.views.accounts.people.routes import blueprint

__all__ = ["blueprint"]
