"""The phases of an edition and which actions each one opens (pure rules, no Flask)."""

from __future__ import annotations

PHASES = (
    "setup",
    "registration",
    "challenges",
    "preferences",
    "matching",
    "building",
    "judging",
    "results",
    "closed",
)

# Each action a service may refuse names the phases in which it is open.
ACTION_PHASES: dict[str, tuple[str, ...]] = {
    "register_student": ("registration", "challenges", "preferences"),
    "register_company": ("setup", "registration", "challenges"),
    "edit_profile": ("registration", "challenges", "preferences"),
    # A draft or sent-back challenge is invisible to students, so editing it stays harmless
    # while they rank the approved ones.
    "post_challenge": ("setup", "registration", "challenges", "preferences"),
    "review_challenge": ("setup", "registration", "challenges", "preferences"),
    "import_students": ("setup", "registration", "challenges", "preferences"),
    "import_challenges": ("setup", "registration", "challenges", "preferences"),
    "rank_challenges": ("preferences",),
    "run_matching": ("matching",),
    "publish_matching": ("matching",),
    "edit_submission": ("building",),
    "assign_juries": ("building", "judging"),
    "score_project": ("judging",),
    "publish_results": ("judging", "results"),
    "review_incubation": ("results", "closed"),
}


def phase_index(phase: str) -> int:
    return PHASES.index(phase)


def allowed_phases(action: str) -> tuple[str, ...]:
    return ACTION_PHASES[action]


def is_open(action: str, phase: str) -> bool:
    return phase in ACTION_PHASES[action]


def next_phase(phase: str) -> str | None:
    index = phase_index(phase)
    return PHASES[index + 1] if index + 1 < len(PHASES) else None
