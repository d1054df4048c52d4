"""The server's settings, in one place: `gunicorn -c gunicorn.conf.py` (./scripts/run, the
systemd units in deploy/, the benchmarks and the tests that start real servers all use it).

One gevent worker per process: Flask-SocketIO keeps a live connection in the process that
accepted it, so a machine runs several processes (deploy/systemd), not several workers.
The address comes from GUNICORN_BIND, else HOST and PORT (default 127.0.0.1:5000); a command
line `--bind` or application argument overrides these settings."""

import os
import re

from gunicorn.glogging import Logger

wsgi_app = "crunchtime.wsgi:app"
worker_class = "gevent"
workers = 1
# gunicorn's default of 1,000 makes the 1,001st browser of the live board hang.
worker_connections = int(os.environ.get("GUNICORN_WORKER_CONNECTIONS", "3000"))
# Connections the kernel holds until the worker accepts them. While a killed fan-out boots
# again, its 2,000 viewers wait there (nginx connected them): 2,004 of gunicorn's default
# 2,048 in the rehearsal, and one more would have been dropped and retried seconds later.
backlog = 4096
# On a restart, requests in flight get this long; live sockets reconnect to the new process.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "5"))
bind = [os.environ.get("GUNICORN_BIND")
        or f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '5000')}"]
# Addresses whose X-Forwarded-Proto gunicorn believes (the app's own ProxyFix, on when
# BEHIND_PROXY is set, reads X-Forwarded-For/-Proto/-Host): nginx on the same machine.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# gunicorn 25+ opens a control socket at one path per user: the several processes of a
# machine would take it from one another (older versions ignore the setting).
control_socket_disable = True

# The access log: no client address, referrer or user agent (nginx's log holds the address,
# and a referrer may carry a token), the path without its query string, tokens in the path
# masked; the request id that nginx sent or the app made, as in the app's own lines.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
access_log_format = ('%(t)s access %(m)s %(U)s %(s)s %(b)s %(M)sms '
                     'request_id=%({x-request-id}o)s')

TOKEN_PATHS = re.compile(r"(/(?:password/reset|invitation|email/verify)/)[^/]+")
LONG_SEGMENT = re.compile(r"(?<=/)[A-Za-z0-9._~=-]{32,}")


def masked_path(path: str) -> str:
    """The path with the tokens of e-mailed links (and any token-like segment) masked."""
    return LONG_SEGMENT.sub("***", TOKEN_PATHS.sub(r"\1***", path or ""))


class AccessLogger(Logger):
    """gunicorn's logger, with tokens masked in the path it logs."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        atoms["U"] = masked_path(atoms.get("U"))
        atoms["r"] = "-"  # the raw request line (query and token included) is never logged
        return atoms


logger_class = AccessLogger
