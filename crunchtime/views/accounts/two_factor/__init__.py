"""Two-step verification: the second step of a login, the account's own settings, and the
guard that keeps an organiser who must enrol on the enrolment page."""

from crunchtime.views.accounts.two_factor import account  # noqa: F401  (its routes)
from crunchtime.views.accounts.two_factor.routes import blueprint

__all__ = ["blueprint"]
