"""The organisers' pages: dashboard, editions and phases, juries, outbox, audit log."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user

from crunchtime.access import restrict_blueprint
from crunchtime.errors import DomainError
from crunchtime.services import mail
from crunchtime.services.accounts import invitations
from crunchtime.services.editions import current as editions
from crunchtime.services.editions import overview as queries
from crunchtime.services.editions import phases
from crunchtime.services.editions.words import close_rounds_acknowledgement, phase_label
from crunchtime.services.judging.words import readiness_gaps
from crunchtime.services.mail import outbox as outbox_queries
from crunchtime.services.mail import words as mail_words
from crunchtime.views.editions.organizer.forms import EditionForm, JuryInvitationForm, PhaseForm
from crunchtime.views.forms import EmptyForm, attach_error
from crunchtime.views.templating import page_number

blueprint = Blueprint("organizer", __name__, url_prefix="/organizer")


restrict_blueprint(blueprint, "organizer")


@blueprint.route("/")
def dashboard():
    edition = editions.current_edition()
    counts = queries.edition_counts(edition) if edition else None
    return render_template("editions/organizer/dashboard.html", edition=edition, counts=counts)


@blueprint.route("/editions", methods=["GET", "POST"])
def edition_list():
    form = EditionForm()
    if form.validate_on_submit():
        try:
            edition = editions.create_edition(form.name.data, form.year.data, current_user)
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(_("Edition “%(name)s” created; it is now the current one.",
                    name=edition.name), "success")
            return redirect(url_for("organizer.phase"))
    return render_template(
        "editions/organizer/editions.html", form=form, editions=queries.all_editions()
    )


@blueprint.route("/phase", methods=["GET", "POST"])
def phase():
    edition = editions.current_edition()
    if edition is None:
        flash(_("Create an edition first."), "info")
        return redirect(url_for("organizer.edition_list"))
    form = PhaseForm(phase=edition.phase)
    if form.validate_on_submit():
        try:
            phases.change_phase(edition, form.phase.data, current_user,
                                close_open_rounds=form.close_rounds.data)
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(_("The edition is now in the “%(phase)s” phase.",
                    phase=phase_label(form.phase.data)), "success")
            return redirect(url_for("organizer.phase"))
    guard = phases.phase_guard(edition)
    form.close_rounds.label.text = close_rounds_acknowledgement(
        sum(r.teams_not_fully_judged for r in guard.open_rounds))
    return render_template(
        "editions/organizer/phase.html", edition=edition, form=form, guard=guard,
        history=queries.phase_history(edition), readiness_gaps=readiness_gaps,
        amount=format_decimal,
    )


@blueprint.route("/juries", methods=["GET", "POST"])
def juries():
    form = JuryInvitationForm()
    if form.validate_on_submit():
        try:
            user = invitations.invite_jury(
                current_user, form.email.data, form.first_name.data, form.last_name.data,
                form.expertise.data or "",
            )
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(_("Invitation sent to %(email)s.", email=user.email), "success")
            return redirect(url_for("organizer.juries"))
    edition = editions.current_edition()
    pagination = queries.juries_page(edition, page_number()) if edition else None
    return render_template("editions/organizer/juries.html", form=form, pagination=pagination)


@blueprint.route("/outbox")
def outbox():
    status = request.args.get("status", "all")
    status = status if status in outbox_queries.FILTERS else "all"
    return render_template(
        "editions/organizer/outbox.html", status=status, filters=mail_words.STATUS_FILTERS,
        pagination=outbox_queries.outbox_page(page_number(), status),
        counts=outbox_queries.state_counts(), backlog=mail.mail_backlog(), form=EmptyForm(),
        mail_server=current_app.config["MAIL_SERVER"],
    )


@blueprint.route("/outbox/<int:message_id>")
def outbox_message(message_id: int):
    message = outbox_queries.outbox_message(message_id)
    if message is None:
        abort(404)
    return render_template("editions/organizer/outbox_message.html", message=message,
                           form=EmptyForm(), gave_up=mail_words.gave_up)


@blueprint.route("/outbox/<int:message_id>/resend", methods=["POST"])
def resend_outbox_message(message_id: int):
    if EmptyForm().validate_on_submit():
        try:
            message = mail.resend_message(current_user, message_id)
        except DomainError as error:
            flash(error.message, "error")
        else:
            flash(mail_words.resent_one(message.recipient), "success")
    return redirect(url_for("organizer.outbox_message", message_id=message_id))


@blueprint.route("/outbox/resend-failed", methods=["POST"])
def resend_failed_mail():
    if EmptyForm().validate_on_submit():
        flash(mail_words.resent_failed(mail.resend_failed(current_user)), "success")
    return redirect(url_for("organizer.outbox", status="failed"))


@blueprint.route("/audit")
def audit_log():
    pagination = queries.audit_page(page_number())
    return render_template("editions/organizer/audit.html", pagination=pagination)
