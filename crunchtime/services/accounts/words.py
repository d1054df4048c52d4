"""The accounts area's words: roles, kinds of organisation, and the messages of password and
account-link checks."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from crunchtime.security import passwords

ROLE_LABELS = {
    "student": _l("Student"),
    "company": _l("Partner organisation"),
    "jury": _l("Jury"),
    "organizer": _l("Organiser"),
}


ORGANISATION_KIND_LABELS = {
    "company": _l("Company"),
    "public_body": _l("Public body"),
    "lab": _l("Research lab"),
    "association": _l("Association"),
}


def password_weakness_message(reason: str) -> str:
    return {
        "too_short": _(
            "The password must have at least %(n)d characters.", n=passwords.MIN_LENGTH
        ),
        "too_long": _("The password must have at most %(n)d characters.", n=passwords.MAX_LENGTH),
        "too_common": _("This password is too common or too simple; choose another one."),
        "personal": _("The password must not contain your name or your e-mail address."),
    }[reason]


def token_problem_message(reason: str) -> str:
    return {
        "expired": _("This link has expired. Ask for a new one."),
        "used": _("This link has already been used. Ask for a new one if you need it."),
        "invalid": _("This link is not valid. Check that you copied it completely."),
    }[reason]
