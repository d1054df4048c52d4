"""Domain errors raised by services; each carries its HTTP status and a message for users."""

from __future__ import annotations


class DomainError(Exception):
    status = 400
    code = "invalid_input"

    def __init__(self, message: str, **details):
        super().__init__(message)
        self.message = message
        self.details = details


class InvalidInput(DomainError):
    status = 400
    code = "invalid_input"


class Unauthenticated(DomainError):
    """The session no longer names an active account (logged out elsewhere, deactivated)."""

    status = 401
    code = "unauthorized"


class Forbidden(DomainError):
    status = 403
    code = "forbidden"


class NotFound(DomainError):
    status = 404
    code = "not_found"


class Conflict(DomainError):
    status = 409
    code = "conflict"


class PhaseClosed(Conflict):
    code = "phase_closed"
