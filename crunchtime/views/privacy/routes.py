"""RGPD pages: a student downloads their data and asks for deletion; organisers process the
requests and see what the retention rule would anonymise."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    redirect,
    render_template,
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from crunchtime.access import role_required
from crunchtime.errors import Conflict, InvalidInput
from crunchtime.services.privacy import personal_data, retention
from crunchtime.services.privacy import requests as privacy
from crunchtime.services.privacy.words import REQUEST_STATUS_LABELS
from crunchtime.views.forms import EmptyForm, flash_outcome
from crunchtime.views.privacy.forms import DeletionRequestForm, RefusalForm

blueprint = Blueprint("privacy", __name__)



@blueprint.context_processor
def status_labels() -> dict:
    return {"REQUEST_STATUS_LABELS": REQUEST_STATUS_LABELS}


@blueprint.route("/my-data/")
@role_required("student")
def mine():
    return render_template("privacy/mine.html", request_row=privacy.open_request(current_user),
                           judging=privacy.editions_judging(current_user),
                           form=DeletionRequestForm())


@blueprint.route("/my-data/data.json")
@role_required("student")
def data_json():
    response = Response(personal_data.personal_data_json(current_user),
                        mimetype="application/json")
    response.headers["Content-Disposition"] = 'attachment; filename="mes-donnees.json"'
    return response


@blueprint.route("/my-data/data.zip")
@role_required("student")
def data_zip():
    response = Response(stream_with_context(personal_data.personal_archive(current_user)),
                        mimetype="application/zip")
    response.headers["Content-Disposition"] = 'attachment; filename="mes-donnees.zip"'
    return response


@blueprint.route("/my-data/deletion", methods=["POST"])
@role_required("student")
def ask_deletion():
    form = DeletionRequestForm()
    flash_outcome(form, lambda: privacy.request_deletion(current_user), _deletion_message,
                  refusals=(Conflict, InvalidInput))
    return redirect(url_for("privacy.mine"))


def _deletion_message(request_row) -> str:
    if request_row.status == "deferred":
        return _("Your request is recorded. Your team is being judged: it will be processed "
                 "once the results are published.")
    return _("Your request is recorded; the organisers will process it.")


@blueprint.route("/organizer/privacy/")
@role_required("organizer")
def requests():
    years = retention.retention_years()
    return render_template("privacy/requests.html", rows=privacy.deletion_requests(),
                           judging=privacy.editions_judging, years=years,
                           expired=retention.expired_editions(years),
                           action_form=EmptyForm(), refusal_form=RefusalForm())


@blueprint.route("/organizer/privacy/<int:request_id>/process", methods=["POST"])
@role_required("organizer")
def process(request_id: int):
    flash_outcome(EmptyForm(), lambda: privacy.process_request(current_user, request_id),
                  _("The student's data is anonymised."), refusals=(Conflict, InvalidInput))
    return redirect(url_for("privacy.requests"))


@blueprint.route("/organizer/privacy/<int:request_id>/refuse", methods=["POST"])
@role_required("organizer")
def refuse(request_id: int):
    form = RefusalForm()
    flash_outcome(form, lambda: privacy.refuse_request(current_user, request_id,
                                                       form.note.data or ""),
                  _("Request refused."), refusals=(Conflict, InvalidInput))
    return redirect(url_for("privacy.requests"))
