"""The matching model speaks in codes and numbers; these are its sentences, translated."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext


def _codes(rows: list[dict], template) -> str:
    return ", ".join(template(row) for row in rows) or "—"


def infeasible_message(error) -> str:
    """Why no matching is possible, with what to change."""
    details = dict(getattr(error, "details", {}) or {})
    code = getattr(error, "code", "")
    if code == "not_enough_seats":
        return _("There are %(students)d students but only %(seats)d seats: nothing can be "
                 "published. %(extra)d more team(s) are needed; the challenges that could take "
                 "them: %(short)s.", students=details.get("students", 0),
                 seats=details.get("seats", 0), extra=details.get("extra_teams_needed", 0),
                 short=_codes(details.get("challenges", []),
                              lambda row: f"{row['code']} (+{row['extra_teams']})"))
    if code == "group_too_large":
        return _("These friend groups are larger than a team (%(max)d): %(groups)s.",
                 max=details.get("team_size_max", 0),
                 groups=_codes(details.get("groups", []),
                               lambda row: f"{row['group']} ({row['size']})"))
    if code == "size_bounds_unreachable":
        return _("%(students)d students cannot be split into teams of %(low)d to %(high)d; "
                 "change the team size.", students=details.get("students", 0),
                 low=details.get("team_size_min", 0), high=details.get("team_size_max", 0))
    if code == "pins_over_capacity":
        return _("More students are pinned to these challenges than they have seats: "
                 "%(challenges)s.", challenges=_codes(
                     details.get("challenges", []),
                     lambda row: f"{row['code']} ({row['pinned']}/{row['seats']})"))
    if code == "pins_conflict":
        return _("Members of one friend group are pinned to different challenges.")
    if code == "programme_cap_unreachable":
        return _("The cap on students of one programme per team cannot be met.")
    return _("No matching is possible with these settings (%(code)s).", code=code or "?")


def placement_explanation(data: dict) -> str:
    """One sentence telling a student why they are where they are."""
    kind = data.get("kind")
    sentence = {
        "group": _("Placed with your friend group, on a challenge one of you ranked."),
        "fit_no_choices": _("You ranked no challenge: placed on one that matches your "
                            "profile."),
        "fit_choices_full": _("Your choices were full: placed on the challenge closest to "
                              "your profile."),
        "pinned": _("Placed here by the organisers."),
        "moved": _("Moved here by the organisers."),
    }.get(kind, "")
    if kind == "choice":
        sentence = _choice_sentence(data)
    full = data.get("first_choice")
    if kind in ("group", "fit_choices_full") and full:
        sentence += " " + _first_choice_full(data)
    return sentence


def _choice_sentence(data: dict) -> str:
    rank = data.get("rank") or 0
    if rank == 1:
        return _("Your 1st choice.")
    if data.get("first_choice"):
        return _("Your choice no. %(rank)d.", rank=rank) + " " + _first_choice_full(data)
    return _("Your choice no. %(rank)d.", rank=rank)


def _first_choice_full(data: dict) -> str:
    demand = data.get("first_choice_demand") or 0
    return ngettext(
        "Your 1st choice %(code)s was full: %(num)d student ranked it first for %(seats)d "
        "seats.",
        "Your 1st choice %(code)s was full: %(num)d students ranked it first for %(seats)d "
        "seats.",
        demand, code=data.get("first_choice"), seats=data.get("first_choice_seats") or 0)


def organiser_explanation(data: dict) -> str:
    """The same reasons as `placement_explanation`, told to the organiser about the student."""
    kind = data.get("kind")
    sentence = {
        "group": _("Placed with their friend group, on a challenge one of them ranked."),
        "fit_no_choices": _("Ranked no challenge: placed on one that matches their profile."),
        "fit_choices_full": _("Their choices were full: placed on the challenge closest to "
                              "their profile."),
        "pinned": _("Placed here by the organisers."),
        "moved": _("Moved here by the organisers."),
    }.get(kind, "")
    if kind == "choice":
        rank = data.get("rank") or 0
        sentence = (_("The student's 1st choice.") if rank == 1
                    else _("The student's choice no. %(rank)d.", rank=rank))
    if data.get("first_choice") and kind in ("choice", "group", "fit_choices_full"):
        demand = data.get("first_choice_demand") or 0
        sentence += " " + ngettext(
            "Their 1st choice %(code)s was full: %(num)d student ranked it first for "
            "%(seats)d seats.",
            "Their 1st choice %(code)s was full: %(num)d students ranked it first for "
            "%(seats)d seats.",
            demand, code=data.get("first_choice"), seats=data.get("first_choice_seats") or 0)
    return sentence


def missing_sentence(reason: str, num: int) -> str:
    """Before a run: how many students lack what (one reason per student)."""
    if reason == "no_consent":
        return ngettext("%(num)d student has not accepted the privacy notice: never placed.",
                        "%(num)d students have not accepted the privacy notice: never "
                        "placed.", num)
    if reason == "no_profile":
        return ngettext("%(num)d student has an incomplete profile (programme, year or "
                        "skills missing).",
                        "%(num)d students have an incomplete profile (programme, year or "
                        "skills missing).", num)
    return ngettext("%(num)d student ranked no challenge (profile complete).",
                    "%(num)d students ranked no challenge (profile complete).", num)


def left_out_sentence(reason: str, num: int) -> str:
    """On a run: how many students it left out, and why."""
    if reason == "no_consent":
        return ngettext("%(num)d student left out: no consent to the privacy notice.",
                        "%(num)d students left out: no consent to the privacy notice.", num)
    if reason == "no_profile":
        return ngettext("%(num)d student left out: incomplete profile.",
                        "%(num)d students left out: incomplete profile.", num)
    return ngettext("%(num)d student left out: ranked no challenge.",
                    "%(num)d students left out: ranked no challenge.", num)


def placed_by_fit_sentence(reason: str, num: int) -> str:
    """On a run: how many incomplete students it placed by fit."""
    if reason == "no_profile":
        return ngettext("%(num)d student with an incomplete profile placed by fit.",
                        "%(num)d students with an incomplete profile placed by fit.", num)
    return ngettext("%(num)d student who ranked no challenge placed by fit.",
                    "%(num)d students who ranked no challenge placed by fit.", num)


def left_out_pin_message() -> str:
    return _("This student is left out of the matching (no consent to the privacy notice, or "
             "left out by your choice): they cannot be pinned.")


def run_title(run) -> str:
    """The run's number and status in one phrase: "Matching run 2 published"."""
    return str(MATCHING_RUN_TITLES.get(run.status, MATCHING_RUN_TITLES["preview"])) % {
        "n": run.id}


