"""Signing in with a university account: CAS 3.0 and OpenID Connect, each on when configured
(README "University sign-in"). The callbacks end like a password login (complete_login:
second factor when required, fresh session); logout also ends the provider's session.
And the organisers' page that keeps students off passwords."""

from __future__ import annotations

import logging
import time

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import BooleanField, SubmitField

from crunchtime.access import home_endpoint, is_safe_next, role_required
from crunchtime.errors import DomainError
from crunchtime.extensions import limiter
from crunchtime.security.sso import SignInFailed, cas, oidc
from crunchtime.services.accounts import university
from crunchtime.views.accounts.auth.completion import METHOD_KEY, complete_login
from crunchtime.views.forms import EmptyForm

blueprint = Blueprint("sso", __name__)
log = logging.getLogger(__name__)

PENDING_KEY = "sso_pending"
ID_TOKEN_KEY = "sso_id_token"  # noqa: S105 (the session key that holds it)
# A round trip through the provider's login page: typing a password, perhaps a second factor.
PENDING_SECONDS = 15 * 60
CALLBACKS_PER_ADDRESS = "120 per minute"

PROBLEMS = {
    "unavailable": (502, _l("The university sign-in service did not answer. Try again in a "
                            "moment, or sign in with your e-mail address and password.")),
    "rejected": (400, _l("The university sign-in could not be confirmed (an expired or "
                         "already used ticket). Please start again.")),
    "state": (400, _l("This sign-in answer does not belong to a sign-in started in this "
                      "browser, or it came too late. Please start again.")),
    "token": (400, _l("The university's answer could not be verified, so it was ignored. "
                      "Please start again; if it keeps failing, contact the organisers.")),
    "denied": (403, _l("The sign-in was cancelled or refused by the university service.")),
    "no_email": (403, _l("The university service did not give your e-mail address, which "
                         "Crunch Time needs to find your account.")),
}


def cas_enabled() -> bool:
    return bool(current_app.config.get("CAS_SERVER_URL"))


def oidc_provider() -> oidc.Provider | None:
    config = current_app.config
    if not (config.get("OIDC_ISSUER") or config.get("OIDC_DISCOVERY_URL")) \
            or not config.get("OIDC_CLIENT_ID"):
        return None
    return oidc.Provider(
        issuer=config.get("OIDC_ISSUER"), discovery_url=config.get("OIDC_DISCOVERY_URL"),
        client_id=config["OIDC_CLIENT_ID"], client_secret=config.get("OIDC_CLIENT_SECRET"),
        scopes=config["OIDC_SCOPES"], email_claim=config["OIDC_EMAIL_CLAIM"],
        timeout=config["SSO_TIMEOUT"])


def _remember_start(provider: str, **data) -> None:
    next_url = request.args.get("next")
    session[PENDING_KEY] = {"provider": provider, "until": int(time.time()) + PENDING_SECONDS,
                            "next": next_url if is_safe_next(next_url) else None, **data}


def _take_pending(provider: str) -> dict | None:
    """The sign-in this browser started with `provider`, once (None if none or too old)."""
    data = session.pop(PENDING_KEY, None)
    if not isinstance(data, dict) or data.get("provider") != provider \
            or data.get("until", 0) < time.time():
        return None
    return data


def _problem(reason: str, provider: str):
    status, message = PROBLEMS.get(reason, PROBLEMS["rejected"])
    return render_template("accounts/sso/problem.html", message=message, provider=provider,
                           reason=reason), status


def _failed(error: SignInFailed, provider: str):
    log.warning("university sign-in (%s) failed: %s", provider, error)
    return _problem(error.reason, provider)


def _refused(error: university.UniversityAccountRefused):
    contact = current_app.config.get("SSO_CONTACT") or ""
    return render_template("accounts/sso/refused.html", message=error.message,
                           reason=error.reason, email=error.email, contact=contact), 403


