"""Organisers' view of two-step verification: who has it, and the reset of another account's
second factor (a lost phone and lost recovery codes), confirmed and audited."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from crunchtime.errors import DomainError
from crunchtime.extensions import db
from crunchtime.models import User
from crunchtime.services.accounts import second_factor
from crunchtime.views.accounts.people.routes import blueprint
from crunchtime.views.accounts.two_factor.forms import ResetSecondFactorForm
from crunchtime.views.forms import attach_error


@blueprint.route("/second-factors")
def second_factors():
    return render_template(
        "accounts/people/second_factors.html",
        accounts=second_factor.enrolled_accounts(),
        required=current_app.config["ORGANIZER_2FA"] == "required",
        organizers_without=second_factor.organizers_without_second_factor(),
    )


@blueprint.route("/second-factors/<int:user_id>/reset", methods=["GET", "POST"])
def reset_second_factor(user_id: int):
    target = db.session.get(User, user_id)
    if target is None:
        abort(404)
    form = ResetSecondFactorForm()
    if form.validate_on_submit():
        try:
            second_factor.reset_second_factor(current_user._get_current_object(), target)
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(_("The second factor of %(name)s is reset: their next login asks for their "
                    "password only, or for a new set-up if they must have one.",
                    name=target.full_name), "success")
            return redirect(url_for("people.second_factors"))
    return render_template("accounts/people/reset_second_factor.html", form=form,
                           target=target, factor=second_factor.factor_of(target))
