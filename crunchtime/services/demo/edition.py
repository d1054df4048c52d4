"""Build the demo edition up to a stage, and remember its logins (`crunchtime demo-logins`)."""

from __future__ import annotations

from datetime import date

from crunchtime.demo.cohort import generate_cohort
from crunchtime.extensions import db
from crunchtime.services.demo.incubation import add_incubation_demo
from crunchtime.services.demo.judging import enter_demo_scores, publish_demo_results
from crunchtime.services.demo.loader import load_demo
from crunchtime.services.editions.current import current_edition
from crunchtime.services.editions.phases import change_phase
from crunchtime.services.matching.publication import publish_run
from crunchtime.services.matching.runs import start_run

DEMO_PASSWORD = "crunch-time-demo"  # noqa: S105 -- printed to every demo user


def build_demo_edition(
    students: int, challenges: int | None, seed: int, stage: str, password: str
) -> list[tuple[str, str]]:
    """Everyone registered and ranked; then, by stage, teams published (matched), part of
    the scores entered (judging), or results published (results)."""
    year = date.today().year
    cohort = generate_cohort(students=students, challenges=challenges, seed=seed)
    accounts = load_demo(
        cohort, edition_name=f"Crunch Time {year}", year=year, stage="registration",
        password=password,
    )
    logins = [(role, email) for role, email in accounts.accounts]
    edition = current_edition()
    edition.settings = {**(edition.settings or {}), "demo_logins": logins}
    db.session.commit()
    if stage != "registration":
        _play_later_stages(edition, stage, seed)
    return logins


def _play_later_stages(edition, stage: str, seed: int) -> None:
    change_phase(edition, "matching", None)
    publish_run(None, start_run(None))
    change_phase(edition, "building", None)
    if stage == "matched":
        return
    change_phase(edition, "judging", None)
    if stage == "judging":
        enter_demo_scores(edition, share=0.6, seed=seed)
        return
    publish_demo_results(edition, seed=seed)
    change_phase(edition, "results", None)
    # Incubation: projects, a decided past edition (year - 1, archived), flags computed.

    add_incubation_demo(edition, seed)


def demo_logins() -> list[tuple[str, str]]:
    edition = current_edition()
    if edition is None:
        return []
    return [tuple(pair) for pair in (edition.settings or {}).get("demo_logins", [])]
