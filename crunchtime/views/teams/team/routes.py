"""The team space: the team, its deadlines and announcements, its stages; the team's
name and each member's agreement to the public gallery; and the one address every role
downloads a team's file from."""

from __future__ import annotations

from flask import flash, jsonify, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from crunchtime.access import role_required
from crunchtime.errors import Conflict, InvalidInput
from crunchtime.extensions import db
from crunchtime.files.serving import send_stored_file
from crunchtime.models import Edition
from crunchtime.services.editions.current import current_edition
from crunchtime.services.presence.overview import team_presence
from crunchtime.services.scheduling.calendar import feed_token
from crunchtime.services.scheduling.pitches import team_pitches
from crunchtime.services.submissions import files as submission_files
from crunchtime.services.submissions import gallery
from crunchtime.services.submissions import versions as submissions
from crunchtime.services.submissions.deadlines import deadline_of, is_read_only, now
from crunchtime.services.submissions.files import Upload
from crunchtime.services.teams import milestones
from crunchtime.services.teams import space as teams
from crunchtime.teamwork import status as rules
from crunchtime.views.forms import EmptyForm, attach_error, flash_outcome
from crunchtime.views.teams.team.blueprint import blueprint
from crunchtime.views.teams.team.forms import GalleryForm, StageForm, TeamNameForm


def member_team(team_id: int):
    team = teams.team_for_member(current_user, team_id)
    return team, db.session.get(Edition, team.edition_id)


@blueprint.route("/")
@role_required("student")
def index():
    team = teams.team_of_student(current_user, current_edition())
    if team is None:
        return render_template("teams/team/no_team.html", edition=current_edition())
    return redirect(url_for("team.space", team_id=team.id))


def team_page_values(team, edition) -> dict:
    moment = now()
    submission = submissions.submission_of(team)
    stages = milestones.team_stages(team, edition, moment)
    return {
        "team": team, "edition": edition, "moment": moment, "submission": submission,
        "current": submissions.current_version(submission),
        "status": rules.submission_status(
            submission.version if submission else 0,
            submission.submitted_at if submission else None, edition.submission_deadline,
            team.deadline_extension_until, moment),
        "deadline": deadline_of(team, edition), "read_only": is_read_only(team, edition),
        "stages": stages, "stages_behind": sum(s.state == rules.STAGE_BEHIND for s in stages),
        "live_state": live_state(submission, stages),
    }


def live_state(submission, stages) -> dict:
    """The counters a page was drawn with; the live script compares them after a gap."""
    return {"version": submission.version if submission else 0,
            "feedback": sum(len(stage.feedback) for stage in stages),
            "done": sum(stage.progress is not None and stage.progress.completed_at is not None
                        for stage in stages)}


@blueprint.route("/<int:team_id>")
@role_required("student")
def space(team_id: int):
    team, edition = member_team(team_id)
    values = team_page_values(team, edition)
    consents = gallery.gallery_consents(team)
    mine = next((c for c in consents if c.user_id == current_user.id), None)
    return render_template(
        "teams/team/space.html", **values, teammates=teams.teammates(team),
        announcements=teams.team_announcements(team, values["moment"]),
        name_form=TeamNameForm(name=team.name or ""),
        gallery_form=GalleryForm(show_in_gallery=bool(mine and mine.agreed_at)),
        gallery_consents=consents, action_form=EmptyForm(),
        pitches=team_pitches(team, edition), pitch_feed=feed_token(current_user),
        team_here=team_presence(team, values["moment"]))


@blueprint.route("/<int:team_id>/name", methods=["POST"])
@role_required("student")
def rename(team_id: int):
    member_team(team_id)
    form = TeamNameForm()
    flash_outcome(form, lambda: teams.rename_team(current_user, team_id, form.name.data),
                  lambda _result: _("The team is now called “%(name)s”.",
                                    name=form.name.data.strip()),
                  refusals=(InvalidInput, Conflict))
    return redirect(url_for("team.space", team_id=team_id) + "#team-name")


@blueprint.route("/<int:team_id>/gallery", methods=["POST"])
@role_required("student")
def gallery_choice(team_id: int):
    """This member's own agreement: the project is shown once every member has agreed."""
    member_team(team_id)
    form = GalleryForm()
    if form.validate_on_submit():
        consents = gallery.set_gallery_consent(current_user, team_id, form.show_in_gallery.data)
        if not form.show_in_gallery.data:
            message = _("Your agreement is withdrawn: the project is not shown in the public "
                        "gallery.")
        elif all(consent.agreed_at for consent in consents):
            message = _("Every member has agreed: the project is shown in the public gallery, "
                        "which opens when the results are published.")
        else:
            message = _("Your agreement is recorded. The project will be shown in the public "
                        "gallery once every member has agreed.")
        flash(message, "success")
    return redirect(url_for("team.space", team_id=team_id) + "#gallery")


@blueprint.route("/<int:team_id>/stages")
@role_required("student")
def stages(team_id: int):
    team, edition = member_team(team_id)
    return render_stages(team, edition)


def render_stages(team, edition, failed_stage: int | None = None,
                  failed_form: StageForm | None = None, status: int = 200):
    values = team_page_values(team, edition)
    return render_template(
        "teams/team/stages.html", **values, failed_stage=failed_stage,
        failed_form=failed_form, stage_form=StageForm,
        building=edition.phase == "building"), status


@blueprint.route("/<int:team_id>/stages/<int:milestone_id>", methods=["POST"])
@role_required("student")
def complete_stage(team_id: int, milestone_id: int):
    team, edition = member_team(team_id)
    form = StageForm()
    if form.validate_on_submit():
        upload = form.file.data
        try:
            milestones.complete_stage(
                current_user, team.id, milestone_id, form.note.data or "",
                Upload(upload.stream, upload.filename) if getattr(upload, "filename", "")
                else None)
        except InvalidInput as error:
            attach_error(form, error)
        else:
            flash(_("Stage marked as done."), "success")
            return redirect(url_for("team.stages", team_id=team.id) + f"#stage-{milestone_id}")
    return render_stages(team, edition, milestone_id, form)


@blueprint.route("/<int:team_id>/state.json")
@role_required("student")
def state(team_id: int):
    """What the live script compares with the page after a reconnection."""
    team, edition = member_team(team_id)
    return jsonify(live_state(submissions.submission_of(team),
                              milestones.team_stages(team, edition)))


@blueprint.route("/files/<int:file_id>")
@role_required("student", "company", "jury", "organizer")
def file(file_id: int):
    """One address for everyone; the service decides who may download which file."""
    row = submission_files.file_for(current_user, file_id)
    return send_stored_file(row.stored_name, row.content_type, row.original_name)
