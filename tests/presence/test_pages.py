"""The presence pages through HTTP: the door screen and its code, the check-in link (login
first when needed, then one tap), the student's record, the organisers' week and the
staff's scanner and list."""

from __future__ import annotations

import re
from datetime import date

import sqlalchemy as sa

from crunchtime.models import CheckIn, PresenceSession
from crunchtime.services.presence import checkins
from crunchtime.services.presence.personal import personal_code_of
from tests.helpers import csrf_token, says, text
from tests.presence.conftest import make_week


def _link_path(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def test_the_door_screen_shows_a_signed_link_that_checks_a_student_in(app, db, week,
                                                                      as_user):
    staff = as_user(week.organizer)
    screen = staff.get(f"/presence/points/{week.door.id}/screen")
    assert screen.status_code == 200 and "<svg" in text(screen)
    code = staff.get(f"/presence/points/{week.door.id}/code.json").get_json()
    assert code["session"] and len(code["short_code"]) == 6 and code["svg"].startswith("<svg")
    path = _link_path(code["url"])
    student = as_user(week.students[0])
    confirm = student.get(path)
    assert confirm.status_code == 200 and says(confirm, "Check me in")
    confirmation = re.search(r'name="confirmation" type="hidden" value="([^"]+)"',
                             text(confirm)).group(1)
    done = student.post("/presence/check-in", data={
        "csrf_token": csrf_token(student, path), "confirmation": confirmation})
    assert done.status_code == 200 and says(done, "You are checked in")
    again = student.get(path)
    assert says(again, "Already checked in")
    assert db.session.scalar(sa.select(sa.func.count(CheckIn.id))) == 1


def test_a_visitor_logs_in_first_and_comes_back_to_the_link(app, db, week, client):
    path = _link_path(app.config["BASE_URL"] + "/presence/check-in/"
                      + checkins.codes.door_token(app.config["SECRET_KEY"], week.code()))
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=/presence/check-in/")


def test_a_bad_link_says_why_and_offers_the_typed_code(app, db, week, as_user):
    student = as_user(week.students[0])
    response = student.get("/presence/check-in/1.2.3.forged")
    assert response.status_code == 400
    assert says(response, "This check-in code is not valid. Scan the code on the screen at "
                          "the door again.")
    assert 'name="code"' in text(response)
    organiser = as_user(week.organizer)
    token = checkins.codes.door_token(app.config["SECRET_KEY"], week.code())
    refused = organiser.get(f"/presence/check-in/{token}")
    assert refused.status_code == 403
    assert says(refused, "Only students check in; this code is for them.")


def test_the_student_types_the_short_code_and_sees_the_record(app, db, week, as_user):
    short = checkins.door_screen(week.edition, week.door).short_code
    student = as_user(week.students[0])
    done = student.post("/presence/code", data={
        "csrf_token": csrf_token(student, "/presence/"), "code": short})
    assert done.status_code == 200 and says(done, "You are checked in")
    wrong = student.post("/presence/code", data={
        "csrf_token": csrf_token(student, "/presence/"), "code": "ZZZZZZ"})
    assert wrong.status_code == 400
    record = student.get("/presence/")
    assert says(record, "present") and personal_code_of(week.students[0], week.edition) in \
        text(record)


def test_the_student_declares_an_absence_from_the_record_page(app, db, week, as_user):
    from io import BytesIO

    from tests.challenges import samples

    student = as_user(week.students[1])
    response = student.post("/presence/absences", data={
        "csrf_token": csrf_token(student, "/presence/"), "session": str(week.past.id),
        "reason": "Train supprimé", "document": (BytesIO(samples.EXE), "certificat.pdf")},
        content_type="multipart/form-data")
    assert response.status_code == 400 and says(response, "Programs and scripts are not accepted.")
    assert "Train supprimé" in text(response)  # the form keeps what was typed
    response = student.post("/presence/absences", data={
        "csrf_token": csrf_token(student, "/presence/"), "session": str(week.past.id),
        "reason": "Train supprimé", "document": (BytesIO(samples.PDF), "billet.pdf")},
        content_type="multipart/form-data")
    assert response.status_code == 302
    staff = as_user(week.organizer)
    listing = staff.get("/organizer/presence/absences")
    assert "Train supprimé" in text(listing) and "billet.pdf" in text(listing)


def test_organisers_create_the_default_week_in_one_click(app, db, as_user):
    week = make_week(db)
    db.session.execute(sa.delete(PresenceSession).where(
        PresenceSession.edition_id == week.edition.id))
    db.session.commit()
    staff = as_user(week.organizer)
    page = staff.get("/organizer/presence/")
    assert says(page, "Create the five days (morning and afternoon)")
    response = staff.post("/organizer/presence/default-week", data={
        "csrf_token": csrf_token(staff, "/organizer/presence/"), "first_day": "2026-12-14"})
    assert response.status_code == 302
    days = db.session.scalars(sa.select(PresenceSession.day).where(
        PresenceSession.edition_id == week.edition.id).order_by(PresenceSession.starts_at))
    assert sorted(set(days)) == [date(2026, 12, d) for d in range(14, 19)]
    overlap = staff.post("/organizer/presence/sessions/new", data={
        "csrf_token": csrf_token(staff, "/organizer/presence/"), "day": "2026-12-14",
        "part": "afternoon", "starts_at": "2026-12-14T10:00", "ends_at": "2026-12-14T11:00",
        "label": "Atelier"})
    assert overlap.status_code == 200 and 'value="Atelier"' in text(overlap)
    assert says(overlap, "This day already has a session for this part of the day.")


def test_the_staff_scan_a_code_and_tick_a_list_from_a_phone(app, db, week, as_user):
    staff = as_user(week.organizer)
    token = csrf_token(staff, "/organizer/presence/scan")
    answer = staff.post("/organizer/presence/scan", data={
        "csrf_token": token, "session": str(week.open.id), "point": str(week.door.id),
        "code": personal_code_of(week.students[0], week.edition)},
        headers={"Accept": "application/json"})
    assert answer.status_code == 200 and answer.get_json()["ok"] is True
    again = staff.post("/organizer/presence/scan", data={
        "csrf_token": token, "session": str(week.open.id),
        "code": personal_code_of(week.students[0], week.edition)})
    assert again.status_code == 409 and again.get_json()["error"] == "already_checked_in"
    forged = staff.post("/organizer/presence/scan", data={
        "csrf_token": token, "session": str(week.open.id), "code": "12-ABCDEF"})
    assert forged.status_code == 400
    page = staff.get(f"/organizer/presence/list?session={week.open.id}")
    assert page.status_code == 200
    ticked = staff.post(f"/organizer/presence/list?session={week.open.id}", data={
        "csrf_token": token, "present": [str(s.id) for s in week.students[1:]]})
    assert ticked.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(CheckIn.id)).where(
        CheckIn.session_id == week.open.id)) == 3


