"""Write a synthetic cohort into the database as a new current edition, in one transaction.

The demo password is hashed once and shared by every demo account: hashing 1,700 times
with argon2id would take a minute.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from crunchtime.demo.naming import ascii_slug
from crunchtime.demo.records import Cohort
from crunchtime.errors import Conflict, InvalidInput
from crunchtime.extensions import db
from crunchtime.models import Edition, Programme, Skill, User
from crunchtime.models.base import utcnow
from crunchtime.security.passwords import hash_password
from crunchtime.services.demo.bulk import (
    BulkLoad,
    insert_challenges,
    insert_juries,
    insert_names,
    insert_organisations,
    insert_rubric,
    insert_students,
    insert_users,
)

STAGES = ("registration", "matched", "judging", "results")
# The loader writes the registration stage; services/demo/edition.py plays the later ones on top.
AVAILABLE_STAGES = ("registration",)
STAGE_PHASES = {"registration": "preferences"}
ORGANIZER_EMAIL = "organisateur@demo.crunchtime.fr"
COMPANY_DOMAIN = "demo.crunchtime.fr"
_LOOKUP_CHUNK = 500


@dataclass(frozen=True)
class DemoAccounts:
    """One sign-in per role, to print after loading: `accounts` holds (role, email) pairs."""

    edition_id: int
    accounts: tuple[tuple[str, str], ...]
    password: str


def load_demo(
    cohort: Cohort, *, edition_name: str, year: int, stage: str = "registration", password: str
) -> DemoAccounts:
    """Create a current edition holding `cohort` at `stage`; commits once, or changes nothing."""
    _check_stage(stage)
    company_emails = _company_emails(cohort)
    _refuse_existing(cohort, edition_name, company_emails)
    phase = STAGE_PHASES[stage]
    try:
        edition_id = _write(cohort, edition_name, year, phase, company_emails, password)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return DemoAccounts(
        edition_id=edition_id,
        accounts=_first_accounts(cohort, company_emails),
        password=password,
    )


def _write(
    cohort: Cohort,
    edition_name: str,
    year: int,
    phase: str,
    company_emails: dict[str, str],
    password: str,
) -> int:
    """Every row of the demo, in dependency order; returns the new edition's id."""
    load = BulkLoad(
        edition_id=_create_edition(edition_name, year, phase),
        now=utcnow(),
        password_hash=hash_password(password, current_app.config["PASSWORD_HASH_PROFILE"]),
    )
    programme_ids = insert_names(Programme, load.edition_id, cohort.programmes)
    skill_ids = insert_names(Skill, load.edition_id, cohort.skills)
    organisation_ids = insert_organisations(cohort, load.now)
    company_ids = insert_users(
        [
            load.user(email, "company", "Contact", name, organisation_id=organisation_ids[name])
            for name, email in company_emails.items()
        ]
    )
    contacts = {name: (email, company_ids[email]) for name, email in company_emails.items()}
    challenge_ids = insert_challenges(cohort, load, organisation_ids, contacts, skill_ids)
    insert_students(cohort, load, programme_ids, skill_ids, challenge_ids)
    insert_juries(cohort, load, organisation_ids)
    insert_rubric(cohort, load)
    insert_users([load.user(ORGANIZER_EMAIL, "organizer", "Équipe", "Organisation")])
    return load.edition_id


def _check_stage(stage: str) -> None:
    if stage not in STAGES:
        raise InvalidInput(
            _("Unknown demo stage “%(stage)s”; choose one of: %(stages)s.",
              stage=stage, stages=", ".join(STAGES))
        )
    if stage not in AVAILABLE_STAGES:
        raise InvalidInput(
            _("The demo stage “%(stage)s” is not available yet; available: %(stages)s.",
              stage=stage, stages=", ".join(AVAILABLE_STAGES))
        )


def _company_emails(cohort: Cohort) -> dict[str, str]:
    """One contact address per organisation, its host name made from the organisation's name."""
    emails: dict[str, str] = {}
    for organisation in cohort.organisations:
        slug = ascii_slug(organisation.name)[:50].strip("-") or "organisation"
        email, number = f"contact@{slug}.{COMPANY_DOMAIN}", 1
        while email in emails.values():
            number += 1
            email = f"contact@{slug}-{number}.{COMPANY_DOMAIN}"
        emails[organisation.name] = email
    return emails


def _refuse_existing(cohort: Cohort, edition_name: str, company_emails: dict[str, str]) -> None:
    """The demo is for an empty or fresh database: refuse rather than merge into real accounts."""
    if db.session.scalar(sa.select(Edition.id).where(Edition.name == edition_name)):
        raise Conflict(_("An edition named “%(name)s” already exists.", name=edition_name))
    emails = [
        ORGANIZER_EMAIL,
        *company_emails.values(),
        *(s.email for s in cohort.students),
        *(j.email for j in cohort.juries),
    ]
    for start in range(0, len(emails), _LOOKUP_CHUNK):
        chunk = [email.lower() for email in emails[start : start + _LOOKUP_CHUNK]]
        taken = db.session.scalar(
            sa.select(User.email).where(User.email.in_(chunk)).order_by(User.email).limit(1)
        )
        if taken:
            raise Conflict(
                _("The account %(email)s already exists: load the demo into an empty database.",
                  email=taken)
            )


def _create_edition(name: str, year: int, phase: str) -> int:
    db.session.execute(sa.update(Edition).values(is_current=False))
    edition = Edition(
        name=name, year=year, phase=phase, is_current=True, team_size_min=5, team_size_max=6
    )
    db.session.add(edition)
    db.session.flush()
    return edition.id


def _first_accounts(cohort: Cohort, company_emails: dict[str, str]) -> tuple[tuple[str, str], ...]:
    accounts = [("organizer", ORGANIZER_EMAIL)]
    if cohort.students:
        accounts.append(("student", cohort.students[0].email))
    if company_emails:
        accounts.append(("company", next(iter(company_emails.values()))))
    if cohort.juries:
        accounts.append(("jury", cohort.juries[0].email))
    return tuple(accounts)
