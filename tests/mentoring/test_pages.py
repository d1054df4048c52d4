"""The mentoring pages: a team asks and follows its request, mentors take, resolve or hand
back from their queue (a taken request answers 409 with the name), profiles, office hours and
the organisers' overview."""

from __future__ import annotations

from datetime import timedelta

from crunchtime.i18n import PARIS
from crunchtime.models.base import utcnow
from crunchtime.services.mentoring import requests as help_requests
from crunchtime.services.mentoring.mentors import mentor_of
from tests.helpers import fr, says, text
from tests.mentoring.conftest import ask
from tests.worlds import post


def help_page(world, team_index=0):
    return f"/team/{world.teams[team_index].id}/help/"


def test_a_member_asks_for_help_from_the_team_pages(world, as_user):
    member = as_user(world.members[0][0])
    space = text(member.get(f"/team/{world.teams[0].id}"))
    assert help_page(world) in space  # the team's sub-navigation leads to it
    response = post(member, help_page(world), {
        "topic": "Le prototype ne démarre plus", "tags": "Électronique, ux",
        "location": "Salle B12, table 3", "urgency": "high"})
    assert response.status_code == 302
    page = text(member.get(help_page(world)))
    assert fr("Waiting for a mentor") in page and "Salle B12, table 3" in page
    assert "électronique" in page and 'data-help-request="' in page
    item = help_requests.current_request(world.teams[0])
    assert item.urgency == "high" and item.author_id == world.members[0][0].id


def test_a_second_request_is_refused_on_the_form_with_what_was_typed(world, as_user):
    ask(world)
    teammate = as_user(world.members[0][1])
    response = post(teammate, help_page(world), {"topic": "Autre", "location": "Hall",
                                                 "urgency": "normal"})
    assert response.status_code == 409
    page = text(response)
    assert "Autre" in page and fr("Waiting for a mentor") in page
    assert says(response, "Your team already has a help request in progress: cancel it or "
                          "wait until it is resolved before asking again.")
    assert help_requests.current_request(world.teams[0]).topic == "Notre capteur ne répond plus"


def test_a_form_with_errors_comes_back_with_them_and_keeps_the_input(world, as_user):
    response = post(as_user(world.members[0][0]), help_page(world),
                    {"topic": "", "location": "Atelier 2", "urgency": "normal"})
    assert response.status_code == 400
    page = text(response)
    assert fr("Say what you need help with.") in page and 'value="Atelier 2"' in page


def test_a_mentor_claims_and_a_second_mentor_gets_409_with_the_name(world, as_user):
    item = ask(world)
    contact = as_user(world.contacts[0])
    assert f'data-queue-request="{item.id}"' in text(contact.get("/mentoring/"))
    taken = post(contact, f"/mentoring/requests/{item.id}/claim", {})
    assert taken.status_code == 302
    late = post(as_user(world.jury_mentor), f"/mentoring/requests/{item.id}/claim", {})
    assert late.status_code == 409
    assert "Claire Contact0" in text(late)
    other = ask(world, team_index=1)
    won = post(as_user(world.organizer), f"/mentoring/requests/{other.id}/claim", {},
               headers={"Accept": "application/json"})
    assert won.status_code == 200 and won.json["request"]["mentor"] == "Odile Orga"
    api = post(as_user(world.organizer), f"/mentoring/requests/{item.id}/claim", {},
               headers={"Accept": "application/json"})
    assert api.status_code == 409 and api.json["error"] == "conflict"
    assert "Claire Contact0" in api.json["message"]
    state = text(as_user(world.members[0][0]).get(help_page(world) + "state"))
    assert "Claire Contact0" in state and "Salle B12" in state


def test_a_mentor_resolves_with_a_note_and_the_team_sees_it(world, as_user):
    item = ask(world)
    mentor = as_user(world.jury_mentor)
    post(mentor, f"/mentoring/requests/{item.id}/claim", {})
    queue = text(mentor.get("/mentoring/"))
    assert f'data-claimed-request="{item.id}"' in queue
    empty = post(mentor, f"/mentoring/requests/{item.id}/resolve", {"note": ""})
    assert empty.status_code == 302 and help_requests.current_request(world.teams[0])
    post(mentor, f"/mentoring/requests/{item.id}/resolve", {"note": "Alimentation changée"})
    page = text(as_user(world.members[0][1]).get(help_page(world)))
    assert "Alimentation changée" in page and fr("Resolved") in page
    assert help_requests.current_request(world.teams[0]) is None


