"""OpenID Connect, authorization code flow with PKCE: the browser goes to the provider with a
state, a nonce and a code challenge kept in our session; it comes back with a code and the
state; the code is exchanged server to server (with the verifier and our secret) for an id
token, whose signature (the provider's published keys), issuer, audience, expiry and nonce
are all checked before anyone is signed in."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from urllib.parse import urlencode

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session
from joserfc import jwt
from joserfc.errors import BadSignatureError, JoseError
from joserfc.jwk import KeySet

from crunchtime.security.sso import (
    DENIED,
    NO_EMAIL,
    REJECTED,
    STATE,
    TOKEN,
    UNAVAILABLE,
    Assertion,
    SignInFailed,
    first_value,
    split_name,
)

DISCOVERY_TTL_SECONDS = 3600
CLOCK_LEEWAY_SECONDS = 60
SIGNING_ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "ES256", "ES384"]


@dataclass(frozen=True)
class Provider:
    issuer: str | None
    discovery_url: str | None
    client_id: str
    client_secret: str | None
    scopes: str
    email_claim: str
    timeout: int = 10

    @property
    def metadata_url(self) -> str:
        return self.discovery_url or f"{self.issuer}/.well-known/openid-configuration"


_cache: dict[str, tuple[float, dict]] = {}
_cache_lock = threading.Lock()


def _get_json(url: str, timeout: int) -> dict:
    try:
        response = requests.get(url, timeout=timeout)
        response.raise_for_status()
        data = response.json()
    except (requests.RequestException, ValueError) as error:
        raise SignInFailed(UNAVAILABLE, f"{url}: {error}") from error
    if not isinstance(data, dict):
        raise SignInFailed(UNAVAILABLE, f"{url}: not a JSON object")
    return data


def _cached(url: str, timeout: int, refresh: bool = False) -> dict:
    """The provider's metadata and keys change rarely: fetched once an hour per process
    (the keys again at once when a token names one we do not have)."""
    now = time.monotonic()
    with _cache_lock:
        hit = _cache.get(url)
    if hit and not refresh and now - hit[0] < DISCOVERY_TTL_SECONDS:
        return hit[1]
    data = _get_json(url, timeout)
    with _cache_lock:
        _cache[url] = (now, data)
    return data


def forget_metadata() -> None:
    with _cache_lock:
        _cache.clear()


def metadata(provider: Provider) -> dict:
    data = _cached(provider.metadata_url, provider.timeout)
    missing = [key for key in ("issuer", "authorization_endpoint", "token_endpoint",
                               "jwks_uri") if not data.get(key)]
    if missing:
        raise SignInFailed(UNAVAILABLE, f"discovery lacks {', '.join(missing)}")
    if provider.issuer and data["issuer"].rstrip("/") != provider.issuer.rstrip("/"):
        raise SignInFailed(UNAVAILABLE, f"discovery names issuer {data['issuer']!r}")
    return data


def _session(provider: Provider, redirect_uri: str) -> OAuth2Session:
    return OAuth2Session(provider.client_id, provider.client_secret, scope=provider.scopes,
                         redirect_uri=redirect_uri, code_challenge_method="S256")


def start(provider: Provider, redirect_uri: str) -> tuple[str, dict]:
    """The provider's authorization URL, and what the session must keep until the callback."""
    endpoint = metadata(provider)["authorization_endpoint"]
    pending = {"state": generate_token(32), "nonce": generate_token(32),
               "verifier": generate_token(64), "redirect_uri": redirect_uri}
    url, _state = _session(provider, redirect_uri).create_authorization_url(
        endpoint, state=pending["state"], nonce=pending["nonce"],
        code_verifier=pending["verifier"])
    return url, pending


def finish(provider: Provider, pending: dict | None, args) -> tuple[Assertion, str]:
    """The person the callback's `args` (state, code or error) vouch for, and the id token
    (kept for the provider's logout)."""
    if not pending or not args.get("state") or args.get("state") != pending.get("state"):
        raise SignInFailed(STATE, "state missing or not the one this browser was given")
    if args.get("error"):
        raise SignInFailed(DENIED, str(args.get("error"))[:100])
    if not args.get("code"):
        raise SignInFailed(REJECTED, "no code")
    meta = metadata(provider)
    try:
        token = _session(provider, pending["redirect_uri"]).fetch_token(
            meta["token_endpoint"], code=args["code"], code_verifier=pending["verifier"],
            timeout=provider.timeout)
    except AuthlibBaseError as error:
        raise SignInFailed(REJECTED, f"token endpoint: {error.error}") from error
    except (requests.RequestException, ValueError) as error:
        raise SignInFailed(UNAVAILABLE, f"token endpoint: {error}") from error
    id_token = token.get("id_token")
    if not id_token:
        raise SignInFailed(TOKEN, "no id_token in the token response")
    claims = verify_id_token(provider, meta, id_token, pending["nonce"])
    if not claims.get(provider.email_claim):
        claims = {**user_info(provider, meta, token.get("access_token"), claims["sub"]),
                  **claims}
    return assertion_from(provider, claims), id_token


