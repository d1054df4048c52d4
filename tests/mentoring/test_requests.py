"""Help requests: one in progress per team, first claim wins (the others get 409 and the
name), hand back keeps the waiting time, resolve with a note, each mentor's queue."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from crunchtime.errors import Conflict, Forbidden, InvalidInput, NotFound, PhaseClosed
from crunchtime.extensions import db
from crunchtime.models import HelpRequest
from crunchtime.models.base import utcnow
from crunchtime.services.mentoring import requests as help_requests
from crunchtime.services.mentoring.mentors import mentor_of, save_mentor_profile
from tests.helpers import fr
from tests.mentoring.conftest import ask


def test_a_team_cannot_open_a_second_request_while_one_is_in_progress(world):
    first = ask(world)
    with pytest.raises(Conflict) as refused:
        ask(world, topic="Autre chose")
    assert refused.value.status == 409
    assert refused.value.message == fr("Your team already has a help request in progress: "
                                       "cancel it or wait until it is resolved before asking "
                                       "again.")
    help_requests.claim_help_request(world.organizer, world.edition, first.id)
    with pytest.raises(Conflict):  # claimed is still in progress
        ask(world, topic="Encore")
    help_requests.resolve_help_request(world.organizer, world.edition, first.id, "Réglé")
    again = ask(world, topic="Nouveau blocage")
    assert again.status == "open" and again.id != first.id


def test_the_database_holds_one_request_in_progress_per_team(world):
    ask(world)
    db.session.add(HelpRequest(edition_id=world.edition.id, team_id=world.teams[0].id,
                               topic="En douce", location="Hall", tags=[], status="open"))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    db.session.add(HelpRequest(edition_id=world.edition.id, team_id=world.teams[0].id,
                               topic="Ancienne", location="Hall", tags=[],
                               status="resolved", mentor_id=world.organizer.id))
    db.session.commit()  # finished requests are not limited


def test_bad_requests_are_refused_with_the_field_named(world):
    for fields, field in (({"topic": "  "}, "topic"), ({"location": ""}, "location"),
                          ({"urgency": "panic"}, "urgency"),
                          ({"tags": ", ".join(f"t{i}" for i in range(9))}, "tags"),
                          ({"tags": "x" * 31}, "tags")):
        with pytest.raises(InvalidInput) as refused:
            ask(world, **fields)
        assert refused.value.details["field"] == field
    assert db.session.scalar(sa.select(sa.func.count(HelpRequest.id))) == 0


def test_requests_are_closed_outside_the_week(world):
    world.edition.phase = "matching"
    db.session.commit()
    with pytest.raises(PhaseClosed):
        ask(world)


def test_tags_are_normalised(world):
    item = ask(world, tags="UX,  Data ; ux\npitch")
    assert item.tags == ["data", "pitch", "ux"]


def test_a_claim_of_a_taken_request_gets_409_with_the_mentor_name(world):
    item = ask(world)
    claimed = help_requests.claim_help_request(world.contacts[0], world.edition, item.id)
    assert claimed.status == "claimed" and claimed.mentor_id == world.contacts[0].id
    assert claimed.claimed_at is not None
    with pytest.raises(Conflict) as refused:
        help_requests.claim_help_request(world.jury_mentor, world.edition, item.id)
    assert refused.value.status == 409
    assert refused.value.details["mentor"] == "Claire Contact0"
    assert "Claire Contact0" in refused.value.message
    db.session.refresh(item)
    assert item.mentor_id == world.contacts[0].id  # nothing written twice


def test_concurrent_claims_have_exactly_one_winner(app, world):
    item = ask(world)
    mentors = [world.contacts[0].id, world.jury_mentor.id, world.organizer.id]
    edition_id, outcomes, start = world.edition.id, [], threading.Barrier(len(mentors))

    def claim(user_id):
        with app.app_context():
            from crunchtime.models import Edition, User
            user, edition = db.session.get(User, user_id), db.session.get(Edition, edition_id)
            start.wait()
            try:
                help_requests.claim_help_request(user, edition, item.id)
                outcomes.append(("won", user_id))
            except Conflict as error:
                outcomes.append(("409", error.details.get("mentor")))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=claim, args=(user_id,)) for user_id in mentors]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    winners = [user_id for kind, user_id in outcomes if kind == "won"]
    assert len(winners) == 1 and len(outcomes) == 3
    db.session.expire_all()
    stored = db.session.get(HelpRequest, item.id)
    assert stored.mentor_id == winners[0]
    assert {name for kind, name in outcomes if kind == "409"} == {stored.mentor.full_name}


def test_hand_back_returns_the_request_with_its_original_waiting_time(world):
    item = ask(world)
    opened = item.opened_at
    help_requests.claim_help_request(world.jury_mentor, world.edition, item.id)
    with pytest.raises(Conflict):  # only the mentor who took it hands it back
        help_requests.hand_back_help_request(world.contacts[0], world.edition, item.id)
    back = help_requests.hand_back_help_request(world.jury_mentor, world.edition, item.id)
    assert back.status == "open" and back.mentor_id is None and back.claimed_at is None
    assert back.opened_at == opened and back.handbacks == 1
    later = ask(world, team_index=1)
    mentor = mentor_of(world.organizer, world.edition)
    queue = help_requests.mentor_queue(mentor, world.edition)
    assert [entry.request.id for entry in queue] == [item.id, later.id]  # longest waiting first


def test_resolve_needs_a_note_and_the_mentor_who_took_it(world):
    item = ask(world)
    with pytest.raises(Conflict):  # not claimed yet
        help_requests.resolve_help_request(world.organizer, world.edition, item.id, "Vu")
    help_requests.claim_help_request(world.contacts[0], world.edition, item.id)
    with pytest.raises(InvalidInput):
        help_requests.resolve_help_request(world.contacts[0], world.edition, item.id, "  ")
    with pytest.raises(Conflict) as refused:
        help_requests.resolve_help_request(world.jury_mentor, world.edition, item.id, "Vu")
    assert "Claire Contact0" in refused.value.message
    done = help_requests.resolve_help_request(world.contacts[0], world.edition, item.id,
                                              "Câblage refait, capteur OK")
    assert done.status == "resolved" and done.resolution_note == "Câblage refait, capteur OK"
    assert done.resolved_at is not None
    with pytest.raises(Conflict) as again:
        help_requests.claim_help_request(world.organizer, world.edition, item.id)
    assert again.value.message == fr("This request is already resolved.")


def test_organisers_may_hand_back_a_request_someone_left(world):
    item = ask(world)
    help_requests.claim_help_request(world.jury_mentor, world.edition, item.id)
    back = help_requests.hand_back_help_request(world.organizer, world.edition, item.id)
    assert back.status == "open"


def test_a_team_cancels_its_request_once(world):
    item = ask(world)
    help_requests.claim_help_request(world.organizer, world.edition, item.id)
    cancelled = help_requests.cancel_help_request(world.members[0][1], world.teams[0], item.id)
    assert cancelled.status == "cancelled" and cancelled.cancelled_at is not None
    with pytest.raises(Conflict):
        help_requests.cancel_help_request(world.members[0][1], world.teams[0], item.id)
    with pytest.raises(NotFound):  # another team's request
        help_requests.cancel_help_request(world.members[1][0], world.teams[1], item.id)
    assert help_requests.team_history(world.teams[0]) == [cancelled]


def test_company_contacts_see_and_take_only_their_challenges_teams(world):
    mine, theirs = ask(world, team_index=0), ask(world, team_index=2)
    contact = mentor_of(world.contacts[0], world.edition)
    assert [e.request.id for e in help_requests.mentor_queue(contact, world.edition)] == [mine.id]
    other = mentor_of(world.contacts[1], world.edition)
    assert [e.request.id for e in help_requests.mentor_queue(other, world.edition)] == [theirs.id]
    with pytest.raises(NotFound):
        help_requests.claim_help_request(world.contacts[0], world.edition, theirs.id)
    staff = mentor_of(world.organizer, world.edition)
    assert len(help_requests.mentor_queue(staff, world.edition)) == 2


def test_the_queue_filters_by_expertise(world):
    design = ask(world, team_index=0, tags="design")
    data = ask(world, team_index=1, tags="data")
    anyone = ask(world, team_index=2)
    save_mentor_profile(world.organizer, world.edition, "data, pitch", True)
    mentor = mentor_of(world.organizer, world.edition)
    ids = lambda scope: [e.request.id for e in help_requests.mentor_queue(  # noqa: E731
        mentor, world.edition, scope)]
    assert ids("all") == [design.id, data.id, anyone.id]
    assert ids("mine") == [data.id, anyone.id]  # no tag wanted: anyone may help
    assert ids("design") == [design.id]
    assert help_requests.queue_tags(mentor, world.edition) == ["data", "design", "pitch"]


def test_juries_mentor_only_once_marked(world):
    item = ask(world)
    assert mentor_of(world.jury, world.edition) is None
    with pytest.raises(Forbidden):
        help_requests.claim_help_request(world.jury, world.edition, item.id)
    save_mentor_profile(world.jury, world.edition, "énergie", True)
    assert help_requests.claim_help_request(world.jury, world.edition, item.id).status == \
        "claimed"


def test_a_company_contact_can_switch_mentoring_off(world):
    assert mentor_of(world.contacts[0], world.edition) is not None
    save_mentor_profile(world.contacts[0], world.edition, "", False)
    assert mentor_of(world.contacts[0], world.edition) is None


def test_the_waiting_time_shown_counts_from_the_opening(world):
    item = ask(world)
    mentor = mentor_of(world.organizer, world.edition)
    later = utcnow() + timedelta(minutes=7)
    [entry] = help_requests.mentor_queue(mentor, world.edition, moment=later)
    assert entry.request.id == item.id and 7 * 60 - 5 <= entry.waiting_seconds <= 7 * 60
