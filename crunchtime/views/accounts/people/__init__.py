from crunchtime.views.accounts.people import second_factors  # noqa: F401  (its routes)
from crunchtime.views.accounts.people.routes import blueprint

__all__ = ["blueprint"]
