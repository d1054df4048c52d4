"""Configuration read from the environment (every variable is listed in README.md)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

ENVIRONMENTS = ("development", "testing", "production")


class ConfigError(RuntimeError):
    """The configuration cannot start the app; the message says what to set."""


def _flag(value: str | None, default: bool = False) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(environ, name: str, default: int) -> int:
    raw = environ.get(name)
    if raw in (None, ""):
        return default
    try:
        return int(raw)
    except ValueError as error:
        raise ConfigError(f"{name} must be an integer, got {raw!r}.") from error


LOG_FORMATS = ("text", "json")
SECOND_FACTOR_POLICIES = ("optional", "required")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


def _choice(environ, name: str, choices: tuple[str, ...]) -> str:
    """A setting among `choices` (the first when unset)."""
    value = (environ.get(name) or choices[0]).strip().lower()
    if value not in choices:
        raise ConfigError(f"{name} must be one of {', '.join(choices)}, got {value!r}.")
    return value


def _log_level(value: str | None) -> str:
    level = (value or "INFO").strip().upper()
    if level not in LOG_LEVELS:
        raise ConfigError(f"LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, got {value!r}.")
    return level


def _list(value: str | None) -> list[str]:
    """A comma-separated setting as a list of its non-empty items."""
    return [item.strip() for item in (value or "").split(",") if item.strip()]


def _base_url(value: str | None) -> str | None:
    """A server's base URL, ending with one slash (CAS paths are relative to it)."""
    value = (value or "").strip()
    return value.rstrip("/") + "/" if value else None


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def normalise_database_url(url: str) -> str:
    """Accept the usual postgres:// spellings and pick the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _development_secret(instance_path: Path) -> str:
    """A random key kept in instance/ so development sessions survive a restart."""
    key_file = instance_path / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


def load_config(instance_path: str | Path, environ=None) -> dict:
    """Build the Flask config mapping from environment variables."""
    environ = os.environ if environ is None else environ
    instance_path = Path(instance_path)
    env = environ.get("CRUNCHTIME_ENV", "development").strip().lower()
    if env not in ENVIRONMENTS:
        raise ConfigError(
            f"CRUNCHTIME_ENV must be one of {', '.join(ENVIRONMENTS)}, got {env!r}."
        )
    secret_key = environ.get("SECRET_KEY", "")
    if not secret_key:
        if env == "production":
            raise ConfigError(
                "SECRET_KEY is not set: refusing to start in production without it "
                "(set SECRET_KEY to a long random string)."
            )
        secret_key = _development_secret(instance_path)
    database_url = environ.get("DATABASE_URL") or sqlite_url(instance_path / "crunchtime.db")
    upload_dir = Path(environ.get("UPLOAD_DIR") or instance_path / "uploads")
    return {
        "ENV_NAME": env,
        "SECRET_KEY": secret_key,
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(database_url),
        # SQL parameters (addresses, password hashes, session tokens) are kept out of the
        # logs and of the database errors' messages, which tracebacks print.
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True, "hide_parameters": True},
        "UPLOAD_DIR": str(upload_dir),
        "MAX_CONTENT_LENGTH": _int(environ, "MAX_REQUEST_MB", 120) * 1024 * 1024,
        "RETENTION_YEARS": _int(environ, "RETENTION_YEARS", 3),
        # Logs (crunchtime/logs.py): level of the root logger, "text" or "json" lines.
        "LOG_LEVEL": _log_level(environ.get("LOG_LEVEL")),
        "LOG_FORMAT": _choice(environ, "LOG_FORMAT", LOG_FORMATS),
        # Prometheus /metrics: 404 unless enabled; with a token, only `Bearer <token>` reads.
        "METRICS_ENABLED": _flag(environ.get("METRICS_ENABLED"), False),
        "METRICS_TOKEN": environ.get("METRICS_TOKEN") or None,
        # None: on, except when the app runs tests.
        "ANNOUNCEMENT_SCHEDULER": (_flag(environ["ANNOUNCEMENT_SCHEDULER"])
                                   if environ.get("ANNOUNCEMENT_SCHEDULER") else None),
        "CHALLENGE_ATTACHMENT_MAX_MB": _int(environ, "CHALLENGE_ATTACHMENT_MAX_MB", 10),
        "CHALLENGE_ATTACHMENTS_MAX": _int(environ, "CHALLENGE_ATTACHMENTS_MAX", 5),
        "SOCKETIO_MESSAGE_QUEUE": environ.get("SOCKETIO_MESSAGE_QUEUE") or None,
        # Live board (crunchtime/realtime): "process" computes rankings in a child process,
        # "inline" right after the commit (tests); empty: inline when TESTING, else process.
        "LIVE_BOARD_WORKER": environ.get("LIVE_BOARD_WORKER") or None,
        "LIVE_BATCH_MS": _int(environ, "LIVE_BATCH_MS", 50),
        "LIVE_PUBLIC_TOP": _int(environ, "LIVE_PUBLIC_TOP", 10),
        "LIVE_REPLAY_EVENTS": _int(environ, "LIVE_REPLAY_EVENTS", 200),
        "LIVE_REDIS_PREFIX": environ.get("LIVE_REDIS_PREFIX", "crunchtime:live"),
        # Pages of these origins (besides BASE_URL's) may open live connections; without an
        # explicit BASE_URL, outside production, a page of the server's own host may too.
        "LIVE_ALLOWED_ORIGINS": _list(environ.get("LIVE_ALLOWED_ORIGINS")),
        "LIVE_SAME_HOST_ORIGIN": not environ.get("BASE_URL") and env != "production",
        # Student self-registration only with these domains (subdomains included); empty: any.
        "STUDENT_EMAIL_DOMAINS": [domain.lower().lstrip("@") for domain in
                                  _list(environ.get("STUDENT_EMAIL_DOMAINS"))],
        # University sign-in (README "University sign-in"): CAS 3.0 when CAS_SERVER_URL is
        # set, OpenID Connect when OIDC_ISSUER (or OIDC_DISCOVERY_URL) and OIDC_CLIENT_ID are.
        "CAS_SERVER_URL": _base_url(environ.get("CAS_SERVER_URL")),
        "CAS_EMAIL_ATTRIBUTE": environ.get("CAS_EMAIL_ATTRIBUTE") or "mail",
        "OIDC_ISSUER": (environ.get("OIDC_ISSUER") or "").strip().rstrip("/") or None,
        "OIDC_DISCOVERY_URL": (environ.get("OIDC_DISCOVERY_URL") or "").strip() or None,
        "OIDC_CLIENT_ID": environ.get("OIDC_CLIENT_ID") or None,
        "OIDC_CLIENT_SECRET": environ.get("OIDC_CLIENT_SECRET") or None,
        "OIDC_EMAIL_CLAIM": environ.get("OIDC_EMAIL_CLAIM") or "email",
        "OIDC_SCOPES": environ.get("OIDC_SCOPES") or "openid email profile",
        # The university's name on the login page ("Université de …"), and whom a refused
        # university account is told to contact (an address; empty: the organisers).
        "SSO_DISPLAY_NAME": environ.get("SSO_DISPLAY_NAME") or "",
        "SSO_CONTACT": environ.get("SSO_CONTACT") or "",
        # Seconds a call to the provider (ticket validation, token, keys) may take.
        "SSO_TIMEOUT": _int(environ, "SSO_TIMEOUT", 10),
        "RATELIMIT_STORAGE_URI": environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_ENABLED": _flag(environ.get("RATELIMIT_ENABLED"), True),
        "RATELIMIT_HEADERS_ENABLED": True,
        # A campus NAT puts 1,700 students behind one address: per-address limits are wide
        # and logins count only failures. Guessing is stopped per (account, address); the
        # account's own bound is much higher, so that an outsider failing from a few addresses
        # cannot lock a jury out during judging.
        "RATELIMIT_LOGIN_FAILURES_PER_ACCOUNT_ADDRESS": environ.get(
            "RATELIMIT_LOGIN_FAILURES_PER_ACCOUNT_ADDRESS", "5 per minute;20 per hour"
        ),
        "RATELIMIT_LOGIN_FAILURES_PER_ACCOUNT": environ.get(
            "RATELIMIT_LOGIN_FAILURES_PER_ACCOUNT", "300 per hour"
        ),
        "RATELIMIT_LOGIN_FAILURES_PER_ADDRESS": environ.get(
            "RATELIMIT_LOGIN_FAILURES_PER_ADDRESS", "300 per minute;3000 per hour"
        ),
        "RATELIMIT_ACCOUNT_CREATION_PER_ADDRESS": environ.get(
            "RATELIMIT_ACCOUNT_CREATION_PER_ADDRESS", "2500 per hour"
        ),
        "RATELIMIT_REGISTRATION_ATTEMPTS_PER_ADDRESS": environ.get(
            "RATELIMIT_REGISTRATION_ATTEMPTS_PER_ADDRESS", "20000 per hour"
        ),
        "RATELIMIT_RESET_REQUESTS_PER_ACCOUNT": environ.get(
            "RATELIMIT_RESET_REQUESTS_PER_ACCOUNT", "5 per hour"
        ),
        # Mails a registration or a "send the link again" sends to one address.
        "RATELIMIT_VERIFICATION_MAILS_PER_ACCOUNT": environ.get(
            "RATELIMIT_VERIFICATION_MAILS_PER_ACCOUNT", "5 per hour"
        ),
        # Wrong friend-group codes: guessing a group is throttled per student and per address.
        "RATELIMIT_GROUP_JOIN_FAILURES_PER_ACCOUNT": environ.get(
            "RATELIMIT_GROUP_JOIN_FAILURES_PER_ACCOUNT", "10 per hour"
        ),
        "RATELIMIT_GROUP_JOIN_FAILURES_PER_ADDRESS": environ.get(
            "RATELIMIT_GROUP_JOIN_FAILURES_PER_ADDRESS", "200 per hour"
        ),
        # Wrong second-factor codes: per account (whatever the address: 10^6 codes are few)
        # and per address.
        "RATELIMIT_SECOND_FACTOR_FAILURES_PER_ACCOUNT": environ.get(
            "RATELIMIT_SECOND_FACTOR_FAILURES_PER_ACCOUNT", "5 per minute;20 per hour"
        ),
        "RATELIMIT_SECOND_FACTOR_FAILURES_PER_ADDRESS": environ.get(
            "RATELIMIT_SECOND_FACTOR_FAILURES_PER_ADDRESS", "100 per minute;1000 per hour"
        ),
        # Two-step verification (TOTP): "required" makes organisers enrol before anything
        # else; juries and companies may always turn it on.
        "ORGANIZER_2FA": _choice(environ, "ORGANIZER_2FA", SECOND_FACTOR_POLICIES),
        "MAIL_SERVER": environ.get("MAIL_SERVER") or None,
        # Implicit TLS (SMTPS, port 465) when MAIL_USE_SSL; else STARTTLS when MAIL_USE_TLS.
        "MAIL_USE_SSL": _flag(environ.get("MAIL_USE_SSL")),
        "MAIL_PORT": _int(environ, "MAIL_PORT",
                          465 if _flag(environ.get("MAIL_USE_SSL")) else 587),
        "MAIL_USERNAME": environ.get("MAIL_USERNAME") or None,
        "MAIL_PASSWORD": environ.get("MAIL_PASSWORD") or None,
        "MAIL_USE_TLS": _flag(environ.get("MAIL_USE_TLS"), True),
        # A CA bundle to check the SMTP server's certificate with (a university's own CA).
        "MAIL_TLS_CA_FILE": environ.get("MAIL_TLS_CA_FILE") or None,
        "MAIL_TIMEOUT": _int(environ, "MAIL_TIMEOUT", 30),
        "MAIL_FROM": environ.get("MAIL_FROM", "Crunch Time <crunchtime@localhost>"),
        # The background sender of the outbox queue. None: on, except when the app runs tests.
        "MAIL_SENDER": (_flag(environ["MAIL_SENDER"])
                        if environ.get("MAIL_SENDER") else None),
        "MAIL_SENDER_INTERVAL": _int(environ, "MAIL_SENDER_INTERVAL", 5),
        "MAIL_BATCH_SIZE": _int(environ, "MAIL_BATCH_SIZE", 100),
        # A mail not sent is tried again after 30 s, 1 min, 2 min… (at most an hour apart),
        # and given up after MAIL_MAX_ATTEMPTS attempts (about 8 hours with these values).
        "MAIL_RETRY_SECONDS": _int(environ, "MAIL_RETRY_SECONDS", 30),
        "MAIL_RETRY_MAX_SECONDS": _int(environ, "MAIL_RETRY_MAX_SECONDS", 3600),
        "MAIL_MAX_ATTEMPTS": _int(environ, "MAIL_MAX_ATTEMPTS", 15),
        "BASE_URL": environ.get("BASE_URL", "http://127.0.0.1:5000").rstrip("/"),
        "BEHIND_PROXY": _int(environ, "BEHIND_PROXY", 0),
        # Seconds the pitch schedule's solver may take when an organiser computes it.
        "SCHEDULE_TIME_LIMIT_SECONDS": _int(environ, "SCHEDULE_TIME_LIMIT_SECONDS", 30),
        "SESSION_COOKIE_SECURE": _flag(environ.get("SESSION_COOKIE_SECURE"), False),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "PERMANENT_SESSION_LIFETIME": _int(environ, "SESSION_HOURS", 12) * 3600,
        # The cookie is re-sent only when the session changed: a page's background fetch
        # still in flight at logout would otherwise put the signed-in cookie back.
        "SESSION_REFRESH_EACH_REQUEST": False,
        "PASSWORD_HASH_PROFILE": "fast-tests" if env == "testing" else "owasp",
        "BABEL_DEFAULT_LOCALE": "fr",
        "BABEL_DEFAULT_TIMEZONE": "Europe/Paris",
        "WTF_CSRF_TIME_LIMIT": None,
        "TESTING": env == "testing",
        "DEBUG": False,
    }
