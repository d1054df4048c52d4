"""The students' presence pages: the check-in link of the door's QR code (a confirm page,
then one tap), the typed short code, their record with their personal code for the staff,
and the declaration of an absence."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from crunchtime.access import role_required
from crunchtime.errors import DomainError
from crunchtime.extensions import limiter
from crunchtime.files.serving import send_stored_file
from crunchtime.services.editions.current import current_edition, require_current_edition
from crunchtime.services.presence import absences, checkins
from crunchtime.services.presence.overview import student_record
from crunchtime.services.presence.personal import personal_code_of
from crunchtime.services.presence.qr import qr_svg
from crunchtime.services.presence.words import (
    ABSENCE_STATUS_LABELS,
    HOW_LABELS,
    RECORD_LABELS,
    session_title,
)
from crunchtime.views.forms import attach_error
from crunchtime.views.presence.blueprint import blueprint
from crunchtime.views.presence.forms import AbsenceForm, ConfirmCheckInForm, ShortCodeForm

EVERYONE = ("student", "company", "jury", "organizer")
# A short code has 30 bits and is valid one minute: this keeps a guessing script from trying.
TYPED_CODES_PER_STUDENT = "20 per minute"


def _student_key() -> str:
    return f"presence-code:{current_user.id}"


def _refused(error: DomainError):
    return render_template("presence/check_in_result.html", error=error,
                           code_form=ShortCodeForm()), error.status


def _done(row):
    return render_template("presence/check_in_result.html", check_in=row,
                           title=session_title(row.session), error=None)


@blueprint.route("/presence/check-in/<token>")
@role_required(*EVERYONE)
def check_in(token: str):
    """The link of the door's QR code: checks the code and shows one button (a link opened
    by a preview or a prefetch writes nothing)."""
    try:
        code = checkins.read_door_token(token)
        place = checkins.check_door_code(current_user, code)
    except checkins.AlreadyCheckedIn as already:
        return _done_already(already)
    except DomainError as error:
        return _refused(error)
    form = ConfirmCheckInForm(confirmation=checkins.confirmation_for(current_user, code))
    return render_template("presence/check_in.html", form=form, place=place,
                           title=session_title(place.session))


def _done_already(already: checkins.AlreadyCheckedIn):
    return render_template("presence/check_in_result.html", check_in=already.check_in,
                           title=session_title(already.check_in.session), already=True,
                           error=None)


@blueprint.route("/presence/check-in", methods=["POST"])
@role_required(*EVERYONE)
def confirm_check_in():
    form = ConfirmCheckInForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        code = checkins.read_confirmation(current_user, form.confirmation.data)
        row = checkins.check_in_at_door(current_user, code)
    except checkins.AlreadyCheckedIn as already:
        return _done_already(already)
    except DomainError as error:
        return _refused(error)
    return _done(row)


@blueprint.route("/presence/code", methods=["POST"])
@role_required("student")
@limiter.limit(TYPED_CODES_PER_STUDENT, key_func=_student_key)
def type_code():
    edition = require_current_edition()
    form = ShortCodeForm()
    if form.validate_on_submit():
        try:
            row = checkins.check_in_with_short_code(current_user, edition, form.code.data)
        except checkins.AlreadyCheckedIn as already:
            return _done_already(already)
        except DomainError as error:
            attach_error(form, error)
        else:
            return _done(row)
    return _mine(edition, code_form=form), 400


def _session_choices(edition) -> list[SelectChoice]:
    lines = student_record(current_user, edition)
    return [SelectChoice("", "—")] + [
        SelectChoice(str(line.session.id), session_title(line.session)) for line in lines
        if line.check_in is None and (line.absence is None or line.absence.status == "refused")]


def _mine(edition, code_form=None, absence_form=None):
    record = student_record(current_user, edition) if edition else []
    code = personal_code_of(current_user, edition) if edition else None
    if absence_form is None and edition is not None:
        absence_form = AbsenceForm()
        absence_form.session.choices = _session_choices(edition)
    return render_template(
        "presence/mine.html", edition=edition, record=record, personal_code=code,
        personal_svg=qr_svg(code, _("My personal presence code")) if code else None,
        code_form=code_form or ShortCodeForm(), absence_form=absence_form,
        RECORD_LABELS=RECORD_LABELS, HOW_LABELS=HOW_LABELS,
        STATUS_LABELS=ABSENCE_STATUS_LABELS, session_title=session_title)


@blueprint.route("/presence/")
@role_required("student")
def mine():
    return _mine(current_edition())


@blueprint.route("/presence/absences", methods=["POST"])
@role_required("student")
def declare_absence():
    edition = require_current_edition()
    form = AbsenceForm()
    form.session.choices = _session_choices(edition)
    if form.validate_on_submit():
        upload = form.document.data
        document = (absences.Document(upload.stream, upload.filename)
                    if upload and getattr(upload, "filename", "") else None)
        session_id = int(form.session.data) if form.session.data.isdigit() else 0
        try:
            absences.declare_absence(current_user, edition, session_id, form.reason.data,
                                     document)
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(_("Absence declared: the organisers will accept or refuse it."), "success")
            return redirect(url_for("presence.mine", _anchor="record"))
    return _mine(edition, absence_form=form), 400


@blueprint.route("/presence/absences/<int:absence_id>/document")
@role_required("student", "organizer")
def absence_document(absence_id: int):
    row = absences.absence_document(current_user, absence_id)
    return send_stored_file(row.stored_name, row.content_type, row.original_name)

