"""The team's help page: ask for a mentor, follow the request live, cancel it, see past
requests; book the mentors' office hours."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from crunchtime.access import role_required
from crunchtime.errors import DomainError
from crunchtime.extensions import db
from crunchtime.models import Edition
from crunchtime.services.mentoring import office_hours as hours
from crunchtime.services.mentoring import requests as help_requests
from crunchtime.services.mentoring.mentors import known_tags
from crunchtime.services.mentoring.words import SUGGESTED_TAGS
from crunchtime.services.teams import space as teams
from crunchtime.views.forms import EmptyForm, attach_error, flash_outcome
from crunchtime.views.mentoring.blueprint import blueprint
from crunchtime.views.mentoring.forms import HelpRequestForm

TEAM = "/team/<int:team_id>"


def _member_team(team_id: int):
    team = teams.team_for_member(current_user, team_id)
    return team, db.session.get(Edition, team.edition_id)


def _state(team, edition, form: HelpRequestForm) -> dict:
    return {"team": team, "edition": edition, "form": form,
            "current": help_requests.current_request(team),
            "can_open": edition.phase in help_requests.OPEN_PHASES,
            "tags": sorted(set(known_tags(edition)) | set(SUGGESTED_TAGS)),
            "action_form": EmptyForm()}


@blueprint.route(TEAM + "/help/", methods=["GET", "POST"])
@role_required("student")
def team_help(team_id: int):
    team, edition = _member_team(team_id)
    form = HelpRequestForm()
    status = 200
    if form.validate_on_submit():
        draft = help_requests.RequestDraft(form.topic.data or "", form.location.data or "",
                                           form.urgency.data, form.tags.data or "")
        try:
            help_requests.open_help_request(current_user, team, edition, draft)
        except DomainError as error:
            attach_error(form, error)
            status = error.status
        else:
            flash(_("Your request is in the mentors' queue."), "success")
            return redirect(url_for("mentoring.team_help", team_id=team.id))
    elif form.is_submitted():
        status = 400
    return render_template("mentoring/team.html", **_state(team, edition, form),
                           history=help_requests.team_history(team),
                           hours=hours.team_office_hours(team, edition)), status


@blueprint.route(TEAM + "/help/state")
@role_required("student")
def team_help_state(team_id: int):
    """The request's panel alone: what the page's script swaps in when something changes."""
    team, edition = _member_team(team_id)
    return render_template("mentoring/_team_state.html",
                           **_state(team, edition, HelpRequestForm(formdata=None)))


@blueprint.route(TEAM + "/help/<int:request_id>/cancel", methods=["POST"])
@role_required("student")
def cancel_request(team_id: int, request_id: int):
    team, _edition = _member_team(team_id)
    flash_outcome(EmptyForm(), lambda: help_requests.cancel_help_request(
        current_user, team, request_id), _("Your request is cancelled."),
        refusals=(DomainError,))
    return redirect(url_for("mentoring.team_help", team_id=team.id))


@blueprint.route(TEAM + "/office-hours/<int:slot_id>/book", methods=["POST"])
@role_required("student")
def book_slot(team_id: int, slot_id: int):
    team, edition = _member_team(team_id)
    flash_outcome(EmptyForm(), lambda: hours.book_office_hour(team, edition, slot_id),
                  _("Office hour booked."), refusals=(DomainError,))
    return redirect(url_for("mentoring.team_help", team_id=team.id) + "#office-hours")


@blueprint.route(TEAM + "/office-hours/<int:slot_id>/cancel", methods=["POST"])
@role_required("student")
def cancel_slot(team_id: int, slot_id: int):
    team, edition = _member_team(team_id)
    flash_outcome(EmptyForm(), lambda: hours.cancel_booking(team, edition, slot_id),
                  _("Booking cancelled."), refusals=(DomainError,))
    return redirect(url_for("mentoring.team_help", team_id=team.id) + "#office-hours")
