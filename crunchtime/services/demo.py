"""Build the demo edition and remember its logins (for `crunchtime demo-logins`)."""

from __future__ import annotations

from datetime import date

from crunchtime.demo.cohort import generate_cohort
from crunchtime.demo.loader import load_demo
from crunchtime.extensions import db
from crunchtime.services.editions import current_edition


def build_demo_edition(
    students: int, challenges: int | None, seed: int, stage: str, password: str
) -> list[tuple[str, str]]:
    year = date.today().year
    cohort = generate_cohort(students=students, challenges=challenges, seed=seed)
    accounts = load_demo(
        cohort, edition_name=f"Crunch Time {year}", year=year, stage=stage, password=password
    )
    logins = [(role, email) for role, email in accounts.accounts]
    edition = current_edition()
    edition.settings = {**(edition.settings or {}), "demo_logins": logins}
    db.session.commit()
    return logins


def demo_logins() -> list[tuple[str, str]]:
    edition = current_edition()
    if edition is None:
        return []
    return [tuple(pair) for pair in (edition.settings or {}).get("demo_logins", [])]
