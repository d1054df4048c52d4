"""University sign-in protocols: CAS 3.0 (python-cas) and OpenID Connect (Authlib, joserfc).
They speak to the provider and hand back who signed in (`Assertion`); what that person may do
here is the services' business (services/accounts/university.py)."""

from __future__ import annotations

from dataclasses import dataclass

# Why a sign-in through the provider failed; the view turns each into a page.
UNAVAILABLE = "unavailable"  # the provider did not answer, or answered nonsense
REJECTED = "rejected"  # a ticket or code refused (replayed, expired, for another service)
STATE = "state"  # the answer does not belong to a sign-in this browser started
# an id token that is not for us, not from the issuer, expired, or forged (a reason, no secret)
TOKEN = "token"  # noqa: S105
DENIED = "denied"  # the person cancelled or the provider refused them
NO_EMAIL = "no_email"  # the provider gave no e-mail address


class SignInFailed(Exception):
    """A university sign-in that cannot complete; `reason` is one of the names above,
    `detail` is for the logs only (never shown: it may quote the provider)."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class Assertion:
    """Who the provider says signed in."""

    provider: str  # "cas" | "oidc"
    subject: str
    email: str
    first_name: str = ""
    last_name: str = ""


def split_name(full_name: str) -> tuple[str, str]:
    """A display name ("Rose Tyler") as first and last names, when the provider gives only
    that."""
    parts = full_name.split()
    if not parts:
        return "", ""
    return parts[0], " ".join(parts[1:])


def first_value(value) -> str:
    """CAS attributes and OIDC claims may be lists; the first non-empty string of one."""
    if isinstance(value, list | tuple):
        value = next((item for item in value if item), "")
    return str(value or "").strip()
