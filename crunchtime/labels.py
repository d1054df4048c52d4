"""Translatable names of the model's fixed values (phases, roles, kinds)."""

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

ROLE_LABELS = {
    "student": _l("Student"),
    "company": _l("Partner organisation"),
    "jury": _l("Jury"),
    "organizer": _l("Organiser"),
}

CHALLENGE_STATUS_LABELS = {
    "draft": _l("Draft"),
    "submitted": _l("Waiting for review"),
    "approved": _l("Approved"),
    "rejected": _l("Sent back for changes"),
}

MATCHING_STATUS_LABELS = {
    "preview": _l("preview"),
    "published": _l("published"),
    "replaced": _l("replaced"),
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

ORGANISATION_KIND_LABELS = {
    "company": _l("Company"),
    "public_body": _l("Public body"),
    "lab": _l("Research lab"),
    "association": _l("Association"),
}


def phase_label(phase: str) -> str:
    return str(PHASE_LABELS.get(phase, phase))
