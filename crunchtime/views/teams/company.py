"""Companies and the teams on their challenges (blueprint "company_teams", /company/teams):
stages to coach, submissions read-only once allowed, private "interested" marks."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SubmitField, TextAreaField
from wtforms.validators import Length, Optional

from crunchtime.access import restrict_blueprint
from crunchtime.extensions import db
from crunchtime.models import Edition
from crunchtime.services.editions.current import current_edition
from crunchtime.services.presence.overview import team_presence, teams_here
from crunchtime.services.submissions import (
    actions as submission_actions,
)
from crunchtime.services.submissions import (
    deadlines,
)
from crunchtime.services.submissions import (
    versions as submissions,
)
from crunchtime.services.teams import for_company as company_teams
from crunchtime.services.teams import milestones
from crunchtime.views.forms import EmptyForm, flash_outcome
from crunchtime.views.submissions.admin.forms import FeedbackForm
from crunchtime.views.teams import display as team_display
from crunchtime.views.teams.team.forms import FIELD_LABELS

blueprint = Blueprint("company_teams", __name__, url_prefix="/company/teams")
blueprint.context_processor(team_display.template_globals)


restrict_blueprint(blueprint, "company")


class InterestForm(FlaskForm):
    note = TextAreaField(_l("Private note"), validators=[Optional(), Length(max=2000)],
                         description=_l("Only your organisation reads it."))
    submit = SubmitField(_l("We are interested in this team"))


@blueprint.route("/")
def index():
    edition = current_edition()
    rows = company_teams.company_team_rows(current_user, edition) if edition else []
    readable = edition is not None and deadlines.companies_may_read_submissions(edition)
    session, here = (teams_here(edition, [row.team.id for row in rows]) if edition
                     else (None, {}))
    return render_template("teams/company/index.html", edition=edition, rows=rows,
                           readable=readable, presence_session=session, here=here)


@blueprint.route("/<int:team_id>")
def team(team_id: int):
    team = company_teams.company_team(current_user, team_id)
    edition = db.session.get(Edition, team.edition_id)
    readable = deadlines.companies_may_read_submissions(edition)
    submission = submissions.submission_of(team)
    current = submissions.current_version(submission) if readable else None
    interest = company_teams.interest_in(current_user, team)
    return render_template(
        "teams/company/team.html", team=team, edition=edition, readable=readable,
        current=current, values=submissions.snapshot_of(current), field_labels=FIELD_LABELS,
        files=submission_actions.version_files(current) if current else [],
        stages=milestones.team_stages(team, edition), interest=interest,
        interest_form=InterestForm(note=interest.note if interest else ""),
        feedback_form=FeedbackForm(), action_form=EmptyForm(), team_here=team_presence(team))


@blueprint.route("/<int:team_id>/interest", methods=["POST"])
def mark_interest(team_id: int):
    form = InterestForm()
    flash_outcome(form, lambda: company_teams.mark_interest(current_user, team_id,
                                                            form.note.data or ""),
                  _("Your interest in this team is noted."))
    return redirect(url_for("company_teams.team", team_id=team_id) + "#interest")


@blueprint.route("/<int:team_id>/interest/remove", methods=["POST"])
def remove_interest(team_id: int):
    if EmptyForm().validate_on_submit():
        company_teams.remove_interest(current_user, team_id)
        flash(_("Your interest in this team is withdrawn."), "success")
    return redirect(url_for("company_teams.team", team_id=team_id) + "#interest")


@blueprint.route("/<int:team_id>/stages/<int:milestone_id>/feedback", methods=["POST"])
def feedback(team_id: int, milestone_id: int):
    company_teams.company_team(current_user, team_id)
    form = FeedbackForm()
    flash_outcome(form, lambda: milestones.leave_feedback(current_user, team_id, milestone_id,
                                                          form.text.data),
                  _("Feedback sent to the team."))
    return redirect(url_for("company_teams.team", team_id=team_id) + f"#stage-{milestone_id}")
