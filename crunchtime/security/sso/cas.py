"""CAS 3.0: the browser goes to the server's /login with our service URL, comes back with a
ticket, and the ticket is validated server to server (/p3/serviceValidate) for that same
service URL. A ticket works once and only for the service it was issued to: the server
enforces both, and its refusal is a REJECTED sign-in."""

from __future__ import annotations

from functools import partial
from xml.etree.ElementTree import ParseError

import requests
from cas import CASClient

from crunchtime.security.sso import (
    NO_EMAIL,
    REJECTED,
    UNAVAILABLE,
    Assertion,
    SignInFailed,
    first_value,
    split_name,
)


def _client(server_url: str, service_url: str, timeout: int) -> CASClient:
    session = requests.Session()
    session.request = partial(session.request, timeout=timeout)
    return CASClient(version=3, server_url=server_url, service_url=service_url, session=session)


def login_url(server_url: str, service_url: str) -> str:
    return _client(server_url, service_url, 1).get_login_url()


def logout_url(server_url: str, return_url: str) -> str:
    """The server's single logout; it sends the browser back to `return_url`."""
    return _client(server_url, return_url, 1).get_logout_url(return_url)


def validate_ticket(server_url: str, service_url: str, ticket: str, email_attribute: str,
                    timeout: int = 10) -> Assertion:
    if not ticket or len(ticket) > 256:
        raise SignInFailed(REJECTED, "no ticket")
    client = _client(server_url, service_url, timeout)
    try:
        user, attributes, _pgtiou = client.verify_ticket(ticket)
    except requests.RequestException as error:
        raise SignInFailed(UNAVAILABLE, str(error)) from error
    except (ParseError, IndexError, ValueError) as error:
        raise SignInFailed(UNAVAILABLE, f"unreadable validation answer: {error}") from error
    if not user:
        raise SignInFailed(REJECTED, "the server refused the ticket")
    attributes = attributes or {}
    email = first_value(attributes.get(email_attribute)).lower()
    if "@" not in email:
        raise SignInFailed(NO_EMAIL, f"no {email_attribute!r} attribute")
    first, last = (first_value(attributes.get("givenName")), first_value(attributes.get("sn")))
    if not (first or last):
        first, last = split_name(first_value(attributes.get("cn") or attributes.get(
            "displayName")))
    return Assertion("cas", user, email, first, last)
