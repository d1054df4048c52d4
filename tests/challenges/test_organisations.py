"""Organisers merge duplicate organisations: members and challenges move, the duplicate
is no longer listed, and the merge is audited."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from crunchtime.errors import Conflict, Forbidden, InvalidInput
from crunchtime.models import AuditEvent
from crunchtime.services.accounts import organisations as service
from tests import factories
from tests.challenges.conftest import make_challenge, post, shows
from tests.helpers import post_form, says, text


@pytest.fixture
def duplicates(db, edition):
    duplicate = factories.organisation("ACME (doublon)")
    kept = factories.organisation("ACME Énergie")
    member = factories.company_user(duplicate)
    challenge = make_challenge(edition, duplicate, title="Stockage d'énergie")
    return duplicate, kept, member, challenge


def test_organisers_see_the_organisations_with_their_counts(
    client, db, duplicates, organizer, login
):
    page = text(login(organizer).get("/organizer/organisations"))
    assert "ACME (doublon)" in page and "ACME Énergie" in page


def test_merging_moves_members_and_challenges_and_hides_the_duplicate(
    client, db, duplicates, organizer, login
):
    duplicate, kept, member, challenge = duplicates
    login(organizer)
    response = post_form(client, "/organizer/organisations",
                         {"source": duplicate.id, "target": kept.id, "confirm": "y"})
    assert response.status_code == 302
    for row in (duplicate, kept, member, challenge):
        db.session.refresh(row)
    assert member.organisation_id == kept.id
    assert challenge.organisation_id == kept.id
    assert "acme energie" in challenge.search_text and "doublon" not in challenge.search_text
    assert duplicate.merged_into_id == kept.id
    listing = client.get("/organizer/organisations")
    assert not shows(listing, "ACME (doublon)") and shows(listing, "ACME Énergie")
    entry = db.session.scalar(sa.select(AuditEvent).where(
        AuditEvent.action == "organisation.merge"))
    assert (entry.actor_id, entry.target_id) == (organizer.id, kept.id)
    assert entry.details["source_id"] == duplicate.id
    assert entry.details["challenges"] == [challenge.code] and entry.details["users"] == 1


def test_the_moved_member_now_sees_the_challenge_as_its_own(
    client, db, duplicates, organizer, login
):
    duplicate, kept, member, challenge = duplicates
    service.merge_organisations(organizer, duplicate.id, kept.id)
    response = login(member).get(f"/company/challenges/{challenge.id}")
    assert response.status_code == 200


def test_merging_needs_a_confirmation(client, db, duplicates, organizer, login):
    duplicate, kept, _member, _challenge = duplicates
    login(organizer)
    response = post_form(client, "/organizer/organisations",
                         {"source": duplicate.id, "target": kept.id})
    assert response.status_code == 200
    assert says(response, "Tick the box to confirm the merge.")
    db.session.refresh(duplicate)
    assert duplicate.merged_into_id is None


def test_an_organisation_cannot_be_merged_into_itself(client, db, duplicates, organizer, login):
    duplicate = duplicates[0]
    login(organizer)
    response = post_form(client, "/organizer/organisations",
                         {"source": duplicate.id, "target": duplicate.id, "confirm": "y"})
    assert response.status_code == 200
    assert says(response, "Choose two different organisations.")


def test_a_merged_organisation_cannot_be_merged_again(db, duplicates, organizer):
    duplicate, kept, _member, _challenge = duplicates
    third = factories.organisation("Troisième")
    service.merge_organisations(organizer, duplicate.id, kept.id)
    with pytest.raises(Conflict):
        service.merge_organisations(organizer, duplicate.id, third.id)
    with pytest.raises(Conflict):
        service.merge_organisations(organizer, third.id, duplicate.id)


def test_only_organisers_merge(db, duplicates, company_user):
    duplicate, kept, _member, _challenge = duplicates
    with pytest.raises(Forbidden):
        service.merge_organisations(company_user, duplicate.id, kept.id)
    with pytest.raises(InvalidInput):
        service.merge_organisations(factories.organizer(), kept.id, kept.id)


def test_a_company_cannot_reach_the_merge_page(client, db, duplicates, company_user, login):
    login(company_user)
    response = post(client, "/organizer/organisations",
                    {"source": duplicates[0].id, "target": duplicates[1].id, "confirm": "y"})
    assert response.status_code == 403
    db.session.refresh(duplicates[0])
    assert duplicates[0].merged_into_id is None
