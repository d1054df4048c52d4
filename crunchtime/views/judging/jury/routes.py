"""The jury's queue and the scoring sheet of one team (works without JavaScript; with it,
scores go through the offline outbox of static/js/scoring.js and the JSON endpoint)."""

from __future__ import annotations

import uuid

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from crunchtime.access import restrict_blueprint
from crunchtime.errors import DomainError, Forbidden
from crunchtime.phases import is_open
from crunchtime.services.accounts.jury_profiles import jury_profile
from crunchtime.services.editions.current import current_edition, require_current_edition
from crunchtime.services.judging import nominations
from crunchtime.services.judging.ledger import writes as score_ledger
from crunchtime.services.judging.ledger.writes import ScoreInput
from crunchtime.services.judging.queue import TeamSheet, jury_queue, team_sheet
from crunchtime.services.scheduling.pitches import jury_pitches
from crunchtime.views.forms import EmptyForm, attach_error
from crunchtime.views.judging import display as judging_display
from crunchtime.views.judging.jury.forms import AbsentForm, NominationForm, score_sheet_form

blueprint = Blueprint("jury", __name__, url_prefix="/jury")
blueprint.context_processor(judging_display.template_globals)


restrict_blueprint(blueprint, "jury")


@blueprint.route("/")
def home():
    edition = current_edition()
    queue = None
    if edition is not None:
        try:
            queue = jury_queue(jury_profile(current_user, edition))
        except Forbidden:
            queue = None
    return render_template("judging/jury/home.html", edition=edition, queue=queue,
                           finished=_finished_round(queue),
                           pitches=jury_pitches(current_user, edition))


def _finished_round(queue) -> dict | None:
    """The round whose last team was just saved with "next" (`?finished=<round id>`), with
    how many of its teams are still to score (scores still on their way, teams skipped)."""
    round_id = request.args.get("finished", type=int)
    if queue is None or round_id is None:
        return None
    items = [item for group in (queue.to_score, queue.scored, queue.absent) for item in group
             if item.round_id == round_id]
    if not items:
        return None
    left = sum(1 for item in queue.to_score if item.round_id == round_id)
    return {"name": items[0].round_name, "left": left}


def next_team_url(sheet: TeamSheet) -> str:
    """Where "save and go to the next team" leads: the jury's next team to score in the
    round, or its home saying the round is done."""
    following = sheet.place.next_team if sheet.place else None
    if following is None:
        return url_for("jury.home", finished=sheet.judging_round.id)
    return url_for("jury.team", round_id=following.round_id, team_id=following.team_id)


def _sheet(round_id: int, team_id: int) -> TeamSheet:
    edition = require_current_edition()
    return team_sheet(jury_profile(current_user, edition), edition, round_id, team_id)


def _render_team(sheet: TeamSheet, form=None, nomination_form=None):
    edition = require_current_edition()
    if form is None:
        form = score_sheet_form(sheet.criteria, judging_display.criterion_label,
                                formdata=None, batch=uuid.uuid4().hex, comment=sheet.comment)
        for criterion_id, value in sheet.values.items():
            form[f"criterion_{criterion_id}"].data = f"{value:g}"
    if nomination_form is None:
        nomination_form = NominationForm(formdata=None, obj=sheet.nomination)
    scoring_open = (sheet.judging_round.status == "open" and not sheet.conflict
                    and is_open("score_project", edition.phase))
    return render_template(
        "judging/jury/team.html", sheet=sheet, form=form, nomination_form=nomination_form,
        scoring_open=scoring_open, undo_form=EmptyForm(), absent_form=AbsentForm(),
        next_url=next_team_url(sheet),
    )


@blueprint.route("/rounds/<int:round_id>/teams/<int:team_id>", methods=["GET", "POST"])
def team(round_id: int, team_id: int):
    sheet = _sheet(round_id, team_id)
    if request.method == "GET":
        return _render_team(sheet)
    form = score_sheet_form(sheet.criteria, judging_display.criterion_label)
    if form.validate_on_submit():
        onward = form.submit_next.data
        entries = _changed_scores(form, sheet)
        if not entries:
            if onward:
                return redirect(next_team_url(sheet))
            flash(_("Nothing to save: no score changed."), "info")
            return redirect(url_for("jury.team", round_id=round_id, team_id=team_id))
        try:
            score_ledger.record_scores(current_user, entries)
        except DomainError as error:
            attach_error(form, error)
        else:
            if onward:
                flash(_("Your scores for %(team)s are saved.", team=sheet.team.code), "success")
                return redirect(next_team_url(sheet))
            flash(_("Your scores are saved. You can undo them for 30 seconds."), "success")
            return redirect(url_for("jury.team", round_id=round_id, team_id=team_id))
    return _render_team(sheet, form=form)


def _changed_scores(form, sheet: TeamSheet) -> list[ScoreInput]:
    """One event per criterion whose value changed (all of them when the comment changed);
    ids derive from the form's batch id, so a second submission of it changes nothing."""
    comment = (form.comment.data or "").strip()
    everything = comment != sheet.comment
    return [
        ScoreInput(f"{form.batch.data}-{criterion_id}", sheet.judging_round.id, sheet.team.id,
                   criterion_id, value, comment)
        for criterion_id, value in sorted(form.chosen_values().items())
        if everything or sheet.values.get(criterion_id) != value
    ]


@blueprint.route("/rounds/<int:round_id>/teams/<int:team_id>/undo", methods=["POST"])
def undo(round_id: int, team_id: int):
    sheet = _sheet(round_id, team_id)
    if EmptyForm().validate_on_submit() and sheet.undoable:
        try:
            score_ledger.undo_scores(current_user, [
                (f"undo-seq-{event.seq:08d}", event.client_event_id) for event in sheet.undoable])
        except DomainError as error:
            flash(error.message, "error")
        else:
            flash(_("Your last scores are undone."), "success")
    elif not sheet.undoable:
        flash(_("The 30 seconds to undo have passed: enter the right score instead, it will "
                "be recorded as a correction."), "info")
    return redirect(url_for("jury.team", round_id=round_id, team_id=team_id))


@blueprint.route("/rounds/<int:round_id>/teams/<int:team_id>/absent", methods=["POST"])
def absent(round_id: int, team_id: int):
    form = AbsentForm()
    if form.validate_on_submit():
        try:
            status = score_ledger.mark_absent(current_user, round_id, team_id,
                                              absent=form.absent.data == "1")
        except DomainError as error:
            flash(error.message, "error")
            return redirect(url_for("jury.team", round_id=round_id, team_id=team_id))
        flash(_("Team marked absent: it is out of your queue.") if status == "absent"
              else _("Team back in your queue."), "success")
    return redirect(url_for("jury.home"))


@blueprint.route("/rounds/<int:round_id>/teams/<int:team_id>/nomination", methods=["POST"])
def nominate(round_id: int, team_id: int):
    sheet = _sheet(round_id, team_id)
    form = NominationForm()
    if form.validate_on_submit():
        try:
            nominations.save_nomination(current_user, team_id, form.ratings(),
                                        form.comment.data or "", withdrawn=form.withdraw.data)
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(_("Nomination withdrawn.") if form.withdraw.data
                  else _("Nomination for incubation saved."), "success")
            return redirect(url_for("jury.team", round_id=round_id, team_id=team_id))
    return _render_team(sheet, nomination_form=form)
