"""Pages for everyone: home, privacy, language switch; for the operators, whether the process
lives (/health), whether it can serve (/ready) and its Prometheus metrics (/metrics)."""

from __future__ import annotations

import hmac

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
)
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user

from crunchtime.access import safe_next_or_home
from crunchtime.errors import InvalidInput
from crunchtime.i18n import LANGUAGES
from crunchtime.metrics import render_metrics
from crunchtime.services.accounts import settings as account_settings
from crunchtime.services.editions.current import current_edition
from crunchtime.services.editions.health import mail_backlog_or_none, readiness

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
    """For process supervisors: 200 while the process answers; touches nothing slow."""
    return jsonify(status="ok")


@blueprint.route("/ready")
def ready():
    """For load balancers and monitoring: each check, 503 when one fails."""
    ok, checks = readiness(current_app._get_current_object())
    response = jsonify(status="ready" if ok else "not ready", checks=checks)
    response.status_code = 200 if ok else 503
    response.headers["Cache-Control"] = "no-store"
    return response


@blueprint.route("/metrics")
def metrics():
    """Prometheus, this process' metrics: absent unless METRICS_ENABLED; with METRICS_TOKEN,
    only for `Authorization: Bearer <token>`."""
    config = current_app.config
    if not config.get("METRICS_ENABLED"):
        abort(404)
    token = config.get("METRICS_TOKEN")
    given = request.headers.get("Authorization", "")
    if token and not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        abort(401)
    body, content_type = render_metrics(mail_backlog_or_none())
    return body, 200, {"Content-Type": content_type, "Cache-Control": "no-store"}
