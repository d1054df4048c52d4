"""The shipped nginx site (deploy/nginx/crunchtime.conf), rendered for a test: only its ports
and paths change. And Debian's nginx started on it as the current user, with its prefix, pid,
logs and temporary files under a test directory."""

from __future__ import annotations

import os
import pwd
import re
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "deploy" / "nginx" / "crunchtime.conf"
NGINX = "/usr/sbin/nginx"
# The directives a rendering may change, and only in their ports and paths.
RENDERED_DIRECTIVES = ("server", "listen", "alias", "ssl_certificate", "ssl_certificate_key",
                       "access_log", "error_log")

_UPSTREAM = re.compile(r"^\s*upstream\s+(\S+)\s*\{")
_SERVER_LINE = re.compile(r"^(\s*server\s+127\.0\.0\.1:)\d+(;.*)$")
_LISTEN = re.compile(r"^(\s*listen\s+(?:\[::\]:)?)(\d+)(\b.*)$")
_PATH = re.compile(r"^(\s*(?:alias|ssl_certificate|ssl_certificate_key|access_log|error_log)\s+)"
                   r"(\S+?)(;|\s.*)$")


@dataclass
class Layout:
    """Where the rendered site sends things."""

    http_ports: list[int]
    live_ports: list[int]
    plain_port: int
    tls_port: int
    static_dir: Path
    certificate: Path
    key: Path
    log_dir: Path
    ipv6: bool = True  # without IPv6 the [::] listens are commented out


def render(text: str, layout: Layout) -> str:
    """The site with the test's upstream and listening ports, static directory, certificate
    and log files; every other byte as shipped."""
    ports = {"crunchtime_http": iter(layout.http_ports), "crunchtime_live": iter(layout.live_ports)}
    listen = {"80": layout.plain_port, "443": layout.tls_port}
    paths = {"alias": f"{layout.static_dir}/", "ssl_certificate": str(layout.certificate),
             "ssl_certificate_key": str(layout.key)}
    upstream, lines = None, []
    for line in text.splitlines():
        if match := _UPSTREAM.match(line):
            upstream = match.group(1)
        elif line.strip() == "}":
            upstream = None
        if upstream and (match := _SERVER_LINE.match(line)):
            line = f"{match.group(1)}{next(ports[upstream])}{match.group(2)}"
        elif match := _LISTEN.match(line):
            line = f"{match.group(1)}{listen[match.group(2)]}{match.group(3)}"
            if "[::]" in line and not layout.ipv6:
                line = re.sub(r"^(\s*)", r"\1# ", line, count=1)
        elif match := _PATH.match(line):
            directive = match.group(1).split()[0]
            target = paths.get(directive) or str(layout.log_dir / Path(match.group(2)).name)
            line = f"{match.group(1)}{target}{match.group(3)}"
        lines.append(line)
    for upstream, left in ports.items():
        if next(left, None) is not None:
            raise ValueError(f"the shipped {upstream} has fewer servers than the test starts")
    return "\n".join(lines) + "\n"


def shape(line: str) -> str:
    """A line with its paths and numbers blanked: what a rendering must leave alone."""
    return re.sub(r"\d+", "N", re.sub(r"/[^\s;]*", "PATH", line))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def has_ipv6() -> bool:
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::", 0))
        return True
    except OSError:
        return False


def self_signed(directory: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 (openssl, as Debian ships it)."""
    certificate, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", str(key), "-out", str(certificate)],
                   check=True, capture_output=True)
    return certificate, key


def require_nginx() -> None:
    """Debian's nginx, installed by ./scripts/test; mandatory in CI."""
    if Path(NGINX).exists():
        return
    message = f"{NGINX} is missing (apt-get install nginx; ./scripts/test does it as root)"
    if os.environ.get("CI", "").lower() in ("true", "1"):
        pytest.fail(message)
    pytest.skip(message)


def _hard_file_limit() -> int:
    import resource

    return resource.getrlimit(resource.RLIMIT_NOFILE)[1]


def main_conf(prefix: Path, site: Path, worker_connections: int = 1024) -> str:
    """What /etc/nginx/nginx.conf is on a server, kept under `prefix` (README: raise
    worker_connections to 4 x the live viewers per worker + 1024)."""
    user = f"user {pwd.getpwuid(os.geteuid()).pw_name};\n" if os.geteuid() == 0 else ""
    temp = "".join(f"    {kind}_temp_path {prefix}/temp/{kind};\n"
                   for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return (f"{user}worker_processes 1;\npid {prefix}/nginx.pid;\n"
            f"error_log {prefix}/logs/error.log info;\n"
            f"worker_rlimit_nofile {min(4 * worker_connections, _hard_file_limit())};\n"
            f"events {{ worker_connections {worker_connections}; }}\n"
            "http {\n    include /etc/nginx/mime.types;\n"
            "    default_type application/octet-stream;\n"
            f"{temp}    include {site};\n}}\n")


class Nginx:
    """nginx in the foreground on the rendered site, as the current user."""

    def __init__(self, directory: Path, http_ports: list[int], live_ports: list[int],
                 static_dir: Path = ROOT / "static", worker_connections: int = 1024):
        self.prefix = directory
        for sub in ("logs", "temp", "conf"):
            (directory / sub).mkdir(parents=True, exist_ok=True)
        certificate, key = self_signed(directory / "conf")
        self.layout = Layout(http_ports, live_ports, free_port(), free_port(), static_dir,
                             certificate, key, directory / "logs", has_ipv6())
        self.site = directory / "conf" / "crunchtime.conf"
        self.site.write_text(render(SITE.read_text(), self.layout))
        self.conf = directory / "conf" / "nginx.conf"
        self.conf.write_text(main_conf(directory, self.site, worker_connections))
        self.url = f"https://127.0.0.1:{self.layout.tls_port}"
        self.process: subprocess.Popen | None = None

    def command(self, *extra: str) -> list[str]:
        return [NGINX, "-p", str(self.prefix), "-c", str(self.conf), *extra]

    def start(self) -> Nginx:
        check = subprocess.run(self.command("-t"), capture_output=True, text=True)
        assert check.returncode == 0, check.stderr
        self.process = subprocess.Popen(self.command("-g", "daemon off;"),
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.time() + 10
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.layout.tls_port), 0.5).close()
                return self
            except OSError:
                assert self.process.poll() is None, self.process.stderr.read().decode()
                time.sleep(0.05)
        raise RuntimeError("nginx did not listen")

    def access_log(self, containing: str = "", timeout: float = 5) -> str:
        """The site's access log, once it holds `containing` (nginx writes a line when the
        request ends, just after the client has its answer)."""
        path = self.layout.log_dir / "crunchtime.access.log"
        deadline = time.time() + timeout
        while True:
            text = path.read_text() if path.exists() else ""
            if containing in text or time.time() > deadline:
                return text
            time.sleep(0.05)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
