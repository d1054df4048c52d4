"""A team's answer to "do you want to continue the project?" (yes/no, who, what next),
asked in the team space once the submission is handed in."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from crunchtime.access import role_required
from crunchtime.errors import DomainError
from crunchtime.extensions import db
from crunchtime.models import Edition
from crunchtime.services.teams.continuation import (
    PLAN_MAX,
    WHO_MAX,
    may_answer,
    save_continuation,
    split_plan,
)
from crunchtime.services.teams.space import team_for_member
from crunchtime.views.forms import attach_error

blueprint = Blueprint("continuation", __name__, url_prefix="/team")


class ContinuationForm(FlaskForm):
    wants = RadioField(_l("Do you want to continue the project after the week?"),
                       choices=[SelectChoice("yes", _l("Yes")), SelectChoice("no", _l("No"))],
                       validators=[InputRequired(_l("Answer yes or no."))])
    who = StringField(_l("Who would carry on?"), validators=[Optional(), Length(max=WHO_MAX)],
                      description=_l("First names, and how much time each could give."))
    plan = TextAreaField(_l("What comes next?"), validators=[Optional(), Length(max=PLAN_MAX)],
                         description=_l("A first client, a pilot, a course project, an "
                                        "incubator…"))
    submit = SubmitField(_l("Save our answer"))


@blueprint.route("/<int:team_id>/future", methods=["GET", "POST"])
@role_required("student")
def future(team_id: int):
    team = team_for_member(current_user, team_id)
    who, plan = split_plan(team.continuation_plan)
    saved = {None: None, True: "yes", False: "no"}[team.wants_to_continue]
    form = ContinuationForm(data={"wants": saved, "who": who, "plan": plan}
                            if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            save_continuation(current_user, team.id, form.wants.data == "yes",
                              form.who.data or "", form.plan.data or "")
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(_("Your answer is saved; you can change it until the edition closes."),
                  "success")
            return redirect(url_for("continuation.future", team_id=team.id))
    edition = db.session.get(Edition, team.edition_id)
    return render_template("teams/team/future.html", team=team, form=form,
                           open=may_answer(team, edition))
