"""One set of handlers turns errors into a page with a message, or a JSON error."""

from __future__ import annotations

import logging
import time

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from crunchtime.access import wants_json
from crunchtime.errors import DomainError
from crunchtime.extensions import db, limiter

log = logging.getLogger(__name__)
MEGABYTE = 1024 * 1024

HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    429: "too_many_requests",
    500: "server_error",
}


def too_large_message() -> str:
    """413: the limit of the endpoint that refused the body (crunchtime/security/http.py)."""
    limit = request.max_content_length or 0
    if limit < MEGABYTE:
        return _("What you sent is too large: the limit is %(kb)d KB.",
                 kb=max(1, limit // 1024))
    return _("What you sent is too large: the limit is %(mb)d MB.", mb=limit // MEGABYTE)


def http_messages(status: int) -> str:
    return {
        400: _("The request could not be understood. Check what you entered and try again."),
        401: _("Please log in first."),
        403: _("You do not have access to this page."),
        404: _("This page does not exist, or no longer exists."),
        405: _("This action is not available at this address."),
        409: _("This action conflicts with the current state; reload the page and try again."),
        413: too_large_message(),
        429: _("Too many attempts. Wait a few minutes, then try again."),
        500: _("Something went wrong on our side. The team has been told; try again shortly."),
    }.get(status, _("Something went wrong."))


def error_response(status: int, code: str, message: str, headers=None):
    db.session.rollback()
    if wants_json():
        response = jsonify(error=code, message=message)
    else:
        response = render_template("error.html", status=status, message=message)
    return response, status, headers or {}


def handle_domain_error(error: DomainError):
    return error_response(error.status, error.code, error.message)


def handle_csrf_error(error: CSRFError):
    return error_response(
        400, "csrf", _("This form has expired or was not sent from our site. Reload the page "
                       "and submit it again.")
    )


def handle_http_error(error: HTTPException):
    status = error.code or 500
    headers = {}
    message = http_messages(status)
    if status == 429:
        message = too_many_attempts_message()
    if status == 405 and getattr(error, "valid_methods", None):
        headers["Allow"] = ", ".join(error.valid_methods)
    return error_response(status, HTTP_CODES.get(status, "error"), message, headers)


def too_many_attempts_message() -> str:
    current = limiter.current_limit
    if current is None:
        return http_messages(429)
    minutes = max(1, round((current.reset_at - time.time()) / 60))
    return ngettext(
        "Too many attempts. Wait %(num)d minute, then try again.",
        "Too many attempts. Wait %(num)d minutes, then try again.",
        minutes,
    )


def handle_unexpected(error: Exception):
    if isinstance(error, HTTPException):
        return handle_http_error(error)
    log.exception("unhandled error on %s %s", request.method, request.path)
    return error_response(500, "server_error", http_messages(500))


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(DomainError, handle_domain_error)
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(Exception, handle_unexpected)
