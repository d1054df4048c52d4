"""The editions area's words: the phases' names and what each one opens."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

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
