"""A jury member declares conflicts of interest: a team, an organisation, a student."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from crunchtime.errors import DomainError
from crunchtime.services.accounts.jury_profiles import jury_profile
from crunchtime.services.editions.current import require_current_edition
from crunchtime.services.judging import conflicts as jury_conflicts
from crunchtime.views.forms import EmptyForm, attach_error
from crunchtime.views.judging.display import options
from crunchtime.views.judging.jury.forms import ConflictForm
from crunchtime.views.judging.jury.routes import blueprint


def _declared_message(declared: jury_conflicts.Declared) -> str:
    message = _("Conflict of interest recorded: you will not be asked to score it.")
    if declared.unassigned:
        message += " " + ngettext(
            "%(num)d team was taken out of your queue.",
            "%(num)d teams were taken out of your queue.", declared.unassigned)
    if declared.scored_pairs:
        message += " " + _("You have already scored a team concerned: the organisers will "
                           "decide what to do with those scores.")
    return message


@blueprint.route("/conflicts", methods=["GET", "POST"])
def conflicts():
    edition = require_current_edition()
    profile = jury_profile(current_user, edition)
    form = ConflictForm()
    form.team.choices = options(jury_conflicts.team_choices(edition))
    form.organisation.choices = options(jury_conflicts.organisation_choices(edition))
    if form.validate_on_submit():
        try:
            declared = jury_conflicts.declare_conflict(
                current_user, form.kind.data, team_id=form.team.data,
                organisation_id=form.organisation.data, student=form.student.data or "",
                note=form.note.data or "")
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(_declared_message(declared), "success")
            return redirect(url_for("jury.conflicts"))
    return render_template(
        "judging/jury/conflicts.html", form=form, withdraw_form=EmptyForm(),
        declared=jury_conflicts.conflict_lines(edition, profile.id),
    )


@blueprint.route("/conflicts/<int:conflict_id>/withdraw", methods=["POST"])
def withdraw_conflict(conflict_id: int):
    if not EmptyForm().validate_on_submit():
        abort(400)
    jury_conflicts.withdraw_conflict(current_user, conflict_id)
    flash(_("Conflict of interest withdrawn."), "success")
    return redirect(url_for("jury.conflicts"))
