"""The outbox's words: a message's state, why a mail failed, what a resend did."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from crunchtime.services.mail import transport

ERROR_LABELS = {
    transport.UNAVAILABLE: _l("The SMTP server cannot be reached"),
    transport.TLS: _l("The secure connection (TLS) to the SMTP server failed: check "
                      "MAIL_USE_SSL, MAIL_USE_TLS and MAIL_PORT"),
    transport.LOGIN: _l("The SMTP server refused the login: check MAIL_USERNAME and "
                        "MAIL_PASSWORD"),
    transport.DISCONNECTED: _l("The SMTP server closed the connection"),
    transport.TEMPORARY: _l("The SMTP server refused the mail for now"),
    transport.REFUSED: _l("The SMTP server refused the mail for good (an unknown address?)"),
    transport.BROKEN: _l("The mail could not be written out"),
}

STATUS_FILTERS = {
    "all": _l("All"),
    "waiting": _l("Waiting"),
    "failed": _l("Failed"),
    "sent": _l("Sent"),
}


def mail_error(error: str) -> str:
    """A stored error (`code: server's reply`) as organisers read it."""
    code, _sep, detail = (error or "").partition(": ")
    label = ERROR_LABELS.get(code)
    if label is None:
        return error or ""
    return f"{label} ({detail})" if detail else str(label)


def gave_up(attempts: int) -> str:
    return ngettext("Given up after %(num)d attempt.", "Given up after %(num)d attempts.",
                    attempts)


def resent_one(email: str) -> str:
    return _("The message to %(email)s is queued again.", email=email)


def resent_failed(count: int) -> str:
    if not count:
        return _("No failed message to send again.")
    return ngettext("%(num)d failed message is queued again.",
                    "%(num)d failed messages are queued again.", count)


ALREADY_SENT = _l("This message was already sent.")
NO_SUCH_MESSAGE = _l("There is no such message in the outbox.")
