"""Organisers run the matching, adjust the preview, compare runs and publish the teams."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from crunchtime.access import restrict_blueprint
from crunchtime.errors import DomainError, InvalidInput
from crunchtime.phases import is_open
from crunchtime.services.editions.current import require_current_edition
from crunchtime.services.matching import (
    overview as matching_overview,
)
from crunchtime.services.matching import (
    publication as matching_publish,
)
from crunchtime.services.matching import (
    runs as matching,
)
from crunchtime.services.matching import undo as matching_undo
from crunchtime.services.matching import words as matching_words
from crunchtime.services.matching.eligibility import edition_eligibility, run_left_out
from crunchtime.services.matching.settings import edition_team_settings, update_team_settings
from crunchtime.views.forms import EmptyForm, attach_error
from crunchtime.views.matching.forms import (
    MoveForm,
    PinForm,
    PublishForm,
    RunForm,
    SwapForm,
    TeamSettingsForm,
)

blueprint = Blueprint("matching", __name__, url_prefix="/organizer/matching")


restrict_blueprint(blueprint, "organizer")


def _settings_form(edition) -> TeamSettingsForm:
    current = edition_team_settings(edition)
    return TeamSettingsForm(prefix="settings", data={
        "min_size": current.size_min, "max_size": current.size_max,
        "diversity_cap": current.diversity_cap})


@blueprint.route("/")
def index():
    return _render_index()


def _render_index(settings_form: TeamSettingsForm | None = None) -> str:
    edition = require_current_edition()
    return render_template("matching/index.html", edition=edition,
                           runs=matching.edition_runs(edition), form=RunForm(prefix="run"),
                           eligibility=edition_eligibility(edition), words=matching_words,
                           settings_form=settings_form or _settings_form(edition),
                           can_run=is_open("run_matching", edition.phase))


def _flash_refusal(form, error: DomainError | None = None) -> None:
    """A refusal shows at the top of the page (the flash area), and on its field."""
    if error is not None:
        attach_error(form, error)
        flash(error.message, "error")
        return
    for messages in form.errors.values():
        for message in messages:
            flash(message, "error")


@blueprint.route("/settings", methods=["POST"])
def settings():
    form = TeamSettingsForm(prefix="settings")
    status = 400
    if form.validate_on_submit():
        try:
            update_team_settings(current_user, form.min_size.data, form.max_size.data,
                                 form.diversity_cap.data)
        except DomainError as error:
            attach_error(form, error)
            status = error.status
        else:
            flash(_("Team settings saved; they apply to the next runs."), "success")
            return redirect(url_for("matching.index"))
    return _render_index(form), status


@blueprint.route("/run", methods=["POST"])
def run():
    form = RunForm(prefix="run")
    if not form.validate_on_submit():
        raise InvalidInput(_("The form has expired; reload the page."))
    try:
        new_run = matching.start_run(current_user, leave_out_incomplete=(
            form.incomplete.data == matching.LEAVE_OUT))
    except DomainError as error:
        if error.status == 409:
            raise
        flash(error.message, "error")
        return redirect(url_for("matching.index"))
    left_out = sum((new_run.metrics.get("left_out") or {}).values())
    flash(_("Matching done: review the preview, adjust it, then publish.") + (" " + ngettext(
        "%(num)d student is left out: see why below.",
        "%(num)d students are left out: see why below.", left_out) if left_out else ""),
        "success")
    return redirect(url_for("matching.show", run_id=new_run.id))


def _render_run(run, **forms):
    overview = matching_overview.run_overview(run)
    forms.setdefault("move_form", MoveForm(prefix="move"))
    forms.setdefault("swap_form", SwapForm(prefix="swap"))
    forms.setdefault("pin_form", PinForm(prefix="pin"))
    forms.setdefault("publish_form", PublishForm(prefix="publish"))
    split_groups = matching_overview.split_friend_groups(run)
    consequences = matching_publish.publication_consequences(run)
    publish_form = forms["publish_form"]
    for name, applies in (("publish_anyway", split_groups),
                          ("replace", consequences.replaces is not None),
                          ("leave_unplaced", consequences.unplaced)):
        if not applies:
            delattr(publish_form, name)
    return render_template(
        "matching/run.html", run=run, overview=overview,
        totals=matching_overview.team_counts(overview),
        programmes=matching_overview.per_programme(run),
        last_change=matching_overview.last_change(run), split_groups=split_groups,
        consequences=consequences, left_out=run_left_out(run),
        undoable=matching_overview.undoable_change(run), undo_form=EmptyForm(),
        words=matching_words,
        others=[r for r in matching.edition_runs(require_current_edition()) if r.id != run.id],
        **forms,
    )


@blueprint.route("/<int:run_id>")
def show(run_id: int):
    return _render_run(matching.get_run(run_id))


def _adjust(run_id: int, form, action, done_message):
    """Validate an adjustment form, apply it, or show the run again with the errors."""
    run = matching.get_run(run_id)
    status = 400
    if form.validate_on_submit():
        try:
            action(run, form)
        except DomainError as error:
            _flash_refusal(form, error)
            status = error.status
        else:
            flash(done_message, "success")
            return redirect(url_for("matching.show", run_id=run.id))
    else:
        _flash_refusal(form)
    return _render_run(run, **{f"{form._prefix.rstrip('-')}_form": form}), status


@blueprint.route("/<int:run_id>/move", methods=["POST"])
def move(run_id: int):
    def apply(run, form):
        student = matching_overview.student_id_by_email(run, form.student.data)
        matching.move_student(current_user, run, student, form.challenge.data,
                              form.team.data - 1)

    return _adjust(run_id, MoveForm(prefix="move"), apply,
                   _("Student moved; the metrics below are updated."))


@blueprint.route("/<int:run_id>/swap", methods=["POST"])
def swap(run_id: int):
    def apply(run, form):
        first = matching_overview.student_id_by_email(run, form.first.data)
        second = matching_overview.student_id_by_email(run, form.second.data)
        matching.swap_students(current_user, run, first, second)

    return _adjust(run_id, SwapForm(prefix="swap"), apply,
                   _("Students swapped; the metrics below are updated."))


@blueprint.route("/<int:run_id>/pin", methods=["POST"])
def pin(run_id: int):
    form = PinForm(prefix="pin")
    run = matching.get_run(run_id)
    status = 400
    if form.validate_on_submit():
        try:
            student = matching_overview.student_id_by_email(run, form.student.data)
            new_run = matching.pin_and_rerun(current_user, run, student, form.challenge.data)
        except DomainError as error:
            _flash_refusal(form, error)
            status = error.status
        else:
            flash(_("Student pinned; the matching ran again."), "success")
            return redirect(url_for("matching.show", run_id=new_run.id))
    else:
        _flash_refusal(form)
    return _render_run(run, pin_form=form), status


@blueprint.route("/<int:run_id>/publish", methods=["POST"])
def publish(run_id: int):
    form = PublishForm(prefix="publish")
    run = matching.get_run(run_id)
    status = 400
    if form.validate_on_submit():
        try:
            summary = matching_publish.publish_run(current_user, run, form.replace.data,
                                                   form.publish_anyway.data,
                                                   form.leave_unplaced.data)
        except DomainError as error:
            _flash_refusal(form, error)
            status = error.status
        else:
            flash(ngettext("Matching run %(run)d published: %(num)d team created; every "
                           "student placed is told by e-mail.",
                           "Matching run %(run)d published: %(num)d teams created; every "
                           "student placed is told by e-mail.", summary["teams"],
                           run=run.id), "success")
            return redirect(url_for("matching.show", run_id=run.id))
    else:
        _flash_refusal(form)
    return _render_run(run, publish_form=form), status


@blueprint.route("/<int:run_id>/undo", methods=["POST"])
def undo(run_id: int):
    """Undo the last move or swap: the refusal or the outcome shows at the top of the run."""
    run = matching.get_run(run_id)
    if not EmptyForm().validate_on_submit():
        flash(_("The form has expired; reload the page."), "error")
    else:
        try:
            matching_undo.undo_last_change(current_user, run)
        except DomainError as error:
            flash(error.message, "error")
        else:
            flash(_("Last change undone: the previous teams and figures are back."),
                  "success")
    return redirect(url_for("matching.show", run_id=run.id))


@blueprint.route("/compare")
def compare():
    first = matching.get_run(request.args.get("a", type=int) or 0)
    second = matching.get_run(request.args.get("b", type=int) or 0)
    return render_template("matching/compare.html", first=first, second=second,
                           comparison=matching_overview.compare_runs(first, second))
