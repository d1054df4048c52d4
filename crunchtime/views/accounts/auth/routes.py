"""Registration (and the verification of its address), login, logout, forgotten passwords and
invitations."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user, logout_user

from crunchtime.access import home_endpoint
from crunchtime.errors import DomainError
from crunchtime.extensions import limiter
from crunchtime.services.accounts import registration, sessions, sign_in
from crunchtime.services.accounts.university import PasswordLoginClosed
from crunchtime.views.accounts.auth.completion import complete_login
from crunchtime.views.accounts.auth.forms import (
    CompanyRegistrationForm,
    ConfirmEmailForm,
    ForgotPasswordForm,
    LoginForm,
    ResendVerificationForm,
    SetPasswordForm,
    StudentRegistrationForm,
)
from crunchtime.views.accounts.sso import university_logout_url
from crunchtime.views.forms import attach_error

blueprint = Blueprint("auth", __name__)


def configured_limit(name: str):
    """Limits come from the config (RATELIMIT_* in config.py) so deployments can tune them."""
    return lambda: current_app.config[name]


LOGIN_FAILURES_PER_ACCOUNT_ADDRESS = configured_limit(
    "RATELIMIT_LOGIN_FAILURES_PER_ACCOUNT_ADDRESS")
LOGIN_FAILURES_PER_ACCOUNT = configured_limit("RATELIMIT_LOGIN_FAILURES_PER_ACCOUNT")
LOGIN_FAILURES_PER_ADDRESS = configured_limit("RATELIMIT_LOGIN_FAILURES_PER_ADDRESS")
REGISTRATIONS_PER_ADDRESS = configured_limit("RATELIMIT_ACCOUNT_CREATION_PER_ADDRESS")
REGISTRATION_ATTEMPTS_PER_ADDRESS = configured_limit("RATELIMIT_REGISTRATION_ATTEMPTS_PER_ADDRESS")
RESET_REQUESTS_PER_ACCOUNT = configured_limit("RATELIMIT_RESET_REQUESTS_PER_ACCOUNT")
VERIFICATION_MAILS_PER_ACCOUNT = configured_limit("RATELIMIT_VERIFICATION_MAILS_PER_ACCOUNT")


def submitted_email() -> str:
    return "account:" + (request.form.get("email") or "").strip().lower()


def submitted_email_and_address() -> str:
    """One account tried from one address: what guessing is throttled on first."""
    return f"{submitted_email()}|address:{get_remote_address()}"


def limit_verification_mails(deduct_when=None):
    """Mails to one address (verification links, "you already have an account") from the
    registration forms and "send the link again", counted together."""
    return limiter.shared_limit(VERIFICATION_MAILS_PER_ACCOUNT, scope="verification-mail",
                                key_func=submitted_email, methods=["POST"],
                                deduct_when=deduct_when)


def login_failed(_response) -> bool:
    return g.get("login_failed", False)


def account_saved(response) -> bool:
    """Only an account created or a password set (a redirect after success) uses the budget:
    1,700 students behind one NAT retrying forms with errors must not exhaust it."""
    return response.status_code == 302 and g.get("account_saved", False)


def limit_account_writes(view):
    """Per address: successful creations/password settings, plus a wide guard on every POST
    (failed forms are cheap: they are refused before any password is hashed)."""
    view = limiter.limit(REGISTRATIONS_PER_ADDRESS, methods=["POST"],
                         deduct_when=account_saved)(view)
    return limiter.limit(REGISTRATION_ATTEMPTS_PER_ADDRESS, methods=["POST"],
                         scope="attempts")(view)


def _register(form, register, template: str):
    """A new address and a taken one get the same answer: the mail tells its owner which."""
    if current_user.is_authenticated:
        return redirect(url_for(home_endpoint(current_user)))
    if form.validate_on_submit():
        try:
            register(form)
        except DomainError as error:
            attach_error(form, error)
        else:
            g.account_saved = True
            flash(_("We sent a message to %(email)s: open the link it contains to confirm your "
                    "address, then log in. The link is valid for 7 days.",
                    email=registration.normalise_email(form.email.data)), "info")
            return redirect(url_for("auth.login"))
    return render_template(template, form=form)


@blueprint.route("/register/student", methods=["GET", "POST"])
@limit_account_writes
@limit_verification_mails(deduct_when=account_saved)
def register_student():
    return _register(
        StudentRegistrationForm(),
        lambda form: registration.register_student(
            form.email.data, form.first_name.data, form.last_name.data, form.password.data,
            str(get_locale()),
        ),
        "accounts/auth/register_student.html",
    )


@blueprint.route("/register/company", methods=["GET", "POST"])
@limit_account_writes
@limit_verification_mails(deduct_when=account_saved)
def register_company():
    return _register(
        CompanyRegistrationForm(),
        lambda form: registration.register_company(
            form.email.data, form.first_name.data, form.last_name.data, form.password.data,
            form.organisation.data, form.organisation_kind.data, str(get_locale()),
        ),
        "accounts/auth/register_company.html",
    )


@blueprint.route("/login", methods=["GET", "POST"])
@limiter.limit(
    LOGIN_FAILURES_PER_ACCOUNT_ADDRESS, methods=["POST"], key_func=submitted_email_and_address,
    deduct_when=login_failed,
)
@limiter.limit(
    LOGIN_FAILURES_PER_ACCOUNT, methods=["POST"], key_func=submitted_email,
    deduct_when=login_failed,
)
@limiter.limit(LOGIN_FAILURES_PER_ADDRESS, methods=["POST"], deduct_when=login_failed)
def login():
    """Failures are throttled per (account, address) first, then per account with a much
    higher bound (an outsider cannot lock a jury out), then per address."""
    if current_user.is_authenticated:
        return redirect(url_for(home_endpoint(current_user)))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = sign_in.authenticate(form.email.data, form.password.data)
        except sign_in.EmailNotVerified as error:
            form.form_errors.append(error.message)
            return render_template("accounts/auth/login.html", form=form,
                                   resend_form=ResendVerificationForm())
        except PasswordLoginClosed as error:
            form.form_errors.append(error.message)
            return render_template("accounts/auth/login.html", form=form)
        if user is not None:
            return complete_login(user, "password", request.args.get("next"))
        g.login_failed = True
        form.form_errors.append(_("E-mail address or password incorrect."))
    return render_template("accounts/auth/login.html", form=form)


@blueprint.route("/logout", methods=["POST"])
def logout():
    """Ends the account's sessions everywhere (a copied cookie too) and its live connections."""
    provider_logout = university_logout_url()  # read before the session is cleared
    if current_user.is_authenticated:
        sessions.log_out(current_user._get_current_object())
    logout_user()
    locale = session.get("locale")
    session.clear()
    if locale:
        session["locale"] = locale
    flash(_("You are logged out. See you soon!"), "info")
    return redirect(provider_logout or url_for("public.index"))


