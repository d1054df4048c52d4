"""Rounds and their rubric: the overview, a round's settings and state, its criteria."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from crunchtime.errors import DomainError
from crunchtime.services.accounts.jury_profiles import jury_names
from crunchtime.services.editions.current import require_current_edition
from crunchtime.services.judging import rounds as rounds_service
from crunchtime.services.judging.conflicts import conflict_lines
from crunchtime.services.judging.overview import RoundCounts, round_counts
from crunchtime.services.judging.readiness import round_readiness, round_setup
from crunchtime.services.judging.words import (
    ROUND_ACTION_LABELS,
    ROUND_STATUS_LABELS,
    close_acknowledgement,
    label_of,
    readiness_gaps,
)
from crunchtime.views.forms import EmptyForm, attach_error
from crunchtime.views.judging.admin.blueprint import blueprint
from crunchtime.views.judging.admin.forms import (
    CriterionForm,
    EstimatorForm,
    RoundForm,
    RoundSettingsForm,
    StatusForm,
)


def _round(round_id: int):
    return rounds_service.get_round(require_current_edition(), round_id)


@blueprint.route("/", methods=["GET", "POST"])
def overview():
    edition = require_current_edition()
    form = RoundForm()
    if form.validate_on_submit():
        try:
            judging_round = rounds_service.create_round(
                current_user, edition, form.name.data or "", form.kind.data,
                form.juries_per_team.data, form.exclude_own_organisation.data)
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(_("Round “%(name)s” added.", name=judging_round.name), "success")
            return redirect(url_for("judging_admin.round_detail", round_id=judging_round.id))
    return render_template(
        "judging/admin/overview.html", edition=edition, form=form,
        rounds=rounds_service.edition_rounds(edition), counts=round_counts(edition),
        empty_counts=RoundCounts(), default_form=EmptyForm(),
        estimator_form=EstimatorForm(estimator=edition.leaderboard_estimator),
        conflicts=conflict_lines(edition), juries=jury_names(edition),
    )


@blueprint.route("/default-round", methods=["POST"])
def default_round():
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        judging_round = rounds_service.create_default_rounds(current_user,
                                                             require_current_edition())
    except DomainError as error:
        flash(error.message, "error")
        return redirect(url_for("judging_admin.overview"))
    flash(_("Round 1 created with the default rubric: adjust it if needed."), "success")
    return redirect(url_for("judging_admin.round_detail", round_id=judging_round.id))


@blueprint.route("/estimator", methods=["POST"])
def estimator():
    form = EstimatorForm()
    if form.validate_on_submit():
        try:
            rounds_service.set_leaderboard_estimator(current_user, require_current_edition(),
                                                     form.estimator.data)
        except DomainError as error:
            flash(error.message, "error")
        else:
            flash(_("Ranking method saved."), "success")
    return redirect(url_for("judging_admin.overview"))


def _render_round(judging_round, settings_form=None, criterion_form=None):
    settings_form = settings_form or RoundSettingsForm(obj=judging_round, formdata=None)
    edition = require_current_edition()
    readiness = round_readiness(judging_round)
    status_form = StatusForm(formdata=None)
    status_form.acknowledge.label.text = close_acknowledgement(readiness)
    return render_template(
        "judging/admin/round.html", judging_round=judging_round, settings_form=settings_form,
        criterion_form=criterion_form or CriterionForm(formdata=None),
        status_form=status_form, delete_form=EmptyForm(),
        transitions=rounds_service.ROUND_TRANSITIONS.get(judging_round.status, ()),
        counts=round_counts(edition).get(judging_round.id, RoundCounts()),
        readiness=readiness, gaps=readiness_gaps(readiness), setup=round_setup(edition),
        edition=edition, round_actions=ROUND_ACTION_LABELS,
        past_judging=rounds_service.past_judging(judging_round),
    )


@blueprint.route("/rounds/<int:round_id>", methods=["GET", "POST"])
def round_detail(round_id: int):
    judging_round = _round(round_id)
    form = RoundSettingsForm()
    if form.validate_on_submit():
        try:
            rounds_service.update_round(current_user, judging_round, form.name.data,
                                        form.juries_per_team.data,
                                        form.exclude_own_organisation.data)
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(_("Round settings saved."), "success")
            return redirect(url_for("judging_admin.round_detail", round_id=round_id))
        return _render_round(judging_round, settings_form=form)
    return _render_round(judging_round, settings_form=form if form.errors else None)


@blueprint.route("/rounds/<int:round_id>/status", methods=["POST"])
def round_status(round_id: int):
    judging_round = _round(round_id)
    form = StatusForm()
    if form.validate_on_submit():
        try:
            rounds_service.set_round_status(current_user, judging_round, form.status.data,
                                            acknowledge_gaps=form.acknowledge.data)
        except DomainError as error:
            flash(error.message, "error")
        else:
            flash(_("Round “%(name)s”: %(status)s.", name=judging_round.name,
                    status=label_of(ROUND_STATUS_LABELS, judging_round.status)), "success")
    return redirect(url_for("judging_admin.round_detail", round_id=round_id))


def _criterion_input(form: CriterionForm) -> rounds_service.CriterionInput:
    low, high = form.scale_min.data, form.scale_max.data
    return rounds_service.CriterionInput(
        label_fr=form.label_fr.data or "", label_en=form.label_en.data or "",
        weight=form.weight.data, scale_min=low, scale_max=high,
        levels=rounds_service.parse_levels(form.levels.data or "", low, high))


@blueprint.route("/rounds/<int:round_id>/criteria", methods=["POST"])
def add_criterion(round_id: int):
    judging_round = _round(round_id)
    form = CriterionForm()
    if form.validate_on_submit():
        try:
            rounds_service.add_criterion(current_user, judging_round, _criterion_input(form))
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(_("Criterion added."), "success")
            return redirect(url_for("judging_admin.round_detail", round_id=round_id))
    return _render_round(judging_round, criterion_form=form)


@blueprint.route("/rounds/<int:round_id>/criteria/<int:criterion_id>",
                 methods=["GET", "POST"])
def edit_criterion(round_id: int, criterion_id: int):
    judging_round = _round(round_id)
    criterion = rounds_service.get_criterion(judging_round, criterion_id)
    form = CriterionForm(obj=criterion)
    if form.validate_on_submit():
        try:
            rounds_service.update_criterion(current_user, criterion, _criterion_input(form))
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(_("Criterion saved."), "success")
            return redirect(url_for("judging_admin.round_detail", round_id=round_id))
    elif not form.is_submitted():
        form.levels.data = rounds_service.levels_text(criterion.levels)
    return render_template("judging/admin/criterion.html", judging_round=judging_round,
                           criterion=criterion, form=form, delete_form=EmptyForm())


@blueprint.route("/rounds/<int:round_id>/criteria/<int:criterion_id>/delete",
                 methods=["POST"])
def delete_criterion(round_id: int, criterion_id: int):
    judging_round = _round(round_id)
    criterion = rounds_service.get_criterion(judging_round, criterion_id)
    if EmptyForm().validate_on_submit():
        try:
            rounds_service.delete_criterion(current_user, criterion)
        except DomainError as error:
            flash(error.message, "error")
        else:
            flash(_("Criterion removed."), "success")
    return redirect(url_for("judging_admin.round_detail", round_id=round_id))
