"""The second step of a login (a code, or a recovery code) and, for an organiser who must
have one, the enrolment that stands in for it. Both end in a fresh session."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from crunchtime.access import home_endpoint, safe_next_or_home
from crunchtime.services.accounts import remembered_devices, second_factor
from crunchtime.views.accounts.auth.completion import (
    drop_pending_login,
    finish_login,
    open_session,
    pending_login,
)
from crunchtime.views.accounts.two_factor.forms import EnrolForm, VerifyForm
from crunchtime.views.accounts.two_factor.limits import limit_code_failures, mark_code_rejected
from crunchtime.views.forms import attach_error

blueprint = Blueprint("two_factor", __name__)


def _login_again():
    drop_pending_login()
    flash(_("Your login was interrupted or took more than 10 minutes: please log in again."),
          "info")
    return redirect(url_for("auth.login"))


def set_device_cookie(response, value: str, max_age: int) -> None:
    response.set_cookie(
        remembered_devices.DEVICE_COOKIE, value, max_age=max_age, httponly=True, samesite="Lax",
        secure=request.is_secure or current_app.config["SESSION_COOKIE_SECURE"],
    )


def recovery_codes_page(codes: list[str], continue_url: str, first_time: bool):
    """Shown once, never cached: only the hashes are kept."""
    response = make_response(render_template(
        "accounts/two_factor/recovery_codes.html", codes=codes, continue_url=continue_url,
        first_time=first_time, codes_text="\n".join(codes) + "\n"))
    response.headers["Cache-Control"] = "no-store"
    return response


@blueprint.route("/login/verify", methods=["GET", "POST"])
@limit_code_failures
def verify():
    if current_user.is_authenticated:
        return redirect(url_for(home_endpoint(current_user)))
    pending = pending_login()
    if pending is None:
        return _login_again()
    if not second_factor.is_enrolled(pending.user):
        return redirect(url_for("two_factor.enrol_at_login"))
    form = VerifyForm()
    if not pending.remember_device_ok:
        del form.remember
    if form.validate_on_submit():
        try:
            method = second_factor.verify_code(pending.user, form.code.data)
        except second_factor.CodeRejected as error:
            mark_code_rejected()
            attach_error(form, error)
        else:
            return _verified(pending, method, form)
    return render_template("accounts/two_factor/verify.html", form=form, user=pending.user)


def _verified(pending, method: str, form: VerifyForm):
    response = finish_login(pending.user, pending.method, pending.next_url,
                            pending.session_extras)
    if "remember" in form and form.remember.data:
        set_device_cookie(response, *remembered_devices.remember_device(pending.user))
    if method == "recovery":
        left = second_factor.recovery_codes_left(pending.user)
        flash(ngettext("You used a recovery code: it no longer works. %(num)d code left; make "
                       "new ones in your account settings.",
                       "You used a recovery code: it no longer works. %(num)d codes left; make "
                       "new ones in your account settings.", left), "warning")
    return response


@blueprint.route("/login/setup", methods=["GET", "POST"])
@limit_code_failures
def enrol_at_login():
    """Organisers must have a second factor (ORGANIZER_2FA=required): the first login after
    that sets it up before any page opens."""
    if current_user.is_authenticated:
        return redirect(url_for(home_endpoint(current_user)))
    pending = pending_login()
    if pending is None:
        return _login_again()
    user = pending.user
    if second_factor.is_enrolled(user):
        return redirect(url_for("two_factor.verify"))
    if not second_factor.must_enrol(user):
        return finish_login(user, pending.method, pending.next_url, pending.session_extras)
    enrolment = second_factor.begin_enrolment(user)
    form = EnrolForm()
    if form.validate_on_submit():
        try:
            codes = second_factor.confirm_enrolment(user, form.code.data)
        except second_factor.CodeRejected as error:
            mark_code_rejected()
            attach_error(form, error)
        else:
            open_session(user, pending.method, pending.session_extras)
            return recovery_codes_page(codes, safe_next_or_home(pending.next_url, user), True)
    return render_template("accounts/two_factor/enrol.html", form=form, enrolment=enrolment,
                           at_login=True, user=user)
