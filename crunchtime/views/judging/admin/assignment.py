"""Jury assignment of a round: coverage, the automatic assignment, adjustments by hand."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from crunchtime.errors import DomainError
from crunchtime.services.accounts.jury_profiles import jury_names
from crunchtime.services.editions.current import require_current_edition
from crunchtime.services.judging import assignment as jury_assignment
from crunchtime.services.judging import assignment_report
from crunchtime.services.judging.rankings import team_infos
from crunchtime.services.judging.rounds import get_round
from crunchtime.views.forms import EmptyForm, attach_error
from crunchtime.views.judging.admin.blueprint import blueprint
from crunchtime.views.judging.admin.forms import AssignForm, PairForm
from crunchtime.views.judging.display import options


def _page(judging_round, assign_form=None, pair_form=None):
    edition = require_current_edition()
    names = jury_names(edition)
    coverage = assignment_report.assignment_coverage(judging_round)
    teams = team_infos(coverage.per_team)
    pair_form = pair_form or PairForm(formdata=None)
    pair_form.jury.choices = options(sorted(names.items(), key=lambda item: item[1]),
                                     blank=False)
    pair_form.team.choices = options([(info.id, f"{info.code} — {info.challenge_title}")
                                      for info in sorted(teams.values(),
                                                         key=lambda info: info.code)],
                                     blank=False)
    return render_template(
        "judging/admin/assignment.html", judging_round=judging_round, coverage=coverage,
        rows=assignment_report.assignment_rows(judging_round), names=names, teams=teams,
        assign_form=assign_form or AssignForm(formdata=None), pair_form=pair_form,
        remove_form=EmptyForm(),
    )


@blueprint.route("/rounds/<int:round_id>/assignment")
def assignment(round_id: int):
    return _page(get_round(require_current_edition(), round_id))


def _outcome_messages(outcome, judging_round, names) -> None:
    flash(ngettext("%(num)d assignment added.", "%(num)d assignments added.",
                   outcome.created), "success")
    if outcome.removed:
        flash(ngettext("%(num)d assignment crossing a conflict of interest was removed.",
                       "%(num)d assignments crossing a conflict of interest were removed.",
                       outcome.removed), "info")
    for warning in assignment_report.plan_warnings(outcome.plan,
                                                   judging_round.juries_per_team, names):
        flash(warning, "warning")


@blueprint.route("/rounds/<int:round_id>/assignment/run", methods=["POST"])
def run_assignment(round_id: int):
    edition = require_current_edition()
    judging_round = get_round(edition, round_id)
    form = AssignForm()
    if form.validate_on_submit():
        try:
            outcome = jury_assignment.apply_assignment(current_user, judging_round,
                                                       seed=form.seed.data or 0)
        except DomainError as error:
            attach_error(form, error)
        else:
            _outcome_messages(outcome, judging_round, jury_names(edition))
            return redirect(url_for("judging_admin.assignment", round_id=round_id))
    return _page(judging_round, assign_form=form)


@blueprint.route("/rounds/<int:round_id>/assignment/pairs", methods=["POST"])
def add_pair(round_id: int):
    judging_round = get_round(require_current_edition(), round_id)
    form = PairForm()
    if form.validate_on_submit():
        try:
            jury_assignment.add_assignment(current_user, judging_round, form.jury.data,
                                           form.team.data)
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(_("Assignment added."), "success")
            return redirect(url_for("judging_admin.assignment", round_id=round_id))
    return _page(judging_round, pair_form=form)


@blueprint.route("/rounds/<int:round_id>/assignment/pairs/<int:assignment_id>/remove",
                 methods=["POST"])
def remove_pair(round_id: int, assignment_id: int):
    judging_round = get_round(require_current_edition(), round_id)
    if EmptyForm().validate_on_submit():
        try:
            jury_assignment.remove_assignment(current_user, judging_round, assignment_id)
        except DomainError as error:
            flash(error.message, "error")
        else:
            flash(_("Assignment removed."), "success")
    return redirect(url_for("judging_admin.assignment", round_id=round_id))
