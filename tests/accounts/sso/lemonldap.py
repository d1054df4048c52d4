"""A real identity provider for the single sign-on tests: Debian's LemonLDAP::NG (its portal
under llng-fastcgi-server, behind Debian's nginx), on loopback, with its demo user base
(dwho/dwho, rtyler/rtyler, msmith/msmith; addresses @badwolf.org). Its CAS server and its
OpenID Connect provider both know Crunch Time as a client. Everything lives in a temporary
directory: configuration, sessions, keys, logs; nothing under /etc or /var is touched."""

from __future__ import annotations

import json
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

FASTCGI_SERVER = "/usr/sbin/llng-fastcgi-server"
NGINX = "/usr/sbin/nginx"
PORTAL_HTDOCS = Path("/usr/share/lemonldap-ng/portal/htdocs")
PORTAL_TEMPLATES = Path("/usr/share/lemonldap-ng/portal/templates")
DEMO_CONF = Path("/var/lib/lemonldap-ng/conf/lmConf-1.json")
OIDC_CLIENT_ID = "crunchtime"
OIDC_CLIENT_SECRET = "crunchtime-test-secret"
DEMO_USERS = {"dwho": "dwho@badwolf.org", "rtyler": "rtyler@badwolf.org",
              "msmith": "msmith@badwolf.org"}
# LemonLDAP::NG refuses to run as root: the portal then runs as this account.
UNPRIVILEGED = "www-data"


# Recommended by the packages (apt installs recommends by default) and loaded at start.
PERL_MODULES = ("XML::Simple", "IO::String", "GD::SecurityImage", "Image::Magick")


def missing_parts() -> list[str]:
    """What is not installed (./scripts/test installs it as root)."""
    parts = [FASTCGI_SERVER, NGINX, str(PORTAL_HTDOCS / "index.psgi")]
    missing = [part for part in parts if not Path(part).exists()]
    if not missing:
        for module in PERL_MODULES:
            check = subprocess.run(["perl", f"-M{module}", "-e1"], capture_output=True)
            if check.returncode != 0:
                missing.append(f"Perl module {module}")
    return missing


def _rsa_key_pair() -> tuple[str, str]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode()
    public = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    return private, public


