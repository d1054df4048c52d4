"""The student's pages: home, profile, friend group, ranked choices."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from crunchtime.access import restrict_blueprint
from crunchtime.errors import DomainError, PhaseClosed
from crunchtime.extensions import limiter
from crunchtime.phases import is_open
from crunchtime.services.accounts import profiles
from crunchtime.services.challenges import preferences
from crunchtime.services.editions.current import current_edition, require_current_edition
from crunchtime.services.teams.for_student import student_team
from crunchtime.views.accounts.student.forms import JoinGroupForm, PreferencesForm, ProfileForm
from crunchtime.views.forms import EmptyForm, attach_error, flash_outcome

blueprint = Blueprint("student", __name__, url_prefix="/student")


restrict_blueprint(blueprint, "student")


@blueprint.route("/")
def home():
    edition = current_edition()
    profile = placed = None
    if edition is not None:
        try:
            profile = profiles.student_profile(current_user, edition)
        except DomainError:
            profile = None
    if profile is not None:
        placed = student_team(profile)
    return render_template("accounts/student/home.html", edition=edition, profile=profile,
                           placed=placed)


def saved_values(values: dict) -> dict | None:
    """Prefill a form from what is saved, on GET only: a POST is taken as sent (an
    unticked checkbox is absent from the request and must not fall back to the saved value)."""
    return values if request.method == "GET" else None


def _profile_form(edition, profile) -> ProfileForm:
    form = ProfileForm(data=saved_values({
        "programme": profile.programme_id, "year": profile.year_of_study,
        "skills": [skill.id for skill in profile.skills], "interests": profile.interests,
        "consent": profile.consent_at is not None,
    }))
    form.programme.choices = [SelectChoice("", _("Choose…"))] + [
        SelectChoice(p.id, p.name) for p in profiles.programmes(edition)]
    form.skills.choices = [SelectChoice(s.id, s.name) for s in profiles.skills(edition)]
    return form


@blueprint.route("/profile", methods=["GET", "POST"])
def profile():
    edition = require_current_edition()
    student = profiles.student_profile(current_user, edition)
    form = _profile_form(edition, student)
    if form.validate_on_submit():
        try:
            profiles.update_profile(
                current_user, form.programme.data, form.year.data, form.skills.data or [],
                form.interests.data or "", form.consent.data,
            )
        except PhaseClosed:
            raise
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(_("Your profile is saved."), "success")
            return redirect(url_for("student.home"))
    return render_template(
        "accounts/student/profile.html", form=form, profile=student, edition=edition,
        editable=is_open("edit_profile", edition.phase),
        members=profiles.group_members(student), join_form=JoinGroupForm(),
        action_form=EmptyForm(),
    )


def _group_action(form, action, success):
    g.group_action_failed = not flash_outcome(form, action, success, refusals=(DomainError,))
    return redirect(url_for("student.profile") + "#group")


def _join_failed(_response) -> bool:
    return g.get("group_action_failed", False)


def _joining_account() -> str:
    user_id = current_user.get_id() if current_user.is_authenticated else None
    return f"group-join:{user_id.partition(':')[0] if user_id else get_remote_address()}"


def _join_failures_per_account() -> str:
    return current_app.config["RATELIMIT_GROUP_JOIN_FAILURES_PER_ACCOUNT"]


def _join_failures_per_address() -> str:
    return current_app.config["RATELIMIT_GROUP_JOIN_FAILURES_PER_ADDRESS"]


@blueprint.route("/group/create", methods=["POST"])
def create_group():
    return _group_action(
        EmptyForm(), lambda: profiles.create_group(current_user),
        lambda code: _("Your group is created. Give the code %(code)s to up to two friends.",
                       code=code),
    )


@blueprint.route("/group/join", methods=["POST"])
@limiter.limit(_join_failures_per_account, key_func=_joining_account, deduct_when=_join_failed)
@limiter.limit(_join_failures_per_address, deduct_when=_join_failed)
def join_group():
    """Wrong codes are throttled per student and per address: group codes are not guessed."""
    form = JoinGroupForm()
    return _group_action(form, lambda: profiles.join_group(current_user, form.code.data),
                         _("You joined the group."))


@blueprint.route("/group/leave", methods=["POST"])
def leave_group():
    return _group_action(EmptyForm(), lambda: profiles.leave_group(current_user),
                         _("You left the group."))


def _preferences_form(edition, current) -> PreferencesForm:
    form = PreferencesForm(data=saved_values({f"choice{p.rank}": p.challenge.code
                                               for p in current}))
    options = [SelectChoice("", _("— no challenge —"))] + [
        SelectChoice(c.code, f"{c.code} — {c.title} ({c.organisation.name})")
        for c in preferences.approved_challenges(edition)
    ]
    for field in form.choice_fields():
        field.choices = options
    return form


@blueprint.route("/preferences", methods=["GET", "POST"])
def rank():
    edition = require_current_edition()
    student = profiles.student_profile(current_user, edition)
    current = preferences.student_preferences(student)
    form = _preferences_form(edition, current)
    if form.validate_on_submit():
        try:
            preferences.rank_challenges(current_user, form.codes())
        except PhaseClosed:
            raise
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(_("Your choices are saved. You can change them until the phase closes."),
                  "success")
            return redirect(url_for("student.rank"))
    return render_template(
        "accounts/student/preferences.html", form=form, edition=edition, current=current,
        editable=is_open("rank_challenges", edition.phase),
    )
