"""Build the demo edition up to a stage, and remember its logins (`crunchtime demo-logins`)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from crunchtime.demo.cohort import generate_cohort
from crunchtime.extensions import db
from crunchtime.services.demo.incubation import add_incubation_demo
from crunchtime.services.demo.judging import enter_demo_scores, publish_demo_results
from crunchtime.services.demo.loader import load_demo
from crunchtime.services.demo.mentoring import add_mentoring_demo
from crunchtime.services.demo.presence import add_presence_demo
from crunchtime.services.demo.scheduling import add_schedule_demo
from crunchtime.services.editions.current import current_edition
from crunchtime.services.editions.phases import change_phase
from crunchtime.services.judging.feedback import set_feedback_settings
from crunchtime.services.matching.publication import publish_run
from crunchtime.services.matching.runs import start_run

DEMO_PASSWORD = "crunch-time-demo"  # noqa: S105 -- printed to every demo user


# Steps of a build by stage, for a command's progress: cohort, registration, then below.
STAGE_STEPS = {"registration": 2, "matched": 3, "judging": 4, "results": 5}


def build_demo_edition(
    students: int, challenges: int | None, seed: int, stage: str, password: str,
    progress: Callable[[int, int], None] = lambda done, total: None,
) -> list[tuple[str, str]]:
    """Everyone registered and ranked; then, by stage, teams published (matched), part of
    the scores entered (judging), or results published (results). `progress(done, total)`
    is told each step done."""
    total = STAGE_STEPS[stage]
    progress(0, total)
    year = date.today().year
    cohort = generate_cohort(students=students, challenges=challenges, seed=seed)
    progress(1, total)
    accounts = load_demo(
        cohort, edition_name=f"Crunch Time {year}", year=year, stage="registration",
        password=password,
    )
    logins = [(role, email) for role, email in accounts.accounts]
    edition = current_edition()
    edition.settings = {**(edition.settings or {}), "demo_logins": logins}
    db.session.commit()
    progress(2, total)
    if stage != "registration":
        _play_later_stages(edition, stage, seed, lambda done: progress(done, total))
    return logins


def _play_later_stages(edition, stage: str, seed: int, done: Callable[[int], None]) -> None:
    change_phase(edition, "matching", None)
    publish_run(None, start_run(None))
    change_phase(edition, "building", None)
    add_presence_demo(edition, seed, stage)
    add_mentoring_demo(edition, seed)
    done(3)
    if stage == "matched":
        return
    change_phase(edition, "judging", None)
    add_schedule_demo(edition, seed)
    if stage == "judging":
        enter_demo_scores(edition, share=0.6, seed=seed)
        done(4)
        return
    publish_demo_results(edition, seed=seed)
    change_phase(edition, "results", None)
    set_feedback_settings(None, edition, open=True, comments="anonymous", companies=True)
    done(4)
    # Incubation: projects, a decided past edition (year - 1, archived), flags computed.

    add_incubation_demo(edition, seed)
    done(5)


def demo_logins() -> list[tuple[str, str]]:
    edition = current_edition()
    if edition is None:
        return []
    return [tuple(pair) for pair in (edition.settings or {}).get("demo_logins", [])]
