"""An account's own two-step verification: turning it on (QR code, first code, recovery
codes shown once), new recovery codes, forgetting remembered devices, turning it off."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from crunchtime.access import role_required
from crunchtime.services.accounts import remembered_devices, second_factor
from crunchtime.views.accounts.two_factor.forms import (
    DisableForm,
    EnrolForm,
    RegenerateCodesForm,
)
from crunchtime.views.accounts.two_factor.limits import limit_code_failures, mark_code_rejected
from crunchtime.views.accounts.two_factor.routes import blueprint, recovery_codes_page
from crunchtime.views.forms import EmptyForm, attach_error

ROLES = second_factor.ROLES_WITH_SECOND_FACTOR


def _user():
    return current_user._get_current_object()


def _settings_page(regenerate_form=None, disable_form=None):
    user = _user()
    factor = second_factor.factor_of(user)
    return render_template(
        "accounts/two_factor/settings.html",
        factor=factor if factor is not None and factor.enabled_at is not None else None,
        required=second_factor.is_required(user),
        codes_left=second_factor.recovery_codes_left(user),
        devices=remembered_devices.count_devices(user),
        regenerate_form=regenerate_form or RegenerateCodesForm(prefix="regenerate"),
        disable_form=disable_form or DisableForm(prefix="disable"),
        forget_form=EmptyForm(prefix="forget"),
    )


@blueprint.route("/account/two-step")
@role_required(*ROLES)
def settings():
    return _settings_page()


@blueprint.route("/account/two-step/setup", methods=["GET", "POST"])
@role_required(*ROLES)
@limit_code_failures
def enrol():
    user = _user()
    if second_factor.is_enrolled(user):
        flash(_("Two-step verification is already on."), "info")
        return redirect(url_for("two_factor.settings"))
    enrolment = second_factor.begin_enrolment(user)
    form = EnrolForm()
    if form.validate_on_submit():
        try:
            codes = second_factor.confirm_enrolment(user, form.code.data)
        except second_factor.CodeRejected as error:
            mark_code_rejected()
            attach_error(form, error)
        else:
            return recovery_codes_page(codes, url_for("two_factor.settings"), True)
    return render_template("accounts/two_factor/enrol.html", form=form, enrolment=enrolment,
                           at_login=False, user=user)


@blueprint.route("/account/two-step/recovery-codes", methods=["POST"])
@role_required(*ROLES)
@limit_code_failures
def regenerate_codes():
    form = RegenerateCodesForm(prefix="regenerate")
    if second_factor.is_enrolled(_user()) and form.validate_on_submit():
        try:
            codes = second_factor.regenerate_recovery_codes(_user(), form.code.data)
        except second_factor.CodeRejected as error:
            mark_code_rejected()
            attach_error(form, error)
        else:
            return recovery_codes_page(codes, url_for("two_factor.settings"), False)
    return _settings_page(regenerate_form=form)


@blueprint.route("/account/two-step/disable", methods=["POST"])
@role_required(*ROLES)
@limit_code_failures
def disable():
    user = _user()
    form = DisableForm(prefix="disable")
    if second_factor.is_required(user):
        form.form_errors.append(_("Organisers must keep two-step verification on."))
    elif second_factor.is_enrolled(user) and form.validate_on_submit():
        try:
            second_factor.disable(user, form.code.data)
        except second_factor.CodeRejected as error:
            mark_code_rejected()
            attach_error(form, error)
        else:
            flash(_("Two-step verification is off: your password alone opens your account."),
                  "success")
            return redirect(url_for("two_factor.settings"))
    return _settings_page(disable_form=form)


@blueprint.route("/account/two-step/devices/forget", methods=["POST"])
@role_required(*ROLES)
def forget_devices():
    form = EmptyForm(prefix="forget")
    if form.validate_on_submit():
        remembered_devices.forget_devices(_user())
        flash(_("No device is remembered any more: every login will ask for a code."),
              "success")
    response = redirect(url_for("two_factor.settings"))
    response.delete_cookie(remembered_devices.DEVICE_COOKIE)
    return response