def _signed_in(assertion, pending: dict, extras: dict | None = None):
    try:
        user = university.sign_in_university(assertion)
    except university.UniversityAccountRefused as error:
        return _refused(error)
    return complete_login(user, assertion.provider, pending.get("next"),
                          session_extras=extras or {})


def _already_signed_in():
    return redirect(url_for(home_endpoint(current_user)))


@blueprint.route("/sso/cas")
def cas_login():
    if not cas_enabled():
        return _problem("unavailable", "cas")
    if current_user.is_authenticated:
        return _already_signed_in()
    _remember_start("cas")
    service = url_for("sso.cas_callback", _external=True)
    return redirect(cas.login_url(current_app.config["CAS_SERVER_URL"], service))


@blueprint.route("/sso/cas/callback")
@limiter.limit(CALLBACKS_PER_ADDRESS)
def cas_callback():
    """The CAS server sends the browser back here with a ticket, validated for this very
    service URL; only a sign-in this browser started is completed (no login CSRF)."""
    if not cas_enabled():
        return _problem("unavailable", "cas")
    pending = _take_pending("cas")
    if pending is None:
        return _problem("state", "cas")
    config = current_app.config
    try:
        assertion = cas.validate_ticket(
            config["CAS_SERVER_URL"], url_for("sso.cas_callback", _external=True),
            request.args.get("ticket", ""), config["CAS_EMAIL_ATTRIBUTE"],
            config["SSO_TIMEOUT"])
    except SignInFailed as error:
        return _failed(error, "cas")
    return _signed_in(assertion, pending)


@blueprint.route("/sso/oidc")
def oidc_login():
    provider = oidc_provider()
    if provider is None:
        return _problem("unavailable", "oidc")
    if current_user.is_authenticated:
        return _already_signed_in()
    try:
        url, pending = oidc.start(provider, url_for("sso.oidc_callback", _external=True))
    except SignInFailed as error:
        return _failed(error, "oidc")
    _remember_start("oidc", **pending)
    return redirect(url)


@blueprint.route("/sso/oidc/callback")
@limiter.limit(CALLBACKS_PER_ADDRESS)
def oidc_callback():
    provider = oidc_provider()
    if provider is None:
        return _problem("unavailable", "oidc")
    pending = _take_pending("oidc")
    try:
        assertion, id_token = oidc.finish(provider, pending, request.args)
    except SignInFailed as error:
        return _failed(error, "oidc")
    return _signed_in(assertion, pending, {ID_TOKEN_KEY: id_token})


def university_logout_url() -> str | None:
    """Where logout sends the browser to end the provider's session too (single logout),
    when this session began there and the provider offers it; read before the session is
    cleared."""
    method = session.get(METHOD_KEY)
    back = url_for("public.index", _external=True)
    if method == "cas" and cas_enabled():
        return cas.logout_url(current_app.config["CAS_SERVER_URL"], back)
    provider = oidc_provider() if method == "oidc" else None
    if provider is not None:
        return oidc.logout_url(provider, session.get(ID_TOKEN_KEY), back)
    return None


class StudentPasswordsForm(EmptyForm):
    allowed = BooleanField(_l("Students may also sign in with a password"))
    submit = SubmitField(_l("Save"))


@blueprint.route("/organizer/sign-in", methods=["GET", "POST"])
@role_required("organizer")
def settings():
    """Organisers choose whether students may still use passwords besides their university
    account (companies and external juries always may)."""
    allowed = university.student_passwords_allowed()
    form = StudentPasswordsForm(data={"allowed": allowed})
    if form.validate_on_submit():
        try:
            university.set_student_password_login(current_user, form.allowed.data)
        except DomainError as error:
            flash(error.message, "error")
        else:
            flash(_("Saved: students may sign in with a password.") if form.allowed.data
                  else _("Saved: students sign in only with their university account."),
                  "success")
            return redirect(url_for("sso.settings"))
    return render_template("accounts/sso/settings.html", form=form, allowed=allowed,
                           cas_enabled=cas_enabled(), oidc_enabled=oidc_provider() is not None,
                           sso_enabled=university.sso_enabled())