def user_info(provider: Provider, meta: dict, access_token: str | None, subject: str) -> dict:
    """The claims many providers keep out of the id token (the address, the names), from
    their userinfo endpoint; they count only for the id token's own subject."""
    endpoint = meta.get("userinfo_endpoint")
    if not endpoint or not access_token:
        return {}
    try:
        response = requests.get(endpoint, timeout=provider.timeout, headers={
            "Authorization": f"Bearer {access_token}", "Accept": "application/json"})
        response.raise_for_status()
        info = response.json()
    except (requests.RequestException, ValueError) as error:
        raise SignInFailed(UNAVAILABLE, f"userinfo: {error}") from error
    if not isinstance(info, dict) or str(info.get("sub")) != str(subject):
        raise SignInFailed(TOKEN, "userinfo is about another subject")
    return info


def _keys(meta: dict, timeout: int, refresh: bool = False) -> KeySet:
    try:
        return KeySet.import_key_set(_cached(meta["jwks_uri"], timeout, refresh))
    except (JoseError, ValueError, KeyError, TypeError) as error:
        raise SignInFailed(UNAVAILABLE, f"unusable keys: {error}") from error


def _decode(id_token: str, meta: dict, timeout: int) -> jwt.Token:
    try:
        return jwt.decode(id_token, _keys(meta, timeout), SIGNING_ALGORITHMS)
    except BadSignatureError:
        raise
    except (JoseError, ValueError):  # perhaps a key we do not have yet: the keys rotated
        return jwt.decode(id_token, _keys(meta, timeout, refresh=True), SIGNING_ALGORITHMS)


def verify_id_token(provider: Provider, meta: dict, id_token: str, nonce: str) -> dict:
    """The id token's claims, once its signature, issuer, audience, times and nonce hold."""
    try:
        decoded = _decode(id_token, meta, provider.timeout)
        claims = decoded.claims
        jwt.JWTClaimsRegistry(
            leeway=CLOCK_LEEWAY_SECONDS,
            iss={"essential": True, "value": meta["issuer"]},
            aud={"essential": True, "value": provider.client_id},
            sub={"essential": True},
            exp={"essential": True},
            nonce={"essential": True, "value": nonce},
        ).validate(claims)
    except (JoseError, ValueError) as error:
        raise SignInFailed(TOKEN, f"{type(error).__name__}: {error}") from error
    audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
    if len(audiences) > 1 and claims.get("azp") != provider.client_id:
        raise SignInFailed(TOKEN, "several audiences and azp is not us")
    return claims


def assertion_from(provider: Provider, claims: dict) -> Assertion:
    email = first_value(claims.get(provider.email_claim)).lower()
    if "@" not in email:
        raise SignInFailed(NO_EMAIL, f"no {provider.email_claim!r} claim")
    if claims.get("email_verified") is False and provider.email_claim == "email":
        raise SignInFailed(NO_EMAIL, "the provider says the address is not verified")
    first, last = first_value(claims.get("given_name")), first_value(claims.get("family_name"))
    if not (first or last):
        first, last = split_name(first_value(claims.get("name")))
    return Assertion("oidc", str(claims["sub"]), email, first, last)


def logout_url(provider: Provider, id_token: str | None, return_url: str) -> str | None:
    """The provider's end_session_endpoint (RP-initiated logout), when it has one."""
    try:
        endpoint = metadata(provider).get("end_session_endpoint")
    except SignInFailed:
        return None
    if not endpoint:
        return None
    params = {"post_logout_redirect_uri": return_url, "client_id": provider.client_id}
    if id_token:
        params["id_token_hint"] = id_token
    separator = "&" if "?" in endpoint else "?"
    return f"{endpoint}{separator}{urlencode(params)}"
