"""Every user's own account: language and password."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user

from crunchtime.access import role_required
from crunchtime.errors import DomainError
from crunchtime.models.user import ROLES
from crunchtime.services.accounts import settings as account_settings
from crunchtime.views.accounts.auth.forms import ChangePasswordForm
from crunchtime.views.forms import attach_error

blueprint = Blueprint("account", __name__, url_prefix="/account")


@blueprint.route("/", methods=["GET", "POST"])
@role_required(*ROLES)
def settings():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            account_settings.change_password(
                current_user, form.current_password.data, form.password.data)
        except DomainError as error:
            attach_error(form, error)
        else:
            # The cookie must carry the rotated session token.
            login_user(current_user._get_current_object())
            flash(_("Your password is changed; your other sessions are logged out."), "success")
            return redirect(url_for("account.settings"))
    return render_template("accounts/settings/settings.html", form=form)
