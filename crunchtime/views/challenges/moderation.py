"""The organisers' review of challenges, and the organisations list with merging."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length

from crunchtime.access import restrict_blueprint
from crunchtime.errors import DomainError, InvalidInput
from crunchtime.models.organisation import CHALLENGE_STATUSES
from crunchtime.phases import is_open
from crunchtime.services.accounts import organisations
from crunchtime.services.challenges import review as challenge_review
from crunchtime.services.editions.current import current_edition
from crunchtime.views.accounts.auth.forms import email_field
from crunchtime.views.challenges import display as challenge_display
from crunchtime.views.forms import attach_error
from crunchtime.views.templating import page_number

blueprint = Blueprint("moderation", __name__, url_prefix="/organizer")
blueprint.context_processor(challenge_display.template_globals)


class ApproveForm(FlaskForm):
    submit = SubmitField(_l("Approve"))


class SendBackForm(FlaskForm):
    comment = TextAreaField(
        _l("What should the company change?"),
        validators=[InputRequired(_l("Explain to the company what to change.")),
                    Length(max=challenge_review.COMMENT_MAX)],
        description=_l("The company sees this comment and receives it by e-mail."),
    )
    submit = SubmitField(_l("Send back for changes"))


class MergeForm(FlaskForm):
    source = SelectField(_l("Duplicate to merge"), coerce=int,
                         description=_l("Its members and challenges move to the other one."))
    target = SelectField(_l("Organisation to keep"), coerce=int)
    confirm = BooleanField(
        _l("I confirm: the duplicate disappears from the lists; this cannot be undone here."),
        validators=[InputRequired(_l("Tick the box to confirm the merge."))],
    )
    submit = SubmitField(_l("Merge"))


class InviteContactForm(FlaskForm):
    organisation = SelectField(_l("Organisation"), coerce=int)
    first_name = StringField(
        _l("First name"), validators=[InputRequired(_l("Enter a first name.")), Length(max=80)])
    last_name = StringField(
        _l("Last name"), validators=[InputRequired(_l("Enter a last name.")), Length(max=80)])
    email = email_field()
    submit = SubmitField(_l("Send the invitation"), id="invite-submit")


restrict_blueprint(blueprint, "organizer")


@blueprint.route("/challenges")
def queue():
    edition = current_edition()
    status = request.args.get("status", "")
    status = status if status in CHALLENGE_STATUSES else ""
    pagination = challenge_review.review_queue(edition, status, page_number()) if edition else None
    counts = challenge_review.status_counts(edition) if edition else {}
    return render_template(
        "challenges/moderation/queue.html", edition=edition, pagination=pagination,
        status=status, counts=counts, statuses=CHALLENGE_STATUSES,
    )


def render_review(challenge, send_back_form: SendBackForm):
    edition = current_edition()
    reviewing_open = edition is not None and is_open("review_challenge", edition.phase)
    return render_template(
        "challenges/moderation/review.html", challenge=challenge, approve_form=ApproveForm(),
        send_back_form=send_back_form, reviewing_open=reviewing_open,
        can_decide=reviewing_open and challenge.status == "submitted"
        and challenge.edition_id == edition.id,
    )


@blueprint.route("/challenges/<int:challenge_id>")
def review(challenge_id: int):
    return render_review(challenge_review.challenge_for_review(challenge_id), SendBackForm())


@blueprint.route("/challenges/<int:challenge_id>/approve", methods=["POST"])
def approve(challenge_id: int):
    challenge = challenge_review.challenge_for_review(challenge_id)
    if ApproveForm().validate_on_submit():
        challenge_review.approve_challenge(current_user, challenge)
        flash(_("%(code)s approved; the company has been told.", code=challenge.code),
              "success")
    return redirect(url_for("moderation.queue"))


@blueprint.route("/challenges/<int:challenge_id>/send-back", methods=["POST"])
def send_back(challenge_id: int):
    challenge = challenge_review.challenge_for_review(challenge_id)
    form = SendBackForm()
    if form.validate_on_submit():
        try:
            challenge_review.send_back_challenge(current_user, challenge, form.comment.data)
        except InvalidInput as error:
            attach_error(form, error)
        else:
            flash(_("%(code)s sent back to the company with your comment.",
                    code=challenge.code), "success")
            return redirect(url_for("moderation.queue"))
    return render_review(challenge, form)


def _organisation_forms(invite_form: InviteContactForm | None = None):
    """The organisations with the merge form and the invitation form (`?invite=ID` picks the
    organisation to invite into)."""
    summaries = organisations.listed_organisations()
    merge_form = MergeForm()
    if invite_form is None:
        invite_form = InviteContactForm(organisation=request.args.get("invite", type=int))
    choices = [(summary.organisation.id, summary.organisation.name) for summary in summaries]
    merge_form.source.choices = merge_form.target.choices = choices
    invite_form.organisation.choices = choices
    return summaries, merge_form, invite_form


def _organisations_page(summaries, form, invite_form):
    return render_template(
        "challenges/moderation/organisations.html", summaries=summaries, form=form,
        invite_form=invite_form,
    )


@blueprint.route("/organisations", methods=["GET", "POST"])
def organisation_list():
    summaries, form, invite_form = _organisation_forms()
    if form.validate_on_submit():
        try:
            target = organisations.merge_organisations(
                current_user, form.source.data, form.target.data)
        except InvalidInput as error:
            attach_error(form, error)
        else:
            flash(_("Organisations merged into “%(name)s”.", name=target.name), "success")
            return redirect(url_for("moderation.organisation_list"))
    return _organisations_page(summaries, form, invite_form)


@blueprint.route("/organisations/invite", methods=["POST"])
def invite_contact():
    """Add a second (third…) contact to a registered organisation: sign-up refuses it."""
    summaries, form, invite_form = _organisation_forms(invite_form=InviteContactForm())
    if invite_form.validate_on_submit():
        try:
            user = organisations.invite_company_contact(
                current_user, invite_form.organisation.data, invite_form.email.data,
                invite_form.first_name.data, invite_form.last_name.data)
        except DomainError as error:
            attach_error(invite_form, error)
        else:
            flash(_("Invitation sent to %(email)s.", email=user.email), "success")
            return redirect(url_for("moderation.organisation_list"))
    return _organisations_page(summaries, form, invite_form)
