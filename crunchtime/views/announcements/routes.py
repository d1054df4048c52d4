"""Announcements: organisers write them; every signed-in account reads those meant for it,
and any page it has open shows a new one live (the layout's banner, announcements.js)."""

from __future__ import annotations

from datetime import datetime

from flask import (
    Blueprint,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from crunchtime.access import role_required
from crunchtime.errors import DomainError
from crunchtime.services.announcements import posts as announcements
from crunchtime.services.announcements.words import AUDIENCE_LABELS
from crunchtime.services.challenges.preferences import approved_challenges
from crunchtime.services.editions.current import current_edition, require_current_edition
from crunchtime.views.announcements.forms import AnnouncementForm
from crunchtime.views.forms import attach_error
from crunchtime.views.submissions.admin.forms import from_paris

blueprint = Blueprint("announcements", __name__)


@blueprint.route("/announcements/")
@role_required("student", "company", "jury", "organizer")
def index():
    edition = current_edition()
    items = announcements.visible_announcements(current_user, edition) if edition else []
    return render_template("announcements/index.html", items=items)


def _since(value: str | None) -> datetime | None:
    try:
        moment = datetime.fromisoformat(value) if value else None
    except ValueError:
        return None
    return moment if moment is None or moment.tzinfo else None


@blueprint.route("/announcements/feed.json")
@role_required("student", "company", "jury", "organizer")
def feed():
    """What the page's script compares with what it shows, after a (re)connection; `since`
    (ISO time, with its zone) keeps only those published after the page was drawn."""
    edition = current_edition()
    items = announcements.visible_announcements(
        current_user, edition, since=_since(request.args.get("since"))) if edition else []
    return jsonify(announcements=[announcements.live_payload(item) for item in items])


def _form(edition) -> AnnouncementForm:
    form = AnnouncementForm()
    form.challenge.choices = [SelectChoice("", "—")] + [
        SelectChoice(str(c.id), f"{c.code} — {c.title}") for c in approved_challenges(edition)]
    form.team.choices = [SelectChoice("", "—")] + [
        SelectChoice(str(team.id), team.display_name if team.name is None
                     else f"{team.code} — {team.name}")
        for team in announcements.edition_teams(edition)]
    return form


def _number(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@blueprint.route("/organizer/announcements/", methods=["GET", "POST"])
@role_required("organizer")
def manage():
    edition = require_current_edition()
    form = _form(edition)
    if form.validate_on_submit():
        draft = announcements.AnnouncementDraft(
            audience=form.audience.data, text_fr=form.text_fr.data or "",
            text_en=form.text_en.data or "", role=form.role.data,
            challenge_id=_number(form.challenge.data), team_id=_number(form.team.data),
            send_email=form.send_email.data, scheduled_at=from_paris(form.scheduled_at.data))
        try:
            item = announcements.create_announcement(current_user, edition, draft)
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(_("Announcement published.") if item.published_at
                  else _("Announcement scheduled."), "success")
            return redirect(url_for("announcements.manage"))
    return render_template("announcements/manage.html", form=form,
                           items=announcements.edition_announcements(edition),
                           is_due=announcements.is_due, AUDIENCE_LABELS=AUDIENCE_LABELS)