def portal_configuration(base: Path, portal: str, app_urls: list[str]) -> dict:
    """The demo configuration of the package, with the portal on `portal`, sessions under
    `base`, and Crunch Time (served on each of `app_urls`) as a CAS and an OIDC client."""
    conf = json.loads(DEMO_CONF.read_text())
    private, public = _rsa_key_pair()
    host = portal.split("//", 1)[1].split(":", 1)[0]
    for storage in ("globalStorageOptions", "persistentStorageOptions"):
        kind = "sessions" if storage.startswith("global") else "psessions"
        conf[storage] = {**conf[storage], "Directory": str(base / kind),
                         "LockDirectory": str(base / kind / "lock")}
    conf["localSessionStorageOptions"]["cache_root"] = str(base / "cache")
    conf["notificationStorageOptions"]["dirName"] = str(base / "notifications")
    conf.update({
        "cfgNum": 1,
        "portal": portal + "/",
        "domain": host,
        "locationRules": {host: {"default": "accept"}},
        "exportedHeaders": {},
        "reloadUrls": {},
        "applicationList": {},
        "notification": 0,
        "loginHistoryEnabled": 0,
        "checkXSS": 0,
        "trustedDomains": "127.0.0.1 localhost",
        "portalSkin": "bootstrap",
        # CAS 3.0 server: only declared services get tickets.
        "issuerDBCASActivation": 1,
        "casAccessControlPolicy": "error",
        "casAttr": "uid",
        "casAttributes": {"mail": "mail", "cn": "cn", "uid": "uid"},
        "casAppMetaDataOptions": {
            f"crunchtime{n}": {"casAppMetaDataOptionsService": url,
                               "casAppMetaDataOptionsRule": "1"}
            for n, url in enumerate(app_urls)},
        "casAppMetaDataExportedVars": {
            f"crunchtime{n}": {"mail": "mail", "cn": "cn", "uid": "uid"}
            for n, _url in enumerate(app_urls)},
        # OpenID Connect provider, one relying party: Crunch Time.
        "issuerDBOpenIDConnectActivation": 1,
        "oidcServiceMetaDataIssuer": portal,
        "oidcServicePrivateKeySig": private,
        "oidcServicePublicKeySig": public,
        "oidcServiceKeyIdSig": "crunchtime-test",
        "oidcServiceAllowAuthorizationCodeFlow": 1,
        "oidcRPMetaDataOptions": {OIDC_CLIENT_ID: {
            "oidcRPMetaDataOptionsClientID": OIDC_CLIENT_ID,
            "oidcRPMetaDataOptionsClientSecret": OIDC_CLIENT_SECRET,
            "oidcRPMetaDataOptionsDisplayName": "Crunch Time",
            "oidcRPMetaDataOptionsRedirectUris": " ".join(
                f"{url}/sso/oidc/callback" for url in app_urls),
            "oidcRPMetaDataOptionsPostLogoutRedirectUris": " ".join(
                f"{url}/" for url in app_urls),
            "oidcRPMetaDataOptionsIDTokenSignAlg": "RS256",
            "oidcRPMetaDataOptionsBypassConsent": 1,
            "oidcRPMetaDataOptionsRequirePKCE": 1,
            "oidcRPMetaDataOptionsLogoutBypassConfirm": 1,
            "oidcRPMetaDataOptionsIDTokenExpiration": 3600,
        }},
        "oidcRPMetaDataExportedVars": {OIDC_CLIENT_ID: {
            "email": "mail", "name": "cn", "preferred_username": "uid"}},
        "oidcRPMetaDataOptionsExtraClaims": {},
    })
    return conf


INI = """[all]
logLevel = {log_level}
logger = Lemonldap::NG::Common::Logger::Std
checkTime = 600

[configuration]
type = File
dirName = {base}/conf

[portal]
staticPrefix = /static
templateDir = {templates}
languages = fr, en

[handler]
status = 0
"""

SITE = """worker_processes 1;
pid {base}/nginx.pid;
error_log {base}/logs/nginx-error.log warn;
{user}
events {{ worker_connections 256; }}
http {{
  include /etc/nginx/mime.types;
  access_log {base}/logs/nginx-access.log;
  client_body_temp_path {base}/temp/client_body;
  proxy_temp_path {base}/temp/proxy;
  fastcgi_temp_path {base}/temp/fastcgi;
  uwsgi_temp_path {base}/temp/uwsgi;
  scgi_temp_path {base}/temp/scgi;
  server {{
    listen 127.0.0.1:{port};
    server_name _;
    root {htdocs}/;
    if ($uri !~ ^/((static|javascript|favicon).*|.*\\.psgi)) {{
      rewrite ^/(.*)$ /index.psgi/$1 break;
    }}
    location ~ ^(?<sc>/.*\\.psgi)(?:$|/) {{
      include /etc/nginx/fastcgi_params;
      fastcgi_pass unix:{base}/run/llng-fastcgi.sock;
      fastcgi_param HTTP_HOST $http_host;
      fastcgi_param LLTYPE psgi;
      fastcgi_param SCRIPT_FILENAME $document_root$fastcgi_script_name;
      fastcgi_split_path_info ^(.*\\.psgi)(/.*)$;
      fastcgi_param PATH_INFO $fastcgi_path_info;
    }}
    location /static/ {{ alias {htdocs}/static/; }}
    location /javascript/ {{ alias /usr/share/javascript/; }}
  }}
}}
"""


