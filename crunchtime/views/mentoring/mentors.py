"""The mentors' pages: the queue (claim, resolve, hand back), their profile and office
hours; the organisers' overview, where they also mark juries as mentors."""

from __future__ import annotations

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from crunchtime.access import role_required, wants_json
from crunchtime.errors import Conflict, DomainError
from crunchtime.services.editions.current import require_current_edition
from crunchtime.services.mentoring import mentors as mentoring
from crunchtime.services.mentoring import office_hours as hours
from crunchtime.services.mentoring import requests as help_requests
from crunchtime.services.mentoring.figures import mentoring_figures
from crunchtime.services.mentoring.tags import tags_text
from crunchtime.services.mentoring.words import SUGGESTED_TAGS
from crunchtime.views.forms import EmptyForm, attach_error, flash_outcome
from crunchtime.views.mentoring.blueprint import blueprint
from crunchtime.views.mentoring.forms import (
    JuryMentorForm,
    MentorProfileForm,
    OfficeHourForm,
    ResolveForm,
)
from crunchtime.views.submissions.admin.forms import from_paris

MENTORS = ("company", "jury", "organizer")


def _scope(mentor) -> str:
    default = "mine" if mentor is not None and mentor.tags else "all"
    return request.args.get("scope", default)[:40] or default


def _queue_context(edition) -> dict:
    mentor = mentoring.mentor_of(current_user, edition)
    if mentor is None:
        return {"mentor": None, "edition": edition}
    scope = _scope(mentor)
    return {"mentor": mentor, "edition": edition, "scope": scope,
            "items": help_requests.mentor_queue(mentor, edition, scope),
            "scope_tags": help_requests.queue_tags(mentor, edition),
            "claims": help_requests.mentor_claims(mentor, edition),
            "resolved": help_requests.mentor_resolved(mentor, edition),
            "action_form": EmptyForm(), "resolve_form": ResolveForm(formdata=None)}


@blueprint.route("/mentoring/")
@role_required(*MENTORS)
def queue():
    return render_template("mentoring/queue.html", **_queue_context(require_current_edition()))


@blueprint.route("/mentoring/queue.part")
@role_required(*MENTORS)
def queue_part():
    """The waiting requests alone: what the page's script swaps in on a live event."""
    return render_template("mentoring/_queue.html",
                           **_queue_context(require_current_edition()))


def _back_to_queue():
    scope = request.args.get("scope")
    return redirect(url_for("mentoring.queue", **({"scope": scope} if scope else {})))


@blueprint.route("/mentoring/requests/<int:request_id>/claim", methods=["POST"])
@role_required(*MENTORS)
def claim(request_id: int):
    edition = require_current_edition()
    if not EmptyForm().validate_on_submit():
        flash(_("The form has expired: try again."), "error")
        return _back_to_queue()
    try:
        item = help_requests.claim_help_request(current_user, edition, request_id)
    except Conflict as error:
        if wants_json():
            raise
        return render_template("mentoring/queue.html", refusal=error.message,
                               **_queue_context(edition)), error.status
    if wants_json():
        return jsonify(request=help_requests.live_payload(item, "claimed"),
                       location=item.location)
    flash(_("You took the request of %(team)s: they are at “%(place)s”.",
            team=item.team.display_name, place=item.location), "success")
    return _back_to_queue()


@blueprint.route("/mentoring/requests/<int:request_id>/hand-back", methods=["POST"])
@role_required(*MENTORS)
def hand_back(request_id: int):
    edition = require_current_edition()
    flash_outcome(EmptyForm(), lambda: help_requests.hand_back_help_request(
        current_user, edition, request_id), _("The request is back in the queue."),
        refusals=(Conflict,))
    return _back_to_queue()


@blueprint.route("/mentoring/requests/<int:request_id>/resolve", methods=["POST"])
@role_required(*MENTORS)
def resolve(request_id: int):
    edition = require_current_edition()
    form = ResolveForm()
    flash_outcome(form, lambda: help_requests.resolve_help_request(
        current_user, edition, request_id, form.note.data or ""),
        _("Request resolved. Thank you!"), refusals=(Conflict,))
    return _back_to_queue()


@blueprint.route("/mentoring/profile", methods=["GET", "POST"])
@role_required(*MENTORS)
def profile():
    edition = require_current_edition()
    mentor = mentoring.mentor_of(current_user, edition)
    saved = mentoring.profile_of(current_user, edition)
    form = MentorProfileForm(data={
        "active": mentor is not None,
        "tags": tags_text(saved.tags if saved else [])})
    if form.validate_on_submit():
        try:
            mentoring.save_mentor_profile(current_user, edition, form.tags.data or "",
                                          form.active.data)
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(_("Your mentor profile is saved."), "success")
            return redirect(url_for("mentoring.profile"))
    return render_template("mentoring/profile.html", form=form, edition=edition,
                           tags=sorted(set(mentoring.known_tags(edition)) |
                                       set(SUGGESTED_TAGS)))


@blueprint.route("/mentoring/office-hours", methods=["GET", "POST"])
@role_required(*MENTORS)
def office_hours():
    edition = require_current_edition()
    form = OfficeHourForm()
    status = 200
    if form.validate_on_submit():
        draft = hours.SlotDraft(from_paris(form.starts_at.data), from_paris(form.ends_at.data),
                                form.place.data or "")
        try:
            hours.publish_office_hour(current_user, edition, draft)
        except DomainError as error:
            attach_error(form, error)
            status = error.status
        else:
            flash(_("Office hour published."), "success")
            return redirect(url_for("mentoring.office_hours"))
    elif form.is_submitted():
        status = 400
    return render_template("mentoring/office_hours.html", form=form,
                           mentor=mentoring.mentor_of(current_user, edition),
                           slots=hours.mentor_office_hours(current_user, edition),
                           action_form=EmptyForm()), status


@blueprint.route("/mentoring/office-hours/<int:slot_id>/withdraw", methods=["POST"])
@role_required(*MENTORS)
def withdraw_slot(slot_id: int):
    edition = require_current_edition()
    flash_outcome(EmptyForm(), lambda: hours.withdraw_office_hour(current_user, edition,
                                                                  slot_id),
                  _("Office hour withdrawn."))
    return redirect(url_for("mentoring.office_hours"))


@blueprint.route("/organizer/mentoring/")
@role_required("organizer")
def overview():
    edition = require_current_edition()
    return render_template("mentoring/overview.html", edition=edition,
                           figures=mentoring_figures(edition),
                           juries=mentoring.edition_juries(edition), form=JuryMentorForm())


@blueprint.route("/organizer/mentoring/juries/<int:user_id>", methods=["POST"])
@role_required("organizer")
def jury_mentoring(user_id: int):
    edition = require_current_edition()
    form = JuryMentorForm()
    flash_outcome(form, lambda: mentoring.set_jury_mentoring(
        current_user, edition, user_id, form.active.data),
        lambda profile: _("This jury now mentors teams.") if profile.active
        else _("This jury no longer mentors teams."))
    return redirect(url_for("mentoring.overview") + "#juries")
