"""Organisers move the edition through its phases; services refuse actions out of phase."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from crunchtime import phases
from crunchtime.errors import PhaseClosed
from crunchtime.models import AuditEvent, Edition
from crunchtime.services.editions.current import create_edition, require_phase
from crunchtime.services.editions.phases import change_phase
from tests import factories
from tests.helpers import fr, post_form, says, text


def test_every_action_names_only_known_phases():
    for action, allowed in phases.ACTION_PHASES.items():
        assert allowed and set(allowed) <= set(phases.PHASES), action
    assert phases.next_phase("setup") == "registration"
    assert phases.next_phase("closed") is None


def test_organiser_changes_the_phase_with_confirmation_and_an_audit_entry(
    client, db, edition, organizer, login
):
    login(organizer)
    refused = post_form(client, "/organizer/phase", {"phase": "challenges"})
    assert refused.status_code == 200
    assert says(refused, "Tick the box to confirm the change of phase.")
    db.session.refresh(edition)
    assert edition.phase == "registration"

    response = post_form(client, "/organizer/phase", {"phase": "challenges", "confirm": "y"})
    assert response.status_code == 302
    db.session.refresh(edition)
    assert edition.phase == "challenges"
    audit = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "edition.phase"))
    assert audit.actor_id == organizer.id
    assert audit.details == {"old": "registration", "new": "challenges"}
    history = client.get("/organizer/phase")
    assert fr("Challenges") in text(history)


def test_organiser_can_reopen_an_earlier_phase(client, db, organizer, login):
    edition = factories.edition(phase="judging")
    login(organizer)
    post_form(client, "/organizer/phase", {"phase": "building", "confirm": "y"})
    db.session.refresh(edition)
    assert edition.phase == "building"


def test_unknown_phase_is_refused_by_the_form(client, db, edition, organizer, login):
    login(organizer)
    response = post_form(client, "/organizer/phase", {"phase": "party", "confirm": "y"})
    assert response.status_code == 200
    db.session.refresh(edition)
    assert edition.phase == "registration"


def test_service_refuses_an_action_outside_its_phase_naming_the_open_phases(db):
    edition = factories.edition(phase="building")
    with pytest.raises(PhaseClosed) as refused:
        require_phase(edition, "rank_challenges")
    assert refused.value.details["allowed"] == ["preferences"]
    assert fr("Preferences") in refused.value.message or "Preferences" in refused.value.message
    require_phase(edition, "edit_submission")


def test_same_phase_twice_is_a_conflict(db, organizer):
    edition = factories.edition(phase="matching")
    from crunchtime.errors import Conflict

    with pytest.raises(Conflict):
        change_phase(edition, "matching", organizer)


def test_creating_an_edition_makes_it_the_only_current_one(client, db, organizer, login):
    old = factories.edition(phase="closed")
    login(organizer)
    response = post_form(client, "/organizer/editions", {"name": "Crunch Time 2027",
                                                         "year": "2027"})
    assert response.status_code == 302
    current = db.session.scalars(sa.select(Edition).where(Edition.is_current.is_(True))).all()
    assert [e.name for e in current] == ["Crunch Time 2027"]
    db.session.refresh(old)
    assert not old.is_current
    duplicate = post_form(client, "/organizer/editions", {"name": "Crunch Time 2027",
                                                          "year": "2027"})
    assert says(duplicate, "An edition named “%(name)s” already exists.",
                name="Crunch Time 2027")


def test_edition_year_out_of_range_is_refused(db):
    from crunchtime.errors import InvalidInput

    with pytest.raises(InvalidInput):
        create_edition("Ancienne", 1990)


def test_dashboard_shows_the_editions_figures(client, db, edition, organizer, login):
    factories.student(edition)
    factories.student(edition)
    login(organizer)
    page = text(client.get("/organizer/"))
    assert fr("Students registered") in page
    assert '<span class="stat-value">2</span>' in page


def test_entering_the_building_phase_creates_the_design_thinking_stages(db, organizer):
    from crunchtime.models import Milestone

    edition = factories.edition(phase="matching")
    change_phase(edition, "building", organizer)
    keys = db.session.scalars(sa.select(Milestone.key).where(Milestone.edition_id == edition.id)
                              .order_by(Milestone.position)).all()
    assert len(keys) == 5
    change_phase(edition, "judging", organizer)
    change_phase(edition, "building", organizer)
    assert db.session.scalar(sa.select(sa.func.count(Milestone.id))) == 5
