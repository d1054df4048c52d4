"""Organisers and the design-thinking stages: which teams are behind, per challenge, and
the edition's stages (name, due time, expected deliverable)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from crunchtime.errors import Conflict, InvalidInput
from crunchtime.services.editions.current import require_current_edition
from crunchtime.services.teams import milestone_admin, milestones
from crunchtime.views.forms import EmptyForm, attach_error
from crunchtime.views.submissions.admin.blueprint import blueprint
from crunchtime.views.submissions.admin.forms import StageForm, to_paris
from crunchtime.views.submissions.admin.routes import challenge_choices


@blueprint.route("/stages")
def stage_grid():
    edition = require_current_edition()
    raw = request.args.get("challenge", "")
    challenge_id = int(raw) if raw.isdigit() and int(raw) < 2**31 else None
    stages, rows = milestone_admin.stage_grid(edition, challenge_id)
    return render_template("submissions/admin/stages.html", edition=edition, stages=stages,
                           rows=rows, challenges=challenge_choices(edition),
                           challenge_id=challenge_id)


@blueprint.route("/stages/setup", methods=["GET", "POST"])
def stage_setup():
    edition = require_current_edition()
    form = StageForm()
    if form.validate_on_submit():
        try:
            milestone_admin.add_stage(current_user, edition, form.to_fields())
        except InvalidInput as error:
            attach_error(form, error)
        else:
            flash(_("Stage added."), "success")
            return redirect(url_for("submissions_admin.stage_setup"))
    return render_template("submissions/admin/stage_setup.html", edition=edition, form=form,
                           stages=milestones.ensure_default_milestones(edition),
                           action_form=EmptyForm())


@blueprint.route("/stages/<int:milestone_id>/edit", methods=["GET", "POST"])
def stage_edit(milestone_id: int):
    edition = require_current_edition()
    milestone = milestones.edition_stage(edition.id, milestone_id)
    form = StageForm(data=None if request.method == "POST" else {
        "label_fr": milestone.label_fr, "label_en": milestone.label_en,
        "expected": milestones.stage_hint(milestone),
        "deliverable_kind": milestone.deliverable_kind,
        "due_at": to_paris(milestone.due_at), "position": milestone.position})
    if form.validate_on_submit():
        try:
            milestone_admin.update_stage(current_user, edition, milestone.id, form.to_fields())
        except InvalidInput as error:
            attach_error(form, error)
        else:
            flash(_("Stage saved."), "success")
            return redirect(url_for("submissions_admin.stage_setup"))
    return render_template("submissions/admin/stage_edit.html", form=form,
                           milestone=milestone)


@blueprint.route("/stages/<int:milestone_id>/delete", methods=["POST"])
def stage_delete(milestone_id: int):
    edition = require_current_edition()
    if EmptyForm().validate_on_submit():
        try:
            milestone_admin.delete_stage(current_user, edition, milestone_id)
        except Conflict as error:
            flash(error.message, "error")
        else:
            flash(_("Stage removed."), "success")
    return redirect(url_for("submissions_admin.stage_setup"))
