"""Organisers' incubation review: the flagged teams ranked with their reasons, a team's
evidence and decision, the weights, the shortlist (CSV and printable), past outcomes."""

from __future__ import annotations

import os

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from crunchtime.access import role_required
from crunchtime.errors import DomainError
from crunchtime.incubation import SIGNALS
from crunchtime.phases import allowed_phases, is_open
from crunchtime.services.editions.current import require_current_edition
from crunchtime.services.editions.words import phase_label
from crunchtime.services.exchange.exports import INCUBATION_COLUMNS, shortlist_rows
from crunchtime.services.exchange.imports import ImportRejected
from crunchtime.services.incubation import flags as incubation
from crunchtime.services.incubation import review as incubation_review
from crunchtime.services.incubation.outcomes import import_outcomes, past_editions
from crunchtime.services.incubation.words import outcome_problem_message
from crunchtime.services.submissions.overview import challenges_with_teams
from crunchtime.views.downloads import csv_download, requested_delimiter
from crunchtime.views.forms import EmptyForm, attach_error
from crunchtime.views.incubation import display as words
from crunchtime.views.incubation.forms import (
    DecisionForm,
    OutcomesForm,
    QueueFilterForm,
    WeightsForm,
)

blueprint = Blueprint("incubation", __name__, url_prefix="/organizer/incubation")
blueprint.context_processor(words.template_globals)


@blueprint.before_request
@role_required("organizer")
def organisers_only():
    return None


@blueprint.route("/")
def queue():
    edition = require_current_edition()
    form = QueueFilterForm(request.args)
    form.challenge.choices = [SelectChoice("", _("All"))] + [
        SelectChoice(str(c.id), f"{c.code} — {c.title}") for c in challenges_with_teams(edition)]
    challenge = form.challenge.data
    rows = incubation_review.review_queue(
        edition, int(challenge) if challenge and challenge.isdigit() else None,
        form.status.data or None, form.order.data or "score")
    return render_template(
        "incubation/queue.html", edition=edition, form=form, rows=rows,
        counts=incubation_review.status_counts(edition),
        report=incubation.model_report(edition), compute_form=EmptyForm(),
        settings=incubation.incubation_settings(edition),
        compute_phases=compute_phases(edition))


def compute_phases(edition) -> list[str] | None:
    """None when the flags can be computed now; else the names of the phases that allow it."""
    if is_open("review_incubation", edition.phase):
        return None
    return [phase_label(phase) for phase in allowed_phases("review_incubation")]


@blueprint.route("/compute", methods=["POST"])
def compute():
    if EmptyForm().validate_on_submit():
        try:
            summary = incubation.compute_flags(current_user, require_current_edition())
        except DomainError as error:
            flash(error.message, "error")
        else:
            flash(ngettext("%(num)d team flagged for review.",
                           "%(num)d teams flagged for review.", summary.flagged), "success")
    return redirect(url_for("incubation.queue"))


@blueprint.route("/settings", methods=["GET", "POST"])
def settings():
    edition = require_current_edition()
    current = incubation.incubation_settings(edition)
    form = WeightsForm(data={**current["weights"], "flag_share": current["flag_share"]}
                       if request.method == "GET" else None)
    if form.validate_on_submit():
        weights = {name: getattr(form, name).data for name in SIGNALS}
        try:
            incubation.save_settings(current_user, edition, weights, form.flag_share.data)
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(_("Weights saved."), "success")
            return redirect(url_for("incubation.settings"))
    return render_template("incubation/settings.html", form=form, signals=SIGNALS)


@blueprint.route("/flags/<int:flag_id>", methods=["GET", "POST"])
def team(flag_id: int):
    edition = require_current_edition()
    evidence = incubation_review.evidence(edition, flag_id)
    form = DecisionForm(data={"status": evidence.row.flag.status,
                              "note": evidence.row.flag.note}
                        if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            incubation_review.decide(current_user, edition, flag_id, form.status.data,
                                     form.note.data or "")
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(_("Decision recorded."), "success")
            return redirect(url_for("incubation.team", flag_id=flag_id))
    scores = incubation_review.team_scores(edition, evidence.row.team.id)
    return render_template("incubation/team.html", evidence=evidence, form=form,
                           scores=scores)


@blueprint.route("/shortlist.csv")
def shortlist_csv():
    edition = require_current_edition()
    return csv_download("shortlist.csv", INCUBATION_COLUMNS, shortlist_rows(edition),
                        delimiter=requested_delimiter())


@blueprint.route("/shortlist/print")
def shortlist_print():
    edition = require_current_edition()
    projects = [incubation_review.evidence(edition, row.flag.id)
                for row in incubation_review.shortlist(edition)]
    return render_template("incubation/print.html", edition=edition, projects=projects,
                           all_scores=incubation_review.scores_by_team(edition))


@blueprint.route("/outcomes", methods=["GET", "POST"])
def outcomes():
    current = require_current_edition()
    form = OutcomesForm()
    form.edition.choices = [SelectChoice(e.id, f"{e.name} ({e.year})")
                            for e in past_editions(current)]
    report = None
    if form.validate_on_submit():
        upload = form.file.data
        name = os.path.basename((upload.filename or "").replace("\\", "/"))[:200]
        try:
            report = import_outcomes(current_user, form.edition.data, upload.read(), current,
                                     filename=name)
        except ImportRejected as rejected:
            report = rejected.report
        except DomainError as error:
            attach_error(form, error)
    return render_template("incubation/outcomes.html", form=form, report=report,
                           describe=outcome_problem_message)
