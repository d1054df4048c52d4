"""The cockpit's figures as chart geometry (crunchtime/charts.py), labelled in the user's
language; the template draws each one as SVG and prints its numbers as a table."""

from __future__ import annotations

from flask_babel import gettext as _

from crunchtime import charts
from crunchtime.services.live.cockpit import Cockpit
from crunchtime.services.submissions.words import STATUS_LABELS as SUBMISSION_LABELS
from crunchtime.teamwork import status as rules

HALF = 440  # drawing width of the line chart: its text stays legible in a half-width panel


def registrations(cockpit: Cockpit) -> charts.LineChart:
    return charts.line_chart([(_("Registered"), cockpit.registered),
                              (_("Profile complete"), cockpit.completed)], width=HALF)


def choices(cockpit: Cockpit) -> charts.BarChart:
    return charts.horizontal_bars([(_("No choice") if n == 0 else str(n), count)
                                   for n, count in cockpit.choices.items()])


def demand_label(row) -> str:
    """A challenge named in full: code, title and organisation (never cut)."""
    return f"{row.code} {row.title} · {row.organisation}"


def demand(cockpit: Cockpit) -> charts.BarChart:
    """Every approved challenge, the ones under most pressure first (first choices against
    seats)."""
    rows = sorted(cockpit.demand, key=lambda d: (-d.pressure, d.code))
    return charts.horizontal_bars([(demand_label(d), d.first_choices) for d in rows],
                                  marks=[d.capacity for d in rows])


def submissions(cockpit: Cockpit) -> tuple[charts.Segment, ...]:
    return charts.stacked_bar([(status, str(SUBMISSION_LABELS[status]),
                                cockpit.submissions[status])
                               for status in rules.SUBMISSION_STATUSES])


def judging(cockpit: Cockpit) -> charts.BarChart:
    return charts.horizontal_bars([(r.name, r.scored) for r in cockpit.judging],
                                  marks=[r.assignments for r in cockpit.judging])


def funnel(cockpit: Cockpit) -> charts.BarChart:
    handed_in = cockpit.submissions[rules.SUBMITTED] + cockpit.submissions[rules.LATE]
    decided = cockpit.flags
    return charts.horizontal_bars([
        (_("Teams"), cockpit.teams),
        (_("Handed in"), handed_in),
        (_("Flagged"), sum(decided.values())),
        (_("Shortlisted"), decided["shortlisted"] + decided["incubated"]),
        (_("Incubated"), decided["incubated"]),
    ])


def all_charts(cockpit: Cockpit) -> dict:
    return {"registrations": registrations(cockpit), "choices": choices(cockpit),
            "demand": demand(cockpit), "submissions": submissions(cockpit),
            "judging": judging(cockpit), "funnel": funnel(cockpit)}
