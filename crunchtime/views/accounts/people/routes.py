"""Organisers' lists of people (students, companies, juries), exports, demand, vocabulary."""

from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from crunchtime import charts
from crunchtime.access import restrict_blueprint
from crunchtime.errors import DomainError
from crunchtime.services.accounts import people, vocabulary
from crunchtime.services.challenges import preferences
from crunchtime.services.editions.current import require_current_edition
from crunchtime.views.accounts.people.forms import StudentFilterForm, VocabularyEntryForm
from crunchtime.views.downloads import csv_download
from crunchtime.views.forms import EmptyForm, attach_error
from crunchtime.views.templating import page_number

blueprint = Blueprint("people", __name__, url_prefix="/organizer")


restrict_blueprint(blueprint, "organizer")


def _yes_no(value: str | None) -> bool | None:
    return {"yes": True, "no": False}.get(value or "")


def _student_filters(edition):
    form = StudentFilterForm(request.args)
    form.programme.choices = [SelectChoice("", _("All"))] + [
        SelectChoice(str(p.id), p.name) for p in people.edition_programmes(edition)]
    form.validate()
    programme = form.programme.data
    filters = people.StudentFilters(
        programme_id=int(programme) if programme and programme.isdigit() else None,
        year=form.year.data if not form.year.errors else None,
        complete=_yes_no(form.complete.data), ranked=_yes_no(form.ranked.data),
        in_group=_yes_no(form.group.data), query=form.q.data or "",
    )
    return form, filters


@blueprint.route("/students")
def students():
    edition = require_current_edition()
    form, filters = _student_filters(edition)
    pagination = people.students_page(edition, filters, page_number())
    arguments = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template("accounts/people/students.html", form=form, pagination=pagination,
                           arguments=arguments)


@blueprint.route("/students.csv")
def students_csv():
    edition = require_current_edition()
    _form, filters = _student_filters(edition)
    return csv_download("students.csv", people.STUDENT_COLUMNS,
                        people.student_rows(edition, filters))


@blueprint.route("/companies")
def companies():
    return render_template("accounts/people/companies.html",
                           pagination=people.companies_page(page_number()))


@blueprint.route("/companies.csv")
def companies_csv():
    return csv_download("companies.csv", people.COMPANY_COLUMNS, people.company_rows())


@blueprint.route("/juries.csv")
def juries_csv():
    edition = require_current_edition()
    return csv_download("juries.csv", people.JURY_COLUMNS, people.jury_rows(edition))


@blueprint.route("/demand")
def demand():
    edition = require_current_edition()
    rows = preferences.challenge_demand(edition)
    chart = charts.horizontal_bars([(row.code, row.first_choices) for row in rows],
                                   marks=[row.capacity for row in rows])
    return render_template("accounts/people/demand.html", edition=edition,
                           summary=preferences.demand_summary(edition),
                           rows=list(zip(rows, chart.bars, strict=True)), chart=chart)


@blueprint.route("/demand.json")
def demand_json():
    """The same figures as the page, fetched again by the page after a reconnection."""
    return jsonify(preferences.demand_summary(require_current_edition()))


@blueprint.route("/lists/<kind>", methods=["GET", "POST"])
def vocabulary_list(kind: str):
    if kind not in vocabulary.KINDS:
        abort(404)
    form = VocabularyEntryForm()
    if form.validate_on_submit():
        try:
            entry = vocabulary.add_entry(current_user, kind, form.name.data)
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(_("“%(name)s” added.", name=entry.name), "success")
            return redirect(url_for("people.vocabulary_list", kind=kind))
    return render_template("accounts/people/vocabulary.html", kind=kind, form=form,
                           entries=vocabulary.vocabulary_usage(kind),
                           remove_form=EmptyForm())


@blueprint.route("/lists/<kind>/<int:entry_id>/remove", methods=["POST"])
def vocabulary_remove(kind: str, entry_id: int):
    if not EmptyForm().validate_on_submit():
        abort(400)
    vocabulary.remove_entry(current_user, kind, entry_id)
    flash(_("Entry removed."), "success")
    return redirect(url_for("people.vocabulary_list", kind=kind))
