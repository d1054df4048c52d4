"""Security headers on every response, session cookies that are Secure behind HTTPS, and
the largest body each endpoint reads (a form page 1 MB, a score event 32 KB, uploads more)."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from flask import Flask, current_app, request
from flask.sessions import SecureCookieSessionInterface
from werkzeug.exceptions import RequestEntityTooLarge

KB = 1024
MB = 1024 * KB
FORM_BODY_BYTES = 1 * MB  # any endpoint not named below: forms, actions, unknown addresses
CSV_IMPORT_BYTES = 20 * MB  # about 100,000 rows; the registrar's file of 1,700 is ~300 KB


def _request_limit(config: Mapping) -> int:
    return config["MAX_CONTENT_LENGTH"]


def _attachment_limit(config: Mapping) -> int:
    return config["CHALLENGE_ATTACHMENT_MAX_MB"] * MB + FORM_BODY_BYTES


# The endpoints whose bodies may be larger than a form's, or must be smaller: bytes, or a
# function of the config. Every limit is also capped by MAX_CONTENT_LENGTH (MAX_REQUEST_MB).
BODY_LIMITS: dict[str, int | Callable[[Mapping], int]] = {
    # a jury's score event: ids, a value and a comment of at most 2,000 characters, which
    # JSON may escape to 12 bytes each
    "jury_api.record_event": 32 * KB,
    # uploads: a submission save carries up to 10 files; each file's own limit (the
    # edition's, per file and per team) is checked while it is stored
    "team.submission": _request_limit,
    "team.complete_stage": _request_limit,
    "presence.declare_absence": _request_limit,  # a proof of absence: a PDF or a photo
    "company.upload_attachment": _attachment_limit,
    "imports.students": CSV_IMPORT_BYTES,
    "imports.challenges": CSV_IMPORT_BYTES,
    "incubation.outcomes": CSV_IMPORT_BYTES,
}

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

# The staff's scanner page reads the camera (views/presence/staff.py); no other page may.
CAMERA_ALLOWED = "camera=(self), microphone=(), geolocation=()"

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


class HttpsAwareSessionInterface(SecureCookieSessionInterface):
    """Marks the session cookie Secure whenever the request came over HTTPS."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"] or request.is_secure)


def add_security_headers(response):
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    return response


def body_limit(endpoint: str | None, config: Mapping) -> int:
    """The largest body this endpoint reads, in bytes."""
    limit = BODY_LIMITS.get(endpoint or "", FORM_BODY_BYTES)
    wanted = limit(config) if callable(limit) else limit
    ceiling = config.get("MAX_CONTENT_LENGTH")
    return min(wanted, ceiling) if ceiling else wanted


def limit_request_body(endpoint: str | None, _values) -> None:
    """A URL value preprocessor: it runs before every before_request, so before CSRF or a
    view reads the body. A body declared too large is refused (413) unread; one sent without
    its length is read up to the limit only (form parsing raises 413 there, `read_body` for a
    JSON body)."""
    limit = body_limit(endpoint, current_app.config)
    request.max_content_length = limit
    if request.content_length is not None and request.content_length > limit:
        raise RequestEntityTooLarge()


def read_body() -> bytes:
    """The whole body, kept for `request.get_json`: refused (413) when it goes on past the
    endpoint's limit, where Werkzeug would silently cut short a body sent without its length
    (chunked). One with a declared length over the limit never gets here."""
    data = request.get_data(cache=True)
    limit = request.max_content_length
    if request.content_length is None and limit is not None and len(data) >= limit:
        raise RequestEntityTooLarge()
    return data


def init_http_security(app: Flask) -> None:
    app.session_interface = HttpsAwareSessionInterface()
    app.after_request(add_security_headers)
    app.url_value_preprocessor(limit_request_body)
    if app.config["BEHIND_PROXY"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["BEHIND_PROXY"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