@blueprint.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(RESET_REQUESTS_PER_ACCOUNT, methods=["POST"], key_func=submitted_email)
@limiter.limit(REGISTRATIONS_PER_ADDRESS, methods=["POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        sign_in.request_password_reset(form.email.data)
        flash(
            _("If an account exists for %(email)s, a link to choose a new password is on its "
              "way. It is valid for one hour.", email=form.email.data.strip().lower()),
            "info",
        )
        return redirect(url_for("auth.login"))
    return render_template("accounts/auth/forgot_password.html", form=form)


def _set_password_page(purpose: str, token: str, template: str, done_message: str):
    try:
        user = sign_in.check_account_token(purpose, token)
    except DomainError as error:
        return render_template("accounts/auth/link_problem.html", message=error.message), 400
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            user = sign_in.set_password_from_token(purpose, token, form.password.data)
        except DomainError as error:
            attach_error(form, error)
        else:
            g.account_saved = True
            response = complete_login(user, "password", None)
            flash(done_message, "success")
            return response
    return render_template(template, form=form, user=user)


@blueprint.route("/password/reset/<token>", methods=["GET", "POST"])
@limit_account_writes
def reset_password(token: str):
    return _set_password_page(
        "reset", token, "accounts/auth/reset_password.html", _("Your new password is saved.")
    )


@blueprint.route("/invitation/<token>", methods=["GET", "POST"])
@limit_account_writes
def accept_invitation(token: str):
    return _set_password_page(
        "invite", token, "accounts/auth/accept_invitation.html",
        _("Your password is saved: welcome to Crunch Time!"),
    )


@blueprint.route("/email/verify/<token>", methods=["GET", "POST"])
def verify_email(token: str):
    """The link of the verification mail: a button confirms (a mail scanner that opens links
    must not verify an address on its own)."""
    try:
        user = sign_in.check_account_token("verify", token)
    except DomainError as error:
        return render_template("accounts/auth/link_problem.html", message=error.message,
                               retry_endpoint="auth.resend_verification"), 400
    form = ConfirmEmailForm()
    if form.validate_on_submit():
        sign_in.verify_email(token)
        flash(_("Your e-mail address is confirmed: you can log in."), "success")
        return redirect(url_for("auth.login"))
    return render_template("accounts/auth/verify_email.html", form=form, user=user)


@blueprint.route("/email/verify/resend", methods=["GET", "POST"])
@limit_verification_mails()
@limiter.limit(REGISTRATIONS_PER_ADDRESS, methods=["POST"])
def resend_verification():
    form = ResendVerificationForm()
    if form.validate_on_submit():
        sign_in.resend_verification(form.email.data)
        flash(_("If an account is waiting for the confirmation of %(email)s, a new link is on "
                "its way. It is valid for 7 days.",
                email=registration.normalise_email(form.email.data)), "info")
        return redirect(url_for("auth.login"))
    return render_template("accounts/auth/resend_verification.html", form=form)