INCOMPLETE_CHOICES = {
    "place_by_fit": _l("Place them by fit with their profile (everyone gets a team)"),
    "leave_out": _l("Leave them out (they get no team)"),
}

MATCHING_STATUS_LABELS = {
    "preview": _l("Preview, not published"),
    "published": _l("Published to the students"),
    "replaced": _l("Replaced by a later publication"),
}

# The heading of a run's page: "Matching run 2 published".
MATCHING_RUN_TITLES = {
    "preview": _l("Matching run %(n)d (preview)"),
    "published": _l("Matching run %(n)d published"),
    "replaced": _l("Matching run %(n)d replaced"),
}


MATCHING_METRIC_LABELS = {
    "objective_ratio_to_lp_bound": _l("Objective / LP bound"),
    "first_choice_share": _l("1st choice"),
    "top3_share": _l("One of the top 3 choices"),
    "any_choice_share": _l("One of their choices"),
    "outside_choices_share": _l("Outside their choices"),
    "mean_fit": _l("Mean fit"),
    "capacity_violations": _l("Capacity violations"),
    "size_violations": _l("Team-size violations"),
    "team_diversity_mean": _l("Team diversity (mean)"),
    "skills_coverage_mean": _l("Wanted skills covered (mean per team)"),
    "group_violations": _l("Friend groups split"),
    "pin_violations": _l("Pins broken"),
}
