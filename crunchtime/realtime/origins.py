"""Which web pages may open a live connection: Engine.IO checks the handshake's Origin with
`origin_check(config)`. A page of another site must not get a socket that carries its
visitor's session cookie (cross-site WebSocket hijacking); clients that send no Origin (scripts,
the benchmarks) are not browsers acting for someone and are let through by Engine.IO."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from urllib.parse import urlsplit

DEFAULT_PORTS = {"http": "80", "https": "443"}


def normalise_origin(url: str) -> str | None:
    """"scheme://host[:port]" as a browser writes an Origin (default port left out), or None
    for anything that is not an http(s) URL with a host."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.hostname:
        return None
    host = parts.hostname.lower()
    if ":" in host:
        host = f"[{host}]"
    if port is not None and str(port) != DEFAULT_PORTS[scheme]:
        host = f"{host}:{port}"
    return f"{scheme}://{host}"


def _first(value: str) -> str:
    return value.split(",")[0].strip()


def request_origins(environ: Mapping, behind_proxy: bool) -> set[str]:
    """The origin(s) of the server as the request names it (behind a trusted proxy, also as
    the proxy's forwarded headers name it)."""
    host = environ.get("HTTP_HOST")
    if not host:
        return set()
    scheme = environ.get("wsgi.url_scheme", "http")
    origins = {f"{scheme}://{host}"}
    if behind_proxy:
        forwarded_scheme = _first(environ.get("HTTP_X_FORWARDED_PROTO", "") or scheme)
        forwarded_host = _first(environ.get("HTTP_X_FORWARDED_HOST", "") or host)
        origins.add(f"{forwarded_scheme}://{forwarded_host}")
    return {origin for origin in map(normalise_origin, origins) if origin}


def allowed_origins(config: Mapping) -> frozenset[str]:
    """BASE_URL's origin and those of LIVE_ALLOWED_ORIGINS."""
    urls = [config.get("BASE_URL") or "", *config.get("LIVE_ALLOWED_ORIGINS", ())]
    return frozenset(origin for origin in map(normalise_origin, urls) if origin)


def origin_check(config: Mapping) -> Callable[[str, Mapping], bool]:
    """Engine.IO's `cors_allowed_origins` callable for this configuration."""
    allowed = allowed_origins(config)
    same_host = bool(config.get("LIVE_SAME_HOST_ORIGIN"))
    behind_proxy = bool(config.get("BEHIND_PROXY"))

    def is_allowed(origin: str, environ: Mapping | None = None) -> bool:
        normalised = normalise_origin(origin or "")
        if normalised is None:
            return False
        if normalised in allowed:
            return True
        return same_host and environ is not None and \
            normalised in request_origins(environ, behind_proxy)

    return is_allowed
