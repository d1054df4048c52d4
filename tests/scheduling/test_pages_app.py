"""The schedule's pages: the organisers' window, compute, preview, move, publish, rooms;
the juries' pitches and buttons; the team page; calendars; the room screen; the export."""

from __future__ import annotations

import csv
import io

from icalendar import Calendar

from crunchtime.extensions import db
from crunchtime.models import PitchSlot
from crunchtime.services.scheduling.calendar import feed_token
from crunchtime.services.scheduling.setup import round_schedule
from tests.helpers import client_for, csrf_token, says, text
from tests.scheduling.app_world import jury_name, paris, plan_fixture  # noqa: F401

BASE = "/organizer/judging/rounds/{}/schedule"


def organiser(app, plan):
    client = client_for(app, plan.organizer)
    return client, BASE.format(plan.round.id)


def post(client, path, data, page=None):
    return client.post(path, data={**data, "csrf_token": csrf_token(client, page or path)})


def test_the_organiser_saves_the_window_and_computes_a_preview(app, plan):
    client, base = organiser(app, plan)
    response = post(
        client,
        base,
        {
            "window_start": "2026-12-18T14:00",
            "window_end": "2026-12-18T16:00",
            "slot_minutes": "20",
            "breaks": "15:00-15:20",
        },
    )
    assert response.status_code == 302
    schedule = round_schedule(plan.round)
    assert schedule.window_start == paris(14) and len(schedule.breaks) == 1
    response = post(client, base + "/compute", {}, page=base)
    assert response.status_code == 302
    page = client.get(base)
    assert page.status_code == 200
    for team in plan.teams:
        assert team.code in text(page)
    assert says(page, "Publish the schedule")


def test_a_window_that_ends_before_it_starts_is_shown_on_the_form(app, plan):
    client, base = organiser(app, plan)
    response = post(
        client,
        base,
        {
            "window_start": "2026-12-18T14:00",
            "window_end": "2026-12-18T13:00",
            "slot_minutes": "20",
        },
    )
    assert response.status_code == 200
    assert says(response, "The window must end after it starts.")
    assert 'value="2026-12-18T14:00"' in text(response)


def test_an_impossible_schedule_is_explained_in_sentences(app, plan):
    client, base = organiser(app, plan)
    post(
        client,
        base,
        {
            "window_start": "2026-12-18T09:00",
            "window_end": "2026-12-18T09:40",
            "slot_minutes": "20",
        },
    )
    response = post(client, base + "/compute", {}, page=base)
    assert response.status_code == 409
    assert says(response, "Why this cannot be done")
    assert db.session.scalar(db.select(db.func.count(PitchSlot.id))) == 0


def test_a_refused_move_names_the_jury_and_changes_nothing(app, plan):
    plan.compute()
    client, base = organiser(app, plan)
    first, second = plan.slot_of(plan.teams[0]), plan.slot_of(plan.teams[1])
    other = next(r.id for r in plan.rooms if r.id != first.room_id)
    before = (second.room_id, second.starts_at)
    path = f"{base}/slots/{second.id}"
    assert client.get(path).status_code == 200
    response = post(client, path, {"room": str(other), "start": first.starts_at.isoformat()})
    assert response.status_code == 409
    assert jury_name(plan.juries[0]) in text(response)
    db.session.expire_all()
    again = plan.slot_of(plan.teams[1])
    assert (again.room_id, again.starts_at) == before


def test_publishing_asks_to_acknowledge_then_publishes(app, plan):
    plan.compute()
    client, base = organiser(app, plan)
    response = post(client, base + "/publish", {}, page=base)
    assert response.status_code == 302
    assert round_schedule(plan.round).status == "draft"
    response = post(client, base + "/publish", {"acknowledge": "y"}, page=base)
    assert response.status_code == 302
    db.session.expire_all()
    assert round_schedule(plan.round).status == "published"


def test_rooms_are_added_and_a_duplicate_name_refused(app, plan):
    client, base = organiser(app, plan)
    response = post(
        client,
        base + "/rooms",
        {"name": "M 112", "site": "Montbéliard", "capacity": "30", "tables": "2"},
    )
    assert response.status_code == 302
    response = post(
        client, base + "/rooms", {"name": "M 112", "site": "", "capacity": "30", "tables": "1"}
    )
    assert response.status_code == 200
    assert says(response, "A room of this edition already has this name.")


