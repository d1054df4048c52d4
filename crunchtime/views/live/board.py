"""Live boards (blueprint "live"): the big screen /live for everyone (no login: what it
shows is what the organisers chose), a company's view of its challenges, and the organisers'
room with the big screen's settings. The pages are shells: their content arrives over
Socket.IO (static/js/live_board.js), so nothing is ranked or rendered per viewer."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, SubmitField

from crunchtime.access import role_required
from crunchtime.errors import DomainError
from crunchtime.realtime.rooms import JURIES, PUBLIC
from crunchtime.services.editions.current import current_edition, require_current_edition
from crunchtime.services.live.board import screen_state, shown_view
from crunchtime.services.live.display import set_public_display
from crunchtime.services.live.words import (
    BOARD_STATE_LABELS,
    DISPLAY_LABELS,
    SCORE_MEANINGS,
    board_state_text,
)
from crunchtime.views.forms import attach_error, choices_from

blueprint = Blueprint("live", __name__)
ROTATE_SECONDS = 12


def live_number(value, digits: int = 0) -> str:
    """A number of a board in the page's language, as its script writes it (Intl)."""
    if value is None:
        return "—"
    return format_decimal(value, "#,##0" + ("." + "0" * digits if digits else ""))


@blueprint.context_processor
def live_words() -> dict:
    """What every live page needs: its script's words (templates/live/_labels.html) and
    numbers written as the script writes them."""
    return {"BOARD_STATE_LABELS": BOARD_STATE_LABELS, "SCORE_MEANINGS": SCORE_MEANINGS,
            "live_number": live_number}


class DisplayForm(FlaskForm):
    display = SelectField(_l("The big screen shows"), choices=choices_from(DISPLAY_LABELS))
    frozen = BooleanField(_l("Freeze the ranking as it is now"),
                          description=_l("Scores keep arriving; the big screen and the "
                                         "companies keep the ranking of this moment."))
    submit = SubmitField(_l("Save"))


@blueprint.route("/live")
def board():
    """The board as its viewers have it now, if one is kept; `?rotate=N`: seconds per page
    when the ranking pages through (tests, slow halls)."""
    edition = current_edition()
    is_jury = current_user.is_authenticated and current_user.role == "jury"
    rotate = min(max(request.args.get("rotate", ROTATE_SECONDS, type=int), 2), 120)
    return render_template("live/board.html", edition=edition, rotate=rotate, is_jury=is_jury,
                           state=board_state_text(screen_state(edition)),
                           view=shown_view(JURIES if is_jury else PUBLIC))


@blueprint.route("/company/live")
@role_required("company")
def company():
    return render_template("live/company.html", edition=current_edition())


def _organizers_page(edition, form=None):
    form = form or DisplayForm(formdata=None, display=edition.public_display,
                               frozen=edition.leaderboard_frozen)
    return render_template("live/organizers.html", edition=edition, form=form)


@blueprint.route("/organizer/live")
@role_required("organizer")
def organizers():
    return _organizers_page(require_current_edition())


@blueprint.route("/organizer/live/display", methods=["POST"])
@role_required("organizer")
def display():
    edition = require_current_edition()
    form = DisplayForm()
    if form.validate_on_submit():
        try:
            set_public_display(current_user, edition, form.display.data, form.frozen.data)
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(_("Big screen settings saved."), "success")
            return redirect(url_for("live.organizers"))
    return _organizers_page(edition, form)
