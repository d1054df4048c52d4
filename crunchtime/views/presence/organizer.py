"""The organisers' presence pages: the week's sessions and check-in points, the door
screens (a rotating QR code, refreshed from code.json), and the absences to decide."""

from __future__ import annotations

from datetime import timedelta

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from crunchtime.access import role_required
from crunchtime.errors import DomainError
from crunchtime.i18n import PARIS
from crunchtime.models.base import utcnow
from crunchtime.presence import window
from crunchtime.services.editions.current import require_current_edition
from crunchtime.services.presence import absences, sessions
from crunchtime.services.presence.checkins import door_screen
from crunchtime.services.presence.overview import presence_figures
from crunchtime.services.presence.qr import qr_svg
from crunchtime.services.presence.words import (
    ABSENCE_STATUS_LABELS,
    PART_LABELS,
    session_title,
)
from crunchtime.views.forms import EmptyForm, attach_error
from crunchtime.views.presence.blueprint import blueprint
from crunchtime.views.presence.forms import (
    DecisionForm,
    DefaultWeekForm,
    PointForm,
    SessionForm,
)
from crunchtime.views.submissions.admin.forms import from_paris, to_paris

ADMIN = "/organizer/presence"


def _next_monday():
    today = utcnow().astimezone(PARIS).date()
    return today + timedelta(days=(7 - today.weekday()) % 7)


@blueprint.route(ADMIN + "/")
@role_required("organizer")
def organize():
    edition = require_current_edition()
    return render_template(
        "presence/organize.html", edition=edition, figures=presence_figures(edition),
        points=sessions.edition_points(edition),
        week_form=DefaultWeekForm(first_day=_next_monday()), point_form=PointForm(),
        action_form=EmptyForm(), pending=len(absences.edition_absences(edition, "pending")),
        PART_LABELS=PART_LABELS)


@blueprint.route(ADMIN + "/default-week", methods=["POST"])
@role_required("organizer")
def default_week():
    edition = require_current_edition()
    form = DefaultWeekForm()
    if not form.validate_on_submit():
        for message in form.first_day.errors or [_("Enter the first day.")]:
            flash(message, "error")
    else:
        try:
            rows = sessions.create_default_week(current_user, edition, form.first_day.data)
        except DomainError as error:
            flash(error.message, "error")
        else:
            flash(_("%(n)d sessions created; edit any of them below.", n=len(rows)), "success")
    return redirect(url_for("presence.organize"))


def _session_page(form: SessionForm, edition, session_id: int | None = None):
    if form.validate_on_submit():
        draft = sessions.SessionDraft(form.day.data, form.part.data,
                                      from_paris(form.starts_at.data),
                                      from_paris(form.ends_at.data), form.label.data or "")
        try:
            sessions.save_session(current_user, edition, draft, session_id)
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(_("Session saved."), "success")
            return redirect(url_for("presence.organize"))
    return render_template("presence/session_form.html", form=form, session_id=session_id,
                           delete_form=EmptyForm())


@blueprint.route(ADMIN + "/sessions/new", methods=["GET", "POST"])
@role_required("organizer")
def session_new():
    return _session_page(SessionForm(), require_current_edition())


@blueprint.route(ADMIN + "/sessions/<int:session_id>", methods=["GET", "POST"])
@role_required("organizer")
def session_edit(session_id: int):
    edition = require_current_edition()
    row = sessions.load_session(edition, session_id)
    form = SessionForm(data=None if request.method == "POST" else {
        "day": row.day, "part": row.part, "starts_at": to_paris(row.starts_at),
        "ends_at": to_paris(row.ends_at), "label": row.label})
    return _session_page(form, edition, session_id)


@blueprint.route(ADMIN + "/sessions/<int:session_id>/delete", methods=["POST"])
@role_required("organizer")
def session_delete(session_id: int):
    edition = require_current_edition()
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        sessions.delete_session(current_user, edition, session_id)
    except DomainError as error:
        flash(error.message, "error")
        return redirect(url_for("presence.session_edit", session_id=session_id))
    flash(_("Session deleted."), "success")
    return redirect(url_for("presence.organize"))


@blueprint.route(ADMIN + "/points", methods=["POST"])
@role_required("organizer")
def point_new():
    return _point_page(PointForm(), require_current_edition())


@blueprint.route(ADMIN + "/points/<int:point_id>", methods=["GET", "POST"])
@role_required("organizer")
def point_edit(point_id: int):
    edition = require_current_edition()
    row = sessions.load_point(edition, point_id)
    form = PointForm(data=None if request.method == "POST" else {"name": row.name,
                                                                  "site": row.site})
    return _point_page(form, edition, point_id)


def _point_page(form: PointForm, edition, point_id: int | None = None):
    if form.validate_on_submit():
        try:
            sessions.save_point(current_user, edition, form.name.data, form.site.data,
                                point_id)
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(_("Check-in point saved."), "success")
            return redirect(url_for("presence.organize", _anchor="points"))
    return render_template("presence/point_form.html", form=form, point_id=point_id)


def _next_text(upcoming) -> str:
    if upcoming is None:
        return ""
    opens = upcoming.starts_at - window.OPENS_BEFORE
    return _("Next: %(session)s; check-in opens at %(time)s.", session=session_title(upcoming),
             time=opens.astimezone(PARIS).strftime("%H:%M"))


def _screen_values(edition, point) -> dict:
    screen = door_screen(edition, point)
    url = (url_for("presence.check_in", token=screen.token, _external=True)
           if screen.token else None)
    return {"screen": screen, "url": url, "svg": qr_svg(url) if url else None,
            "next_text": _next_text(screen.next_session), "session_title": session_title}


@blueprint.route("/presence/points/<int:point_id>/screen")
@role_required("organizer")
def screen(point_id: int):
    """The door screen, for a tablet or a projector: the code changes every 30 s."""
    edition = require_current_edition()
    point = sessions.load_point(edition, point_id)
    return render_template("presence/screen.html", edition=edition, point=point,
                           **_screen_values(edition, point))


@blueprint.route("/presence/points/<int:point_id>/code.json")
@role_required("organizer")
def screen_code(point_id: int):
    edition = require_current_edition()
    point = sessions.load_point(edition, point_id)
    values = _screen_values(edition, point)
    shown = values["screen"]
    return jsonify(session=session_title(shown.session) if shown.session else None,
                   url=values["url"], svg=values["svg"], short_code=shown.short_code,
                   seconds_left=round(shown.seconds_left, 1), next=values["next_text"])


@blueprint.route(ADMIN + "/absences")
@role_required("organizer")
def absence_list():
    edition = require_current_edition()
    status = request.args.get("status") or None
    if status not in (None, *ABSENCE_STATUS_LABELS):
        status = None
    return render_template("presence/absences.html",
                           rows=absences.edition_absences(edition, status), status=status,
                           form=DecisionForm(), STATUS_LABELS=ABSENCE_STATUS_LABELS,
                           session_title=session_title)


@blueprint.route(ADMIN + "/absences/<int:absence_id>/decide", methods=["POST"])
@role_required("organizer")
def decide(absence_id: int):
    edition = require_current_edition()
    form = DecisionForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for message in errors:
                flash(message, "error")
    else:
        try:
            absences.decide_absence(current_user, edition, absence_id,
                                    form.decision.data == "accept", form.note.data or "")
        except DomainError as error:
            flash(error.message, "error")
        else:
            flash(_("Decision recorded."), "success")
    return redirect(url_for("presence.absence_list", _anchor=f"absence-{absence_id}"))