class LemonLDAP:
    """The portal (CAS server and OpenID Connect provider) on http://127.0.0.1:`port`."""

    def __init__(self, port: int, app_urls: list[str], log_level: str = "warn"):
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.app_urls = app_urls
        self.log_level = log_level
        self.base = Path(tempfile.mkdtemp(prefix="crunchtime-llng-"))
        self.processes: list[subprocess.Popen] = []
        self.startup_seconds: float | None = None

    # -- files -------------------------------------------------------------------------
    def _write_files(self) -> None:
        for sub in ("conf", "sessions/lock", "psessions/lock", "cache", "notifications",
                    "logs", "run", "temp"):
            (self.base / sub).mkdir(parents=True, exist_ok=True)
        conf = portal_configuration(self.base, self.url, self.app_urls)
        (self.base / "conf" / "lmConf-1.json").write_text(json.dumps(conf, indent=1))
        (self.base / "lemonldap-ng.ini").write_text(INI.format(
            base=self.base, templates=PORTAL_TEMPLATES, log_level=self.log_level))
        user = f"user {pwd.getpwuid(os.geteuid()).pw_name};" if os.geteuid() == 0 else ""
        (self.base / "nginx.conf").write_text(SITE.format(
            base=self.base, port=self.port, htdocs=PORTAL_HTDOCS, user=user))
        if os.geteuid() == 0:  # the portal runs unprivileged: it owns its state
            account = pwd.getpwnam(UNPRIVILEGED)
            self.base.chmod(0o755)
            for path in [self.base, *self.base.rglob("*")]:
                os.chown(path, account.pw_uid, account.pw_gid)

    # -- processes ---------------------------------------------------------------------
    def start(self, timeout: float = 60) -> LemonLDAP:
        started = time.monotonic()
        self._write_files()
        env = {**os.environ, "LLNG_DEFAULTCONFFILE": str(self.base / "lemonldap-ng.ini"),
               "LLNG_DEFAULTLOGGER": "Lemonldap::NG::Common::Logger::Std"}
        portal = [FASTCGI_SERVER, "--foreground", "-n", "2",
                  "-s", str(self.base / "run" / "llng-fastcgi.sock"),
                  "-p", str(self.base / "run" / "llng-fastcgi.pid")]
        if os.geteuid() == 0:
            portal += ["-u", UNPRIVILEGED, "-g", UNPRIVILEGED]
        log = open(self.base / "logs" / "portal.log", "wb")  # noqa: SIM115 (kept open)
        self.processes.append(subprocess.Popen(portal, env=env, stdout=log, stderr=log,
                                               cwd=self.base))
        self.processes.append(subprocess.Popen(
            [NGINX, "-p", str(self.base), "-c", str(self.base / "nginx.conf"),
             "-g", "daemon off;"], stdout=log, stderr=log))
        self._wait_ready(started + timeout)
        self.startup_seconds = time.monotonic() - started
        return self

    def _wait_ready(self, deadline: float) -> None:
        discovery = f"{self.url}/.well-known/openid-configuration"
        problem = "nothing listened"
        while time.monotonic() < deadline:
            for process in self.processes:
                if process.poll() is not None:
                    raise RuntimeError(f"LemonLDAP::NG stopped at start:\n{self.logs()}")
            try:
                with urllib.request.urlopen(discovery, timeout=5) as response:  # noqa: S310
                    if json.load(response).get("issuer") == self.url:
                        return
            except (OSError, ValueError) as error:
                problem = str(error)
            time.sleep(0.2)
        raise RuntimeError(f"LemonLDAP::NG was not ready ({problem}):\n{self.logs()}")

    def logs(self) -> str:
        parts = []
        for name in ("portal.log", "nginx-error.log"):
            path = self.base / "logs" / name
            if path.exists():
                parts.append(f"--- {name}\n" + path.read_text(errors="replace")[-4000:])
        return "\n".join(parts)

    def stop(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
        self.processes.clear()
        shutil.rmtree(self.base, ignore_errors=True)


def free_port_in(low: int, high: int) -> int:
    for port in range(low, high + 1):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {low}-{high}")
