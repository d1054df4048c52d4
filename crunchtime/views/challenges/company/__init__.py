"""The company's pages (blueprint "company", under /company)."""

from crunchtime.views.challenges.company.routes import blueprint

__all__ = ["blueprint"]
