"""Organisers' view of all submissions: the table with filters, its CSV export, a
challenge's deliverables as one streamed ZIP, one team's page, extensions, settings."""

from __future__ import annotations

from flask import Response, flash, redirect, render_template, request, stream_with_context, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from crunchtime.errors import InvalidInput, NotFound
from crunchtime.files.serving import content_disposition
from crunchtime.services.editions.current import require_current_edition
from crunchtime.services.submissions import (
    actions as submission_actions,
)
from crunchtime.services.submissions import (
    archive as submission_archive,
)
from crunchtime.services.submissions import (
    deadlines,
)
from crunchtime.services.submissions import (
    overview as submission_overview,
)
from crunchtime.services.submissions import (
    versions as submissions,
)
from crunchtime.services.teams import milestones
from crunchtime.services.teams import space as teams
from crunchtime.views.downloads import csv_download
from crunchtime.views.forms import EmptyForm, attach_error, flash_outcome
from crunchtime.views.submissions.admin.blueprint import blueprint
from crunchtime.views.submissions.admin.forms import (
    ExtensionForm,
    FeedbackForm,
    SettingsForm,
    SubmissionFilterForm,
    from_paris,
    to_paris,
)
from crunchtime.views.teams.team.forms import FIELD_LABELS


def _number(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and int(value) < 2**31 else None


def challenge_choices(edition) -> list[SelectChoice]:
    return [SelectChoice("", _("All"))] + [
        SelectChoice(str(c.id), f"{c.code} — {c.title}")
        for c in submission_overview.challenges_with_teams(edition)]


def _filters(edition):
    form = SubmissionFilterForm(request.args)
    form.challenge.choices = challenge_choices(edition)
    status = form.status.data if form.status.data in submission_overview.STATUS_LABELS else None
    return form, submission_overview.SubmissionFilters(
        challenge_id=_number(form.challenge.data), status=status,
        query=(form.q.data or "")[:200])


@blueprint.route("/")
def index():
    edition = require_current_edition()
    form, filters = _filters(edition)
    rows = submission_overview.submission_rows(edition, filters)
    arguments = {k: v for k, v in request.args.items() if v}
    return render_template("submissions/admin/index.html", edition=edition, form=form,
                           rows=rows, arguments=arguments, filters=filters,
                           settings=deadlines.submission_settings(edition))


@blueprint.route("/submissions.csv")
def export_csv():
    edition = require_current_edition()
    _form, filters = _filters(edition)
    rows = submission_overview.submission_rows(edition, filters)
    return csv_download("submissions.csv", submission_overview.CSV_COLUMNS,
                        submission_overview.csv_rows(rows))


@blueprint.route("/challenges/<int:challenge_id>/deliverables.zip")
def challenge_zip(challenge_id: int):
    """Streamed: each file is read from disk chunk by chunk while the archive is sent."""
    edition = require_current_edition()
    name, chunks = submission_archive.challenge_archive(edition, challenge_id)
    response = Response(stream_with_context(chunks), mimetype="application/zip")
    response.headers.set("Content-Disposition", "attachment", **content_disposition(name, None))
    response.headers["Cache-Control"] = "private, no-cache"
    return response


def render_team(team, edition, extension_form=None, feedback_form=None, status=200):
    submission = submissions.submission_of(team)
    current = submissions.current_version(submission)
    return render_template(
        "submissions/admin/team.html", team=team, edition=edition, submission=submission,
        current=current, values=submissions.snapshot_of(current), field_labels=FIELD_LABELS,
        files=submission_actions.version_files(current) if current else [],
        history=submission_actions.version_history(submission),
        teammates=teams.teammates(team), stages=milestones.team_stages(team, edition),
        deadline=deadlines.deadline_of(team, edition), moment=deadlines.now(),
        extension_form=extension_form or ExtensionForm(
            until=to_paris(team.deadline_extension_until)),
        feedback_form=feedback_form or FeedbackForm(), action_form=EmptyForm()), status


def edition_team(team_id: int):
    edition = require_current_edition()
    team = teams.load_team(team_id)
    if team.edition_id != edition.id:
        raise NotFound(_("This team does not exist."))
    return team, edition


@blueprint.route("/teams/<int:team_id>")
def team(team_id: int):
    return render_team(*edition_team(team_id))


@blueprint.route("/teams/<int:team_id>/extension", methods=["POST"])
def extension(team_id: int):
    team, edition = edition_team(team_id)
    form = ExtensionForm()
    removing = request.form.get("remove") == "1"
    if removing and EmptyForm().validate_on_submit():
        deadlines.grant_extension(current_user, team, None)
        flash(_("The extension of %(team)s is removed.", team=team.display_name), "success")
        return redirect(url_for("submissions_admin.team", team_id=team.id))
    if not removing and form.validate_on_submit():
        try:
            deadlines.grant_extension(current_user, team, from_paris(form.until.data))
        except InvalidInput as error:
            attach_error(form, error)
        else:
            flash(_("%(team)s may now change its submission until %(when)s.",
                    team=team.display_name, when=deadlines.paris(team.deadline_extension_until)),
                  "success")
            return redirect(url_for("submissions_admin.team", team_id=team.id))
    return render_team(team, edition, extension_form=form)


@blueprint.route("/teams/<int:team_id>/stages/<int:milestone_id>/feedback", methods=["POST"])
def feedback(team_id: int, milestone_id: int):
    team, _edition = edition_team(team_id)
    form = FeedbackForm()
    flash_outcome(form, lambda: milestones.leave_feedback(current_user, team.id, milestone_id,
                                                          form.text.data),
                  _("Feedback sent to the team."))
    return redirect(url_for("submissions_admin.team", team_id=team.id)
                    + f"#stage-{milestone_id}")


@blueprint.route("/settings", methods=["GET", "POST"])
def settings():
    edition = require_current_edition()
    saved = deadlines.submission_settings(edition)
    form = SettingsForm(data=None if request.method == "POST" else {
        "deadline": to_paris(saved.deadline), "grace_minutes": saved.grace_minutes,
        "max_file_mb": saved.max_file_mb, "max_team_upload_mb": saved.max_team_upload_mb,
        "company_view_during_week": saved.company_view_during_week})
    if form.validate_on_submit():
        wanted = deadlines.SubmissionSettings(
            from_paris(form.deadline.data), form.max_file_mb.data,
            form.max_team_upload_mb.data, form.company_view_during_week.data,
            form.grace_minutes.data)
        try:
            deadlines.update_submission_settings(current_user, edition, wanted)
        except InvalidInput as error:
            attach_error(form, error)
        else:
            flash(_("Submission settings saved."), "success")
            return redirect(url_for("submissions_admin.index"))
    return render_template("submissions/admin/settings.html", form=form, edition=edition)