def test_the_jury_sees_its_pitches_and_marks_one_done(app, plan):
    plan.compute()
    plan.publish()
    client = client_for(app, plan.juries[0])
    page = client.get("/jury/schedule")
    assert page.status_code == 200
    for team in plan.teams[:3]:
        assert team.code in text(page)
    assert plan.teams[4].code not in text(page)
    assert plan.teams[0].code in text(client.get("/jury/"))
    slot = plan.slot_of(plan.teams[1])
    response = post(
        client, f"/jury/schedule/pitches/{slot.id}/state", {"state": "done"}, page="/jury/schedule"
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(PitchSlot, slot.id).state == "done"


def test_the_team_page_shows_its_pitch_once_published(app, plan):
    plan.compute()
    client = client_for(app, plan.students[0])
    path = f"/team/{plan.teams[0].id}"
    assert not says(client.get(path), "Add to my calendar (.ics)")
    plan.publish()
    page = client.get(path)
    assert says(page, "Add to my calendar (.ics)")
    assert plan.slot_of(plan.teams[0]) is not None


def test_calendars_hold_the_persons_pitches(app, plan):
    plan.compute()
    plan.publish()
    response = client_for(app, plan.juries[0]).get("/schedule/calendar.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    events = Calendar.from_ical(response.data).walk("VEVENT")
    assert len(events) == 3
    slot = plan.slot_of(plan.teams[0])
    first = next(e for e in events if plan.teams[0].code in str(e["SUMMARY"]))
    assert first.decoded("DTSTART") == slot.starts_at
    assert "B 204" in str(first["LOCATION"]) or "A 201" in str(first["LOCATION"])
    with app.test_request_context():
        token = feed_token(plan.students[0])
    feed = app.test_client().get(f"/calendar/{token}.ics")
    assert feed.status_code == 200
    assert len(Calendar.from_ical(feed.data).walk("VEVENT")) == 1
    assert app.test_client().get(f"/calendar/{token}x.ics").status_code == 404


def test_the_room_screen_is_public_and_shows_the_next_pitch(app, plan):
    plan.compute()
    room = plan.slot_of(plan.teams[0]).room_id
    anonymous = app.test_client()
    draft = anonymous.get(f"/live/rooms/{room}")
    assert draft.status_code == 200 and plan.teams[0].code not in text(draft)
    plan.publish()
    page = anonymous.get(f"/live/rooms/{room}")
    codes = [s for s in plan.slots() if s.room_id == room]
    assert any(
        team.code in text(page) for team in plan.teams if team.id in {s.team_id for s in codes}
    )
    assert anonymous.get("/live/rooms/999999").status_code == 404


def test_export_schedule_writes_one_row_per_pitch(app, plan, tmp_path):
    plan.compute()
    target = tmp_path / "schedule.csv"
    runner = app.test_cli_runner()
    result = runner.invoke(args=["export", "schedule", str(target)])
    assert result.exit_code == 0, result.output
    assert list(csv.reader(io.StringIO(target.read_text("utf-8-sig")))) == [
        ["round", "room", "start", "end", "team", "juries"]
    ]
    plan.publish()
    result = runner.invoke(args=["export", "schedule", str(target)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(target.read_text("utf-8-sig"))))
    assert len(rows) == 6
    first = next(r for r in rows if r["team"] == plan.teams[0].code)
    assert set(first["juries"].split(";")) == {plan.juries[0].email, plan.juries[2].email}
    assert first["start"].startswith("2026-12-18T") and first["start"].endswith("+01:00")


def test_removing_a_used_room_names_who_is_affected_before_it_moves_anything(app, plan):
    plan.compute()
    plan.publish()
    room = plan.slot_of(plan.teams[0]).room_id
    client, base = organiser(app, plan)
    page = f"{base}/rooms/{room}"
    response = post(client, page + "/remove", {}, page=page)
    assert response.status_code == 409
    assert plan.teams[0].code in text(response)
    assert jury_name(plan.juries[0]) in text(response) or jury_name(plan.juries[2]) in text(
        response)
    db.session.expire_all()
    assert plan.slot_of(plan.teams[0]).room_id == room
