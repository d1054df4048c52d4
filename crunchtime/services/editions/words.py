"""The editions area's words: the phases' names and what each one opens."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

PHASE_LABELS = {
    "setup": _l("Setup"),
    "registration": _l("Registration"),
    "challenges": _l("Challenges"),
    "preferences": _l("Preferences"),
    "matching": _l("Matching"),
    "building": _l("Building"),
    "judging": _l("Judging"),
    "results": _l("Results"),
    "closed": _l("Closed"),
}


PHASE_DESCRIPTIONS = {
    "setup": _l("Organisers prepare the edition; companies may already post challenges."),
    "registration": _l("Students and companies register; companies post their challenges."),
    "challenges": _l("Organisers review the challenges; late registrations are still accepted."),
    "preferences": _l("Students rank the challenges they would like to work on."),
    "matching": _l("Organisers form the teams with the matching model, then publish them."),
    "building": _l("Teams go from idea to prototype and submit their deliverables."),
    "judging": _l("Juries score the projects; the leaderboard moves live."),
    "results": _l("Results are published; promising projects are reviewed for incubation."),
    "closed": _l("The edition is over and kept read-only."),
}


def phase_label(phase: str) -> str:
    return str(PHASE_LABELS.get(phase, phase))


def open_rounds_refusal(names: list[str], new_phase: str) -> str:
    """The refusal of a move past judging while rounds are open, naming them."""
    return ngettext(
        "Judging round “%(names)s” is still open. Moving the edition to “%(phase)s” closes "
        "it: tick the box to confirm, or close the round on its page first.",
        "Judging rounds “%(names)s” are still open. Moving the edition to “%(phase)s” "
        "closes them: tick the box to confirm, or close the rounds on their page first.",
        len(names), names="”, “".join(names), phase=phase_label(new_phase))


def close_rounds_acknowledgement(teams_not_fully_judged: int) -> str:
    """The box to tick to move the edition past judging while rounds are open."""
    if not teams_not_fully_judged:
        return _("I understand that the open rounds close now.")
    return ngettext(
        "I understand that the open rounds close now, with %(num)d team not fully judged.",
        "I understand that the open rounds close now, with %(num)d teams not fully judged.",
        teams_not_fully_judged)


# Readiness (/ready, services/editions/health.py): why this server cannot serve the event.
def database_down(error: str) -> str:
    return _("The database does not answer: %(error)s", error=error)


def redis_down(address: str, error: str) -> str:
    return _("Redis (%(address)s) does not answer: %(error)s", address=address, error=error)


def board_unowned(rooms: int) -> str:
    return ngettext(
        "No server process computes the live board while %(num)d board room has viewers.",
        "No server process computes the live board while %(num)d board rooms have viewers.",
        rooms)


def mail_failing(error: str) -> str:
    return _("Mail cannot be sent: %(error)s", error=error)
