"""The staff's presence pages, on a phone: scan (or type) students' personal codes at a
session, or tick a team's members in a list."""

from __future__ import annotations

from flask import flash, jsonify, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from crunchtime.access import role_required
from crunchtime.errors import DomainError
from crunchtime.models.base import utcnow
from crunchtime.security.http import CAMERA_ALLOWED
from crunchtime.services.editions.current import require_current_edition
from crunchtime.services.presence import checkins, sessions
from crunchtime.services.presence.overview import edition_teams, members_at
from crunchtime.services.presence.words import session_title
from crunchtime.views.forms import EmptyForm
from crunchtime.views.presence.blueprint import blueprint
from crunchtime.views.presence.forms import RosterFilterForm, RosterForm

STAFF = ("organizer",)


def _number(value) -> int | None:
    return int(value) if value and str(value).isdigit() else None


def _default_session(edition, rows):
    open_now = sessions.session_open_at(edition, utcnow())
    return open_now or (rows[-1] if rows else None)


@blueprint.route("/organizer/presence/scan")
@role_required(*STAFF)
def scan():
    edition = require_current_edition()
    rows = sessions.edition_sessions(edition)
    chosen = _default_session(edition, rows)
    response = make_response(render_template(
        "presence/scan.html", sessions=rows, chosen=chosen,
        points=sessions.edition_points(edition), form=EmptyForm(), session_title=session_title))
    # The one page that reads the camera (students' personal codes); every other page keeps
    # the site's camera=() (crunchtime/security/http.py sets it only where none is set).
    response.headers["Permissions-Policy"] = CAMERA_ALLOWED
    return response


@blueprint.route("/organizer/presence/scan", methods=["POST"])
@role_required(*STAFF)
def scan_code():
    """One scanned (or typed) personal code; answered in JSON for the page's script."""
    edition = require_current_edition()
    if not EmptyForm().validate_on_submit():
        return jsonify(error="csrf", message=_("The page has expired: reload it.")), 400
    session_id = _number(request.form.get("session"))
    if session_id is None:
        return jsonify(error="invalid_input", message=_("Choose the session.")), 400
    try:
        row, student = checkins.staff_scan(current_user, edition, session_id,
                                           _number(request.form.get("point")),
                                           request.form.get("code", ""))
    except DomainError as error:
        return jsonify(error=error.code, message=error.message), error.status
    return jsonify(ok=True, name=student.full_name, at=row.at.isoformat(),
                   message=_("%(name)s is checked in.", name=student.full_name))


def _save_roster(edition, session, members, ticked: set[int], was_present: set[int]) -> None:
    """Check in the ticked members not in yet; undo the check-ins of those the page showed
    checked in and that were unticked (not of those who checked in since it was drawn)."""
    present = {m.user_id for m in members if m.check_in is not None} & was_present
    shown = {m.user_id for m in members}
    try:
        added = checkins.staff_tick(current_user, edition, session.id,
                                    sorted(ticked & shown - {m.user_id for m in members
                                                             if m.check_in is not None}))
        removed = checkins.remove_check_ins(current_user, edition, session.id,
                                            sorted(present - ticked))
    except DomainError as error:
        flash(error.message, "error")
        return
    flash(ngettext("%(num)d student checked in.", "%(num)d students checked in.", added),
          "success")
    if removed:
        flash(ngettext("%(num)d check-in removed.", "%(num)d check-ins removed.", removed),
              "success")


@blueprint.route("/organizer/presence/list", methods=["GET", "POST"])
@role_required(*STAFF)
def roster():
    edition = require_current_edition()
    rows = sessions.edition_sessions(edition)
    teams = edition_teams(edition)
    chosen = _default_session(edition, rows)
    wanted_session = _number(request.args.get("session"))
    if wanted_session is not None:
        chosen = sessions.load_session(edition, wanted_session)
    team = next((t for t in teams if t.id == _number(request.args.get("team"))),
                teams[0] if teams else None)
    filters = RosterFilterForm(request.args, session=str(chosen.id) if chosen else "",
                               team=str(team.id) if team else "")
    filters.session.choices = [SelectChoice(str(s.id), session_title(s)) for s in rows]
    filters.team.choices = [SelectChoice(str(t.id), t.display_name if t.name is None
                                         else f"{t.code} — {t.name}") for t in teams]
    members = members_at(chosen, [team.id], edition.id)[team.id] if team and chosen else []
    form = RosterForm()
    form.present.choices = [SelectChoice(m.user_id, f"{m.first_name} {m.last_name}")
                            for m in members]
    if request.method == "POST" and chosen is not None:
        if form.validate_on_submit():
            was_present = {int(v) for v in request.form.getlist("was_present") if v.isdigit()}
            _save_roster(edition, chosen, members, set(form.present.data or []), was_present)
        return redirect(url_for("presence.roster", session=chosen.id,
                                team=team.id if team else None))
    return render_template("presence/roster.html", filters=filters, form=form,
                           members=members, chosen=chosen, team=team,
                           title=session_title(chosen) if chosen else "")
