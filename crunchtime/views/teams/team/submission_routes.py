"""The submission form with its files, hand-in, history and restore. A save that started
from an older version comes back with what changed, to merge or override knowingly."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from crunchtime.access import role_required
from crunchtime.errors import InvalidInput, PhaseClosed
from crunchtime.services.submissions import (
    actions as submission_actions,
)
from crunchtime.services.submissions import (
    files as submission_files,
)
from crunchtime.services.submissions import (
    versions as submissions,
)
from crunchtime.services.submissions.deadlines import DeadlinePassed, grace_minutes
from crunchtime.services.submissions.versions import StaleSubmission
from crunchtime.views.forms import EmptyForm, attach_error
from crunchtime.views.teams.team.blueprint import blueprint
from crunchtime.views.teams.team.forms import FIELD_LABELS, RestoreForm, SubmissionForm
from crunchtime.views.teams.team.routes import member_team, team_page_values


def saved_form(current, submission) -> SubmissionForm:
    """On GET, the form shows the current version and names it as its starting point."""
    if request.method != "GET":
        return SubmissionForm()
    values = submissions.snapshot_of(current)
    return SubmissionForm(data={**values, "base_version": submission.version
                                if submission else 0})


def render_submission(team, edition, form, conflict=None, refusal=None, status=200):
    values = team_page_values(team, edition)
    current = values["current"]
    return render_template(
        "teams/team/submission.html", **values, form=form, conflict=conflict, refusal=refusal,
        field_labels=FIELD_LABELS,
        files=submission_files.live_files(current.file_ids if current else []),
        max_file_mb=edition.max_file_mb, max_team_mb=edition.max_team_upload_mb,
        grace_minutes=grace_minutes(edition), action_form=EmptyForm()), status


def _seen_version() -> int | None:
    raw = request.form.get("seen_version", "")
    return int(raw) if raw.isdigit() else None


@blueprint.route("/<int:team_id>/submission", methods=["GET", "POST"])
@role_required("student")
def submission(team_id: int):
    team, edition = member_team(team_id)
    saved = submissions.submission_of(team)
    form = saved_form(submissions.current_version(saved), saved)
    if form.validate_on_submit():
        try:
            version = submissions.save_submission(current_user, team.id,
                                                  form.to_request(_seen_version()))
        except StaleSubmission as error:
            return render_submission(team, edition, form, conflict=error, status=409)
        except (DeadlinePassed, PhaseClosed) as error:
            return render_submission(team, edition, form, refusal=error.message, status=409)
        except InvalidInput as error:
            attach_error(form, error)
        else:
            flash(_("Version %(n)d saved.", n=version.number) if version
                  else _("Nothing to save: nothing has changed."), "success")
            return redirect(url_for("team.submission", team_id=team.id))
    return render_submission(team, edition, form)


def _action(team_id: int, action, success: str, anchor: str = ""):
    member_team(team_id)
    if not EmptyForm().validate_on_submit():
        return redirect(url_for("team.submission", team_id=team_id))
    try:
        done = action()
    except (InvalidInput, StaleSubmission) as error:
        flash(error.message, "error")
    else:
        if done is not None:
            flash(success, "success")
    return redirect(url_for("team.submission", team_id=team_id) + anchor)


@blueprint.route("/<int:team_id>/submission/hand-in", methods=["POST"])
@role_required("student")
def hand_in(team_id: int):
    return _action(team_id, lambda: submission_actions.hand_in(current_user, team_id),
                   _("Your submission is handed in. You can still improve it until the "
                     "deadline: the last version saved in time counts."))


@blueprint.route("/<int:team_id>/files/<int:file_id>/delete", methods=["POST"])
@role_required("student")
def remove_file(team_id: int, file_id: int):
    return _action(team_id, lambda: submission_actions.remove_file(current_user, team_id,
                                                                   file_id),
                   _("File removed."), "#files")


@blueprint.route("/<int:team_id>/submission/history")
@role_required("student")
def history(team_id: int):
    team, edition = member_team(team_id)
    values = team_page_values(team, edition)
    return render_template("teams/team/history.html", **values, field_labels=FIELD_LABELS,
                           entries=submission_actions.version_history(values["submission"]))


@blueprint.route("/<int:team_id>/submission/versions/<int:number>")
@role_required("student")
def version(team_id: int, number: int):
    team, edition = member_team(team_id)
    values = team_page_values(team, edition)
    shown = submission_actions.team_version(team, number)
    return render_template(
        "teams/team/version.html", **values, shown=shown,
        shown_values=submissions.snapshot_of(shown), field_labels=FIELD_LABELS,
        shown_files=submission_actions.version_files(shown),
        restore_form=RestoreForm(base_version=values["submission"].version))


@blueprint.route("/<int:team_id>/submission/versions/<int:number>/restore", methods=["POST"])
@role_required("student")
def restore(team_id: int, number: int):
    member_team(team_id)
    form = RestoreForm()
    if not form.validate_on_submit():
        return redirect(url_for("team.version", team_id=team_id, number=number))
    try:
        restored = submission_actions.restore_version(current_user, team_id, number,
                                                      form.base_version.data or 0)
    except (InvalidInput, StaleSubmission) as error:
        flash(error.message, "error")
        return redirect(url_for("team.version", team_id=team_id, number=number))
    flash(_("Version %(old)d restored as version %(n)d.", old=number, n=restored.number)
          if restored else _("Nothing to restore: this version is the same as the current "
                             "one."), "success")
    return redirect(url_for("team.submission", team_id=team_id))