def test_the_team_page_and_the_cockpit_show_who_is_here(app, db, week, as_user):
    checkins.check_in_at_door(week.students[0], week.code())
    team_page = as_user(week.students[1]).get("/team/")
    space = as_user(week.students[1]).get(team_page.headers["Location"])
    assert says(space, "Here now") and says(space, "not checked in")
    panels = as_user(week.organizer).get("/organizer/cockpit/panels")
    assert panels.status_code == 200 and 'data-presence-here>1<' in text(panels)


def test_the_organisers_live_room_hears_each_check_in(app, db, week, as_user,
                                                      live_test_client, fresh_live_hub):
    browser = app.test_client()
    with browser.session_transaction() as session:
        session["_user_id"] = week.organizer.get_id()
    student_browser = app.test_client()
    with student_browser.session_transaction() as session:
        session["_user_id"] = week.students[0].get_id()
    with app.app_context():  # each connection in its own context, as in production
        organiser = live_test_client(app, namespace="/live", flask_test_client=browser)
    with app.app_context():
        student = live_test_client(app, namespace="/live", flask_test_client=student_browser)
    organiser.get_received("/live")
    student.get_received("/live")
    short = checkins.door_screen(week.edition, week.door).short_code
    client = as_user(week.students[0])
    client.post("/presence/code", data={"csrf_token": csrf_token(client, "/presence/"),
                                        "code": short})
    heard = [e for e in organiser.get_received("/live") if e["name"] == "cockpit"]
    assert len(heard) == 1 and heard[0]["args"][0]["changed"] == ["check_in"]
    assert [e for e in student.get_received("/live") if e["name"] == "cockpit"] == []


def test_typing_codes_is_limited_per_student(app, db, week, as_user):
    student = as_user(week.students[0])
    token = csrf_token(student, "/presence/")
    answers = [student.post("/presence/code", data={"csrf_token": token, "code": "ZZZZZZ"})
               .status_code for _ in range(21)]
    assert answers[:20] == [400] * 20 and answers[20] == 429
    other = as_user(week.students[1])  # another student behind the same address
    assert other.post("/presence/code", data={
        "csrf_token": csrf_token(other, "/presence/"), "code": "ZZZZZZ"}).status_code == 400


def test_unticking_a_name_removes_only_a_check_in_the_page_showed(app, db, week, as_user):
    from crunchtime.models import AuditEvent

    first, second, third = week.students
    checkins.staff_tick(week.organizer, week.edition, week.open.id, [first.id])
    staff = as_user(week.organizer)
    page = staff.get(f"/organizer/presence/list?session={week.open.id}")
    assert f'name="was_present" value="{first.id}"' in text(page)
    checkins.check_in_at_door(second, week.code())  # arrives after the page was drawn
    response = staff.post(f"/organizer/presence/list?session={week.open.id}", data={
        "csrf_token": csrf_token(staff, "/organizer/presence/scan"),
        "was_present": [str(first.id)], "present": [str(third.id)]})
    assert response.status_code == 302
    present = set(db.session.scalars(sa.select(CheckIn.user_id).where(
        CheckIn.session_id == week.open.id)))
    assert present == {second.id, third.id}
    audit = db.session.scalars(sa.select(AuditEvent).where(
        AuditEvent.action == "presence.check_in_removed")).one()
    assert audit.details["student"] == first.id and audit.details["how"] == "staff_list"


def test_only_the_scanner_page_may_open_the_camera(app, db, week, as_user):
    """The site forbids the camera (Permissions-Policy camera=()); the staff's scanner page,
    which reads students' codes with it, allows it for itself only."""
    staff = as_user(week.organizer)
    scanner = staff.get("/organizer/presence/scan")
    assert scanner.status_code == 200
    assert "camera=(self)" in scanner.headers["Permissions-Policy"]
    elsewhere = staff.get("/organizer/presence/")
    assert "camera=()" in elsewhere.headers["Permissions-Policy"]
