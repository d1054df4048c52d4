"""After judging: choosing the finalists, publishing the results, the CSV exports."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from crunchtime.errors import DomainError
from crunchtime.services.editions.current import require_current_edition
from crunchtime.services.judging import results as results_service
from crunchtime.services.judging.nominations import nomination_summaries
from crunchtime.services.judging.rankings import round_rankings, team_infos
from crunchtime.services.judging.rounds import (
    edition_rounds,
    final_round,
    first_round,
    round_team_ids,
)
from crunchtime.services.judging.words import (
    ESTIMATOR_UNITS,
    publish_acknowledgement,
    readiness_gaps,
    single_jury_places_text,
)
from crunchtime.views.downloads import csv_download
from crunchtime.views.forms import attach_error
from crunchtime.views.judging.admin.blueprint import blueprint
from crunchtime.views.judging.admin.forms import FinalistsForm, PublishForm
from crunchtime.views.judging.display import options

SUGGESTED_FINALISTS = 10


def _finalists_page(edition, form=None):
    round_one, final = first_round(edition), final_round(edition)
    result = (round_rankings(round_one, draws=0, estimators=[edition.leaderboard_estimator])
              if round_one is not None else None)
    chosen = round_team_ids(final) if final is not None else []
    form = form or FinalistsForm(formdata=None)
    if result is not None:
        standings = result.public_ranking.standings
        form.teams.choices = options([(row.team, result.teams[row.team].code)
                                      for row in standings], blank=False)
        if not form.is_submitted():
            form.teams.data = chosen or [row.team for row in standings
                                         if row.scored][:SUGGESTED_FINALISTS]
    return render_template("judging/admin/finalists.html", round_one=round_one, final=final,
                           result=result, form=form, chosen=chosen)


@blueprint.route("/finalists", methods=["GET", "POST"])
def finalists():
    edition = require_current_edition()
    form = FinalistsForm()
    if form.validate_on_submit():
        try:
            final = results_service.select_finalists(current_user, edition, form.teams.data)
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(_("Finalists saved: now assign the juries of the final."), "success")
            return redirect(url_for("judging_admin.assignment", round_id=final.id))
        return _finalists_page(edition, form)
    return _finalists_page(edition)


def _results_page(edition, form=None):
    plan_error, check = None, None
    try:
        check = results_service.publication_check(edition)
    except DomainError as error:
        plan_error = error.message
    plan = check.lines if check is not None else []
    summaries = nomination_summaries(edition)
    teams = team_infos({line.team_id for line in plan} | {s.team_id for s in summaries})
    form = form or PublishForm(formdata=None)
    if check is not None:
        form.acknowledge.label.text = publish_acknowledgement(check.single_jury_places,
                                                              check.teams_not_fully_judged)
    return render_template(
        "judging/admin/results.html", edition=edition, plan=plan, plan_error=plan_error,
        check=check, teams=teams, published=results_service.published_results(edition),
        nominations=summaries, form=form, readiness_gaps=readiness_gaps,
        single_jury_places_text=single_jury_places_text,
        open_rounds=[r for r in edition_rounds(edition) if r.status == "open"],
        score_unit=ESTIMATOR_UNITS[edition.leaderboard_estimator],
    )


@blueprint.route("/results", methods=["GET", "POST"])
def results():
    edition = require_current_edition()
    form = PublishForm()
    if form.validate_on_submit():
        try:
            results_service.publish_results(current_user, edition,
                                            acknowledge_gaps=form.acknowledge.data)
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(_("Results published: students and companies can see them."), "success")
            return redirect(url_for("judging_admin.results"))
        return _results_page(edition, form)
    return _results_page(edition, form if form.errors else None)


@blueprint.route("/scores.csv")
def scores_csv():
    edition = require_current_edition()
    return csv_download("scores.csv", results_service.SCORE_COLUMNS,
                        results_service.score_rows(edition))


@blueprint.route("/results.csv")
def results_csv():
    edition = require_current_edition()
    return csv_download("results.csv", results_service.RESULT_COLUMNS,
                        results_service.result_rows(edition))
