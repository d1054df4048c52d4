"""The schedule's words: its states, and the solver's reasons and clashes (machine keys and
numbers) turned into translated sentences that name the people concerned."""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

SCHEDULE_STATUS_LABELS = {
    "draft": _l("Draft: only organisers see it"),
    "published": _l("Published"),
}

SLOT_STATE_LABELS = {
    "planned": _l("Planned"),
    "done": _l("Done"),
    "late": _l("Running late"),
}

SOLVER_STATUS_LABELS = {
    "optimal": _l("Optimal"),
    "feasible": _l("Good, not proven optimal"),
    "greedy": _l("First free slot"),
}


def names_list(ids: Iterable[str], names: dict[str, str]) -> str:
    """"Alice Martin, Bob Durand and T042": the people of a sentence, by their names."""
    shown = [names.get(str(key), str(key)) for key in ids]
    if not shown:
        return ""
    if len(shown) == 1:
        return shown[0]
    return _("%(first)s and %(last)s", first=", ".join(shown[:-1]), last=shown[-1])


def _number(detail: dict, *keys: str) -> int:
    for key in keys:
        value = detail.get(key)
        if isinstance(value, int | float):
            return int(value)
    return 0


def reason_sentence(constraint: str, people: tuple[str, ...], detail: dict,
                    names: dict[str, str]) -> str:
    """Why no schedule exists, in one sentence naming who is concerned."""
    who = names_list(people, names)
    first = names_list(people[:1], names)
    rest = names_list(people[1:], names)
    if constraint == "capacity":
        return _("%(pitches)d pitches do not fit in the %(places)d places of the window "
                 "(%(tables)d tables × %(slots)d slots): add a room, widen the window or "
                 "shorten the slots.", pitches=_number(detail, "pitches"),
                 places=_number(detail, "places"), tables=_number(detail, "tables"),
                 slots=_number(detail, "slots"))
    if constraint == "jury_unavailable":
        return _("%(jury)s is unavailable for the whole window but must hear %(pitches)d "
                 "pitches: shorten the unavailability or assign their teams to another jury.",
                 jury=first, pitches=_number(detail, "pitches"))
    if constraint == "jury_overload":
        return _("%(jury)s must hear %(pitches)d pitches (%(teams)s) but is free for only "
                 "%(slots)d of them: give some of these teams to another jury, or widen the "
                 "window.", jury=first, teams=rest, pitches=_number(detail, "pitches"),
                 slots=_number(detail, "available"))
    if constraint == "no_common_slot":
        return _("The juries of %(team)s (%(juries)s) are never free at the same time.",
                 team=first, juries=rest)
    if constraint == "locked_clash":
        return _("Locked slots clash (%(who)s): unlock or move one of them.", who=who)
    if constraint == "no_jury":
        return ngettext("%(num)d team has no jury assigned in this round (%(who)s): assign "
                        "its juries first.",
                        "%(num)d teams have no jury assigned in this round (%(who)s): assign "
                        "their juries first.", len(people), who=who)
    if constraint == "locked_off_grid":
        return _("The locked slots of %(who)s no longer fall on a slot of the window or in a "
                 "room in use: unlock them or move them.", who=who)
    if constraint == "time_limit":
        return _("The solver found no schedule within its time limit of %(seconds)d seconds: "
                 "add rooms or time, or try again.", seconds=_number(detail, "seconds"))
    if constraint == "solver_infeasible":
        return _("These juries and teams cannot all be fitted in the window together: "
                 "%(who)s. Add slots or rooms, or change the assignments.", who=who)
    if constraint == "greedy_stuck":
        return _("No free slot was found for %(who)s.", who=who)
    if who:
        return _("No schedule satisfies every rule (%(rule)s): %(who)s.", rule=constraint,
                 who=who)
    return _("No schedule satisfies every rule (%(rule)s).", rule=constraint)


def clash_sentence(kind: str, people: tuple[str, ...], names: dict[str, str]) -> str:
    """Why an organiser's move is refused, naming who would be in two places at once."""
    first = names_list(people[:1], names)
    rest = names_list(people[1:], names)
    if kind == "jury_busy":
        return _("%(jury)s would have to hear %(teams)s at the same time.", jury=first,
                 teams=rest)
    if kind == "team_busy":
        return _("%(team)s would pitch twice.", team=first)
    if kind == "room_full":
        return _("“%(room)s” would be over its tables at that time (%(teams)s).", room=first,
                 teams=rest)
    if kind == "jury_unavailable":
        return _("%(jury)s is unavailable at that time (pitch of %(team)s).", jury=first,
                 team=rest)
    if kind == "out_of_window":
        return _("That time is outside the window or in a break.")
    if kind == "unknown_room":
        return _("That room is not in use.")
    return _("This move breaks a rule of the schedule (%(rule)s): %(who)s.", rule=kind,
             who=names_list(people, names))


def affected_sentence(teams: list[str], juries: list[str]) -> str:
    """Who a change of a published schedule concerns, for the organiser's confirmation."""
    if not teams and not juries:
        return _("Nobody is affected.")
    return _("Affected: teams %(teams)s; juries %(juries)s.",
             teams=", ".join(teams) or "—", juries=", ".join(juries) or "—")


def publish_acknowledgement(teams: int, juries: int) -> str:
    return _("I understand that %(teams)s and %(juries)s will see their slots in the app and "
             "in their calendars, and that every change after this is theirs to follow.",
             teams=ngettext("%(num)d team", "%(num)d teams", teams),
             juries=ngettext("%(num)d jury", "%(num)d juries", juries))


def change_acknowledgement() -> str:
    return _("The schedule is published: I understand that the people named above see the "
             "change at once.")
