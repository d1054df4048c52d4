"""Organisers upload the students or challenges file (CSV, .xlsx or .ods); the page shows the
counts, or every broken row of a refused file (nothing imported: fix it and send it again)."""

from __future__ import annotations

import os
from collections.abc import Callable

from flask import Blueprint, render_template
from flask_login import current_user

from crunchtime.access import restrict_blueprint
from crunchtime.errors import DomainError
from crunchtime.imports import CHALLENGE_COLUMNS, MAX_DATA_ROWS, STUDENT_COLUMNS
from crunchtime.services.editions.current import require_current_edition
from crunchtime.services.exchange.imports import ImportRejected, import_challenges, import_students
from crunchtime.services.exchange.words import problem_message
from crunchtime.views.exchange.forms import ImportForm
from crunchtime.views.forms import attach_error

blueprint = Blueprint("imports", __name__, url_prefix="/organizer/import")


restrict_blueprint(blueprint, "organizer")


@blueprint.route("/students", methods=["GET", "POST"])
def students():
    return import_page(
        "exchange/imports/students.html", STUDENT_COLUMNS,
        lambda edition, data, name: import_students(edition, data, current_user, filename=name),
    )


@blueprint.route("/challenges", methods=["GET", "POST"])
def challenges():
    return import_page(
        "exchange/imports/challenges.html", CHALLENGE_COLUMNS,
        lambda edition, data, name: import_challenges(edition, data, current_user, filename=name),
    )


def import_page(template: str, columns: tuple[str, ...], run_import: Callable):
    """The upload form, then the report of what the upload did (or why it was refused)."""
    form = ImportForm()
    report = None
    if form.validate_on_submit():
        upload = form.file.data
        name = os.path.basename((upload.filename or "").replace("\\", "/"))[:200]
        try:
            report = run_import(require_current_edition(), upload.read(), name)
        except ImportRejected as rejected:
            report = rejected.report
        except DomainError as error:
            attach_error(form, error)
    return render_template(
        template, form=form, report=report, columns=columns, describe=problem_message,
        max_rows=MAX_DATA_ROWS,
    )
