"""Organisers who must have a second factor (ORGANIZER_2FA=required) and have none reach
only its set-up, their language and logging out: a session opened before the rule (or before
a reset) cannot go around it. Logins already pass through the set-up (completion.py)."""

from __future__ import annotations

from flask import current_app, flash, jsonify, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from crunchtime.access import wants_json
from crunchtime.services.accounts import second_factor

OPEN_ENDPOINTS = frozenset({
    "two_factor.enrol", "two_factor.settings", "auth.logout", "public.set_language", "static",
})


# The juries' score events: jury accounts only, and they read the account in their write group
# (services/judging/ledger), with no query before it.
OPEN_BLUEPRINTS = frozenset({"jury_api"})


def require_second_factor_enrolment():
    """Before any request: nothing to check (and no account read) unless the rule is on."""
    if current_app.config.get("ORGANIZER_2FA") != "required":
        return None
    if request.endpoint is None or request.endpoint in OPEN_ENDPOINTS \
            or request.blueprint in OPEN_BLUEPRINTS:
        return None
    if not current_user.is_authenticated or not second_factor.must_enrol(current_user):
        return None
    message = _("Organisers must set up two-step verification before using Crunch Time.")
    if wants_json():
        return jsonify(error="second_factor_required", message=message), 403
    flash(message, "info")
    return redirect(url_for("two_factor.enrol"))
