"""Pages for everyone: home, privacy, language switch, health check."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, flash, jsonify, redirect, render_template, request, session
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user

from crunchtime.access import safe_next_or_home
from crunchtime.errors import InvalidInput
from crunchtime.extensions import db
from crunchtime.i18n import LANGUAGES
from crunchtime.services.accounts import settings as account_settings
from crunchtime.services.editions.current import current_edition

blueprint = Blueprint("public", __name__)


@blueprint.route("/")
def index():
    return render_template("editions/public/index.html", edition=current_edition())


@blueprint.route("/privacy")
def privacy():
    return render_template("editions/public/privacy.html")


@blueprint.route("/language", methods=["POST"])
def set_language():
    locale = (request.form.get("locale") or "").strip()
    if locale not in LANGUAGES:
        raise InvalidInput(
            _("Unknown language “%(code)s”: choose Français or English.", code=locale[:10])
        )
    session["locale"] = locale
    if current_user.is_authenticated:
        account_settings.set_locale(current_user, locale)
    with force_locale(locale):
        flash(_("Language changed."), "success")
    return redirect(safe_next_or_home(request.form.get("next"), current_user))


@blueprint.route("/health")
def health():
    """For load balancers: 200 when the database answers."""
    db.session.execute(sa.text("SELECT 1"))
    return jsonify(status="ok")
