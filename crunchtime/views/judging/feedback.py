"""The juries' feedback to the teams: students and companies read it (blueprint "feedback",
/feedback), organisers choose when and how it is shown and preview it ("feedback_admin",
/organizer/judging/feedback)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, SubmitField
from wtforms.fields.choices import SelectChoice

from crunchtime.access import restrict_blueprint
from crunchtime.errors import DomainError
from crunchtime.services.editions.current import current_edition, require_current_edition
from crunchtime.services.judging import feedback as feedback_service
from crunchtime.views.forms import attach_error
from crunchtime.views.judging import display as judging_display

blueprint = Blueprint("feedback", __name__, url_prefix="/feedback")
blueprint.context_processor(judging_display.template_globals)
restrict_blueprint(blueprint, "student", "company")

admin_blueprint = Blueprint("feedback_admin", __name__, url_prefix="/organizer/judging/feedback")
admin_blueprint.context_processor(judging_display.template_globals)
restrict_blueprint(admin_blueprint, "organizer")

COMMENT_CHOICES = [
    SelectChoice("anonymous", _l("Anonymised: “Jury 1”, “Jury 2”…")),
    SelectChoice("named", _l("With the juries' names")),
    SelectChoice("hidden", _l("Not shown (marks only)")),
]


class FeedbackSettingsForm(FlaskForm):
    open = BooleanField(_l("Teams can read their feedback now"),
                        description=_l("Possible once the results are published."))
    comments = SelectField(_l("Juries' comments"), choices=COMMENT_CHOICES,
                           default="anonymous")
    companies = BooleanField(
        _l("The organisation of a team's challenge reads the team's feedback too"),
        default=True)
    submit = SubmitField(_l("Save"))


@blueprint.route("/")
def index():
    edition = current_edition()
    mine = feedback_service.viewer_feedback(current_user, edition)
    if current_user.role == "student" and mine.refusal is None and len(mine.teams) == 1:
        return redirect(url_for("feedback.team", team_id=mine.teams[0].id))
    return render_template("judging/feedback/index.html", edition=edition, mine=mine)


@blueprint.route("/teams/<int:team_id>")
def team(team_id: int):
    feedback = feedback_service.readable_feedback(current_user, team_id)
    return render_template("judging/feedback/team.html", feedback=feedback, preview=False)


def _settings_page(edition, form):
    teams = feedback_service.scored_teams(edition)
    chosen = request.args.get("team", type=int) or (teams[0].id if teams else None)
    preview = None
    if chosen is not None:
        try:
            preview = feedback_service.preview_feedback(edition, chosen)
        except DomainError as error:
            flash(error.message, "error")
    return render_template(
        "judging/feedback/settings.html", edition=edition, form=form, teams=teams,
        chosen=chosen, feedback=preview,
        settings=feedback_service.feedback_settings(edition),
        published=feedback_service.results_published(edition))


@admin_blueprint.route("/", methods=["GET", "POST"])
def settings():
    edition = require_current_edition()
    stored = feedback_service.feedback_settings(edition)
    form = FeedbackSettingsForm(data={"open": stored.open, "comments": stored.comments,
                                      "companies": stored.companies}
                                if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            feedback_service.set_feedback_settings(
                current_user, edition, open=form.open.data, comments=form.comments.data,
                companies=form.companies.data)
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(_("Feedback settings saved."), "success")
            return redirect(url_for("feedback_admin.settings", team=request.args.get("team")))
    return _settings_page(edition, form)
