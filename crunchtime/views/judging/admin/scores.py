"""A round's scores as the ledger replays them (now or at a past event), retractions, and the
three rankings side by side."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from crunchtime.errors import DomainError
from crunchtime.services.editions.current import require_current_edition
from crunchtime.services.judging.ledger import retractions as score_retractions
from crunchtime.services.judging.ledger.queries import (
    last_seq,
    ledger_labels,
    ledger_page,
    score_lines,
)
from crunchtime.services.judging.rankings import DEFAULT_TOP_K, round_rankings
from crunchtime.services.judging.rounds import get_round
from crunchtime.services.judging.words import ESTIMATOR_UNITS
from crunchtime.views.judging.admin.blueprint import blueprint
from crunchtime.views.judging.admin.forms import ReplayForm, RetractForm
from crunchtime.views.templating import page_number

FINAL_TOP_K = 3
SCORES_SHOWN = 200


def _replay_form() -> ReplayForm:
    form = ReplayForm(request.args)
    form.validate()
    return form


def _seq(form: ReplayForm) -> int | None:
    return None if form.seq.errors else form.seq.data


@blueprint.route("/rounds/<int:round_id>/scores")
def scores(round_id: int):
    judging_round = get_round(require_current_edition(), round_id)
    form = _replay_form()
    upto = _seq(form)
    pagination = ledger_page(judging_round, page_number(), upto)
    lines = score_lines([judging_round], upto)
    team = (form.team.data or "").strip().upper()
    if team:
        lines = [line for line in lines if line.team_code == team]
    return render_template(
        "judging/admin/scores.html", judging_round=judging_round, form=form, upto=upto,
        lines=lines[:SCORES_SHOWN], total=len(lines), team=team, pagination=pagination,
        labels=ledger_labels(pagination.items), last=last_seq(judging_round.id),
        retract_form=RetractForm(formdata=None),
    )


@blueprint.route("/rounds/<int:round_id>/scores/<int:seq>/retract", methods=["POST"])
def retract(round_id: int, seq: int):
    judging_round = get_round(require_current_edition(), round_id)
    form = RetractForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            flash(" ".join(str(error) for error in errors), "error")
    else:
        try:
            score_retractions.retract_score(current_user, judging_round, seq,
                                            form.reason.data)
        except DomainError as error:
            flash(error.message, "error")
        else:
            flash(_("Score no. %(seq)d retracted.", seq=seq), "success")
    return redirect(url_for("judging_admin.scores", round_id=round_id))


@blueprint.route("/rounds/<int:round_id>/rankings")
def rankings(round_id: int):
    judging_round = get_round(require_current_edition(), round_id)
    form = _replay_form()
    default_k = FINAL_TOP_K if judging_round.kind == "final" else DEFAULT_TOP_K
    top_k = default_k if form.k.errors or not form.k.data else form.k.data
    result = round_rankings(judging_round, upto_seq=_seq(form), top_k=top_k)
    return render_template("judging/admin/rankings.html", judging_round=judging_round,
                           form=form, result=result, estimator_units=ESTIMATOR_UNITS)