def test_a_mentor_hands_back_and_the_request_is_waiting_again(world, as_user):
    item = ask(world)
    mentor = as_user(world.organizer)
    post(mentor, f"/mentoring/requests/{item.id}/claim", {})
    post(mentor, f"/mentoring/requests/{item.id}/hand-back", {})
    assert help_requests.current_request(world.teams[0]).status == "open"
    assert f'data-queue-request="{item.id}"' in text(mentor.get("/mentoring/queue.part"))


def test_the_team_cancels_its_request(world, as_user):
    item = ask(world)
    post(as_user(world.members[0][1]), f"{help_page(world)}{item.id}/cancel", {})
    assert help_requests.current_request(world.teams[0]) is None


def test_a_company_contact_only_sees_its_teams_in_the_queue(world, as_user):
    mine, theirs = ask(world, team_index=0), ask(world, team_index=2)
    page = text(as_user(world.contacts[0]).get("/mentoring/queue.part?scope=all"))
    assert f'data-queue-request="{mine.id}"' in page
    assert f'data-queue-request="{theirs.id}"' not in page
    assert post(as_user(world.contacts[0]), f"/mentoring/requests/{theirs.id}/claim",
                {}).status_code == 404


def test_a_jury_switches_mentoring_on_in_its_profile(world, as_user):
    jury = as_user(world.jury)
    assert fr("You do not mentor teams in this edition.") in text(jury.get("/mentoring/"))
    response = post(jury, "/mentoring/profile", {"active": "y", "tags": "Énergie, pitch"})
    assert response.status_code == 302
    assert mentor_of(world.jury, world.edition).tags == ["pitch", "énergie"]
    assert 'value="pitch, énergie"' in text(jury.get("/mentoring/profile"))
    too_long = post(jury, "/mentoring/profile", {"active": "y", "tags": "x" * 31})
    assert too_long.status_code == 200 and "x" * 31 in text(too_long)


def test_office_hours_are_published_then_booked_by_a_team(world, as_user):
    start = (utcnow() + timedelta(days=1)).astimezone(PARIS).replace(hour=14, minute=0)
    mentor = as_user(world.organizer)
    response = post(mentor, "/mentoring/office-hours", {
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M"),
        "place": "Bureau des mentors"})
    assert response.status_code == 302
    overlap = post(mentor, "/mentoring/office-hours", {
        "starts_at": (start + timedelta(minutes=15)).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + timedelta(minutes=45)).strftime("%Y-%m-%dT%H:%M"),
        "place": "Ailleurs"})
    assert overlap.status_code == 409
    assert says(overlap, "This slot overlaps one of your office hours.")
    member = as_user(world.members[1][0])
    page = text(member.get(help_page(world, 1)))
    assert "Bureau des mentors" in page
    from crunchtime.services.mentoring.office_hours import mentor_office_hours
    [slot] = mentor_office_hours(world.organizer, world.edition)
    post(member, f"/team/{world.teams[1].id}/office-hours/{slot.id}/book", {})
    assert world.teams[1].code in text(mentor.get("/mentoring/office-hours"))
    refused = post(as_user(world.members[0][0]),
                   f"/team/{world.teams[0].id}/office-hours/{slot.id}/book", {},
                   follow_redirects=True)
    assert fr("Another team booked this office hour just before you.") in text(refused)


def test_organisers_mark_juries_as_mentors_and_see_the_figures(world, as_user):
    ask(world)
    organizer = as_user(world.organizer)
    page = text(organizer.get("/organizer/mentoring/"))
    assert "data-mentoring-figures" in page and world.challenges[0].code in page
    post(organizer, f"/organizer/mentoring/juries/{world.jury.id}", {"active": "y"})
    assert mentor_of(world.jury, world.edition) is not None
    post(organizer, f"/organizer/mentoring/juries/{world.jury.id}", {})
    assert mentor_of(world.jury, world.edition) is None
