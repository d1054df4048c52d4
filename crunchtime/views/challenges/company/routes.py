"""The company's pages: its organisation's challenges, drafted, submitted and corrected."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from crunchtime.access import restrict_blueprint
from crunchtime.errors import InvalidInput
from crunchtime.phases import is_open
from crunchtime.services.challenges import (
    attachments as challenge_attachments,
)
from crunchtime.services.challenges import (
    drafts as challenges,
)
from crunchtime.services.editions.current import (
    current_edition,
    require_current_edition,
    require_phase,
)
from crunchtime.views.challenges import display as challenge_display
from crunchtime.views.challenges.company.forms import ActionForm, AttachmentForm, ChallengeForm
from crunchtime.views.forms import attach_error

blueprint = Blueprint("company", __name__, url_prefix="/company")
blueprint.context_processor(challenge_display.template_globals)


restrict_blueprint(blueprint, "company")


def posting_open(edition) -> bool:
    return edition is not None and is_open("post_challenge", edition.phase)


@blueprint.route("/")
def home():
    return render_template("challenges/company/home.html", edition=current_edition())


@blueprint.route("/challenges")
def challenge_list():
    edition = current_edition()
    rows = challenges.company_challenges(current_user, edition) if edition else []
    return render_template("challenges/company/challenges.html", edition=edition, challenges=rows,
                           posting_open=posting_open(edition))


def challenge_form(edition, **kwargs) -> ChallengeForm:
    form = ChallengeForm(**kwargs)
    form.skills.choices = [(skill.id, skill.name) for skill in challenges.edition_skills(edition)]
    return form


@blueprint.route("/challenges/new", methods=["GET", "POST"])
def new_challenge():
    edition = require_current_edition()
    require_phase(edition, "post_challenge")
    form = challenge_form(edition)
    if not form.is_submitted():
        form.contact_name.data = current_user.full_name
        form.contact_email.data = current_user.email
    if form.validate_on_submit():
        try:
            challenge = challenges.create_challenge(current_user, form.to_fields())
        except InvalidInput as error:
            attach_error(form, error)
        else:
            flash(_("Draft %(code)s saved. Add attachments if you wish, then submit it for "
                    "review.", code=challenge.code), "success")
            return redirect(url_for("company.view_challenge", challenge_id=challenge.id))
    return render_template("challenges/company/challenge_form.html", form=form, challenge=None)


@blueprint.route("/challenges/<int:challenge_id>")
def view_challenge(challenge_id: int):
    challenge = challenges.load_company_challenge(current_user, challenge_id, "view")
    return render_challenge(challenge, AttachmentForm())


def render_challenge(challenge, upload_form: AttachmentForm, status: int = 200):
    edition = current_edition()
    max_bytes, max_files = challenge_attachments.attachment_limits()
    changeable = (challenges.is_editable(challenge) and posting_open(edition)
                  and edition is not None and challenge.edition_id == edition.id)
    return render_template(
        "challenges/company/challenge.html", challenge=challenge, upload_form=upload_form,
        action_form=ActionForm(), changeable=changeable,
        locked_message=None if challenges.is_editable(challenge)
        else challenges.locked_message(challenge),
        missing=challenges.missing_for_submission(challenge),
        max_mb=max_bytes // (1024 * 1024), max_files=max_files,
    ), status


@blueprint.route("/challenges/<int:challenge_id>/edit", methods=["GET", "POST"])
def edit_challenge(challenge_id: int):
    challenge = challenges.load_company_challenge(current_user, challenge_id, "edit")
    challenges.require_changeable(challenge)
    form = challenge_form(require_current_edition(), obj=challenge)
    if not form.is_submitted():
        form.skills.data = [skill.id for skill in challenge.skills]
    if form.validate_on_submit():
        try:
            challenges.update_challenge(current_user, challenge, form.to_fields())
        except InvalidInput as error:
            attach_error(form, error)
        else:
            flash(_("Changes saved."), "success")
            return redirect(url_for("company.view_challenge", challenge_id=challenge.id))
    return render_template("challenges/company/challenge_form.html", form=form, challenge=challenge)


@blueprint.route("/challenges/<int:challenge_id>/submit", methods=["POST"])
def submit_challenge(challenge_id: int):
    challenge = challenges.load_company_challenge(current_user, challenge_id, "submit")
    if ActionForm().validate_on_submit():
        try:
            challenges.submit_challenge(current_user, challenge)
        except InvalidInput as error:
            flash(error.message, "error")
        else:
            flash(_("Challenge %(code)s submitted: the organisers will review it. You will "
                    "receive their decision by e-mail.", code=challenge.code), "success")
    return redirect(url_for("company.view_challenge", challenge_id=challenge_id))


@blueprint.route("/challenges/<int:challenge_id>/attachments", methods=["POST"])
def upload_attachment(challenge_id: int):
    challenge = challenges.load_company_challenge(current_user, challenge_id, "attach")
    form = AttachmentForm()
    if form.validate_on_submit():
        upload = form.file.data
        try:
            challenge_attachments.add_attachment(
                current_user, challenge, upload.stream, upload.filename)
        except InvalidInput as error:
            attach_error(form, error)
        else:
            flash(_("File added."), "success")
            return redirect(url_for("company.view_challenge", challenge_id=challenge_id))
    return render_challenge(challenge, form)


@blueprint.route(
    "/challenges/<int:challenge_id>/attachments/<int:attachment_id>/delete", methods=["POST"]
)
def delete_attachment(challenge_id: int, attachment_id: int):
    challenge = challenges.load_company_challenge(current_user, challenge_id, "detach")
    if ActionForm().validate_on_submit():
        challenge_attachments.remove_attachment(current_user, challenge, attachment_id)
        flash(_("File removed."), "success")
    return redirect(url_for("company.view_challenge", challenge_id=challenge_id))
