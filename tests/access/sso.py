"""Access matrix entries of the university sign-in (the matrix app configures no provider:
each of its addresses answers with the "service unavailable" page, to everyone) and of the
organisers' sign-in settings."""

from __future__ import annotations

from tests.access.common import everyone, only

ENTRIES = {
    "sso.cas_login": ("GET", "/sso/cas", None, everyone(502)),
    "sso.cas_callback": ("GET", "/sso/cas/callback?ticket=ST-1", None, everyone(502)),
    "sso.oidc_login": ("GET", "/sso/oidc", None, everyone(502)),
    "sso.oidc_callback": ("GET", "/sso/oidc/callback?state=x&code=y", None, everyone(502)),
    "sso.settings": ("GET", "/organizer/sign-in", None, only("organizer")),
}
