"""A stand-in university provider on loopback, for the answers a real one will not give on
demand: a CAS server whose validation answer each test writes, and an OpenID Connect
provider whose id tokens are signed (Authlib's joserfc) with a test key published at its
JWKS endpoint, or tampered with (another key, audience, issuer, nonce, expiry)."""

from __future__ import annotations

import base64
import hashlib
import json
import threading
import time
from dataclasses import dataclass, field

from joserfc import jwt
from joserfc.jwk import RSAKey
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from tests.accounts.sso.lemonldap import free_port_in

CAS_SUCCESS = """<cas:serviceResponse xmlns:cas='http://www.yale.edu/tp/cas'>
  <cas:authenticationSuccess><cas:user>{user}</cas:user><cas:attributes>
    <cas:mail>{mail}</cas:mail><cas:cn>{cn}</cas:cn></cas:attributes>
  </cas:authenticationSuccess></cas:serviceResponse>"""
CAS_FAILURE = """<cas:serviceResponse xmlns:cas='http://www.yale.edu/tp/cas'>
  <cas:authenticationFailure code="INVALID_TICKET">Ticket not found</cas:authenticationFailure>
</cas:serviceResponse>"""


@dataclass
class FakeProvider:
    """Serves /cas/* and the OIDC endpoints; `id_claims`/`sign_with` shape the next token."""

    port: int
    key: RSAKey = field(default_factory=lambda: RSAKey.generate_key(2048, {"kid": "k1"}))
    cas_answer: str = CAS_FAILURE
    id_claims: dict = field(default_factory=dict)
    sign_with: RSAKey | None = None
    userinfo: dict = field(default_factory=dict)
    validations: list[dict] = field(default_factory=list)
    token_requests: list[dict] = field(default_factory=list)
    authorizations: list[dict] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # -- answers ---------------------------------------------------------------------------
    def cas_accepts(self, user: str, mail: str, cn: str = "Rose Tyler") -> None:
        self.cas_answer = CAS_SUCCESS.format(user=user, mail=mail, cn=cn)

    def id_token(self, nonce: str) -> str:
        now = int(time.time())
        claims = {"iss": self.url, "aud": "crunchtime", "sub": "subject-1", "iat": now,
                  "exp": now + 300, "nonce": nonce, "email": "rtyler@badwolf.org",
                  "name": "Rose Tyler"}
        claims.update(self.id_claims)
        claims = {name: value for name, value in claims.items() if value is not None}
        key = self.sign_with or self.key
        return jwt.encode({"alg": "RS256", "kid": key.kid}, claims, key)

    def __call__(self, environ, start_response):
        request = Request(environ)
        path = request.path
        if path == "/cas/p3/serviceValidate":
            self.validations.append(dict(request.args))
            response = Response(self.cas_answer, content_type="application/xml")
        elif path == "/.well-known/openid-configuration":
            response = self._json({
                "issuer": self.url, "authorization_endpoint": f"{self.url}/authorize",
                "token_endpoint": f"{self.url}/token", "jwks_uri": f"{self.url}/jwks",
                "userinfo_endpoint": f"{self.url}/userinfo",
                "end_session_endpoint": f"{self.url}/logout",
                "response_types_supported": ["code"],
                "id_token_signing_alg_values_supported": ["RS256"]})
        elif path == "/jwks":
            response = self._json({"keys": [self.key.as_dict(private=False)]})
        elif path == "/token":
            response = self._token(request)
        elif path == "/userinfo":
            granted = request.headers.get("Authorization") == "Bearer at"
            response = self._json(self.userinfo if granted else {"error": "invalid_token"},
                                  200 if granted else 401)
        else:
            response = Response("not found", status=404)
        return response(environ, start_response)

    def _token(self, request: Request) -> Response:
        form = dict(request.form)
        self.token_requests.append(form)
        pending = self.authorizations[-1] if self.authorizations else {}
        challenge = base64.urlsafe_b64encode(hashlib.sha256(
            form.get("code_verifier", "").encode()).digest()).rstrip(b"=").decode()
        if form.get("code") != "good-code" or challenge != pending.get("code_challenge"):
            return self._json({"error": "invalid_grant"}, 400)
        return self._json({"access_token": "at", "token_type": "Bearer", "expires_in": 60,
                           "id_token": self.id_token(pending.get("nonce", ""))})

    @staticmethod
    def _json(data: dict, status: int = 200) -> Response:
        return Response(json.dumps(data), status=status, content_type="application/json")


class RunningFake:
    def __init__(self):
        self.provider = FakeProvider(free_port_in(5260, 5279))
        self.server = make_server("127.0.0.1", self.provider.port, self.provider, threaded=True)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FakeProvider:
        self.thread.start()
        return self.provider

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)
