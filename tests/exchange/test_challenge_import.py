"""Importing the challenges collected offline: approved at once, matched by code."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from crunchtime.errors import PhaseClosed
from crunchtime.models import AuditEvent, Challenge, Organisation, Skill
from crunchtime.services.exchange.imports import ImportRejected, import_challenges
from tests import factories
from tests.exchange.conftest import count
from tests.exchange.samples import challenge, challenges_csv, codes


def run(edition, data, actor=None):
    return import_challenges(edition, data, actor, filename="defis.csv")


def challenge_by_code(db, code: str) -> Challenge:
    db.session.expire_all()
    return db.session.scalar(sa.select(Challenge).where(Challenge.code == code))


def test_challenges_are_created_approved_with_organisation_skills_and_search_text(
    db, edition, organizer
):
    data = challenges_csv(
        challenge("C017", title="Énergie des ateliers", organisation="Énergie Nord SA",
                  skills="Thermique;Data science", teams="3"),
        challenge("c018", organisation="ÉNERGIE NORD SA", description="", skills=""),
    )
    report = run(edition, data, organizer)
    assert (report.rows, report.created, report.updated, report.unchanged) == (2, 2, 0, 0)
    assert report.new_organisations == ["Énergie Nord SA"]
    assert report.new_skills == ["Thermique", "Data science"]
    created = challenge_by_code(db, "C017")
    assert (created.status, created.teams_wanted, created.title) == (
        "approved", 3, "Énergie des ateliers")
    assert created.problem == "Réduire la consommation.\nLivrable : un prototype."
    assert [skill.name for skill in created.skills] == ["Data science", "Thermique"]
    assert created.organisation.kind == "company"
    assert created.created_by_id == organizer.id and created.reviewed_at is not None
    assert "energie des ateliers" in created.search_text
    assert "thermique" in created.search_text and "energie nord sa" in created.search_text
    assert challenge_by_code(db, "C018").organisation_id == created.organisation_id
    assert count(db, Organisation) == 1


def test_an_existing_organisation_is_found_whatever_its_case_and_a_merged_one_followed(
    db, edition
):
    kept = factories.organisation("Alstom Transport")
    duplicate = factories.organisation("ALSTOM")
    duplicate.merged_into_id = kept.id
    db.session.commit()
    run(edition, challenges_csv(challenge("C001", organisation="alstom transport"),
                                challenge("C002", organisation="Alstom")))
    assert challenge_by_code(db, "C001").organisation_id == kept.id
    assert challenge_by_code(db, "C002").organisation_id == kept.id
    assert count(db, Organisation) == 2


def test_reimporting_changes_nothing_and_an_updated_row_updates_its_challenge(db, edition):
    rows = [challenge("C001"), challenge("C002"), challenge("C003")]
    run(edition, challenges_csv(*rows))
    again = run(edition, challenges_csv(*rows))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert again.new_skills == [] and again.new_organisations == []
    rows[1] = {**rows[1], "teams": "4", "skills": "CAO"}
    rows[2] = {**rows[2], "title": "Nouveau titre"}
    changed = run(edition, challenges_csv(*rows, challenge("C004")))
    assert (changed.created, changed.updated, changed.unchanged) == (1, 2, 1)
    second = challenge_by_code(db, "C002")
    assert second.teams_wanted == 4 and [s.name for s in second.skills] == ["CAO"]
    assert "nouveau titre" in challenge_by_code(db, "C003").search_text
    assert count(db, AuditEvent) == 3


def test_a_challenge_posted_in_the_app_keeps_its_status_and_texts_it_does_not_name(
    db, edition
):
    posted = factories.challenge(edition, code="C005", status="submitted",
                                 context="Contexte", deliverable="Un prototype")
    run(edition, challenges_csv(challenge("C005", description="")))
    updated = challenge_by_code(db, "C005")
    assert (updated.status, updated.context, updated.deliverable) == (
        "submitted", "Contexte", "Un prototype")
    assert updated.id == posted.id


def test_one_broken_row_refuses_the_whole_file_and_writes_nothing(db, edition):
    data = challenges_csv(challenge("C001"), challenge("C002", title="", teams="12"),
                          challenge("C001", organisation="Autre"))
    with pytest.raises(ImportRejected) as refused:
        run(edition, data)
    assert codes(refused.value.report.problems) == [
        (2, "code", "duplicate_code"), (4, "title", "required"), (4, "teams", "out_of_range"),
        (6, "code", "duplicate_code"),
    ]
    assert count(db, Challenge) == count(db, Organisation) == count(db, Skill) == 0
    assert count(db, AuditEvent) == 0


def test_challenges_cannot_be_imported_once_matching_has_started(db, edition):
    edition.phase = "matching"
    db.session.commit()
    with pytest.raises(PhaseClosed):
        run(edition, challenges_csv(challenge("C001")))
