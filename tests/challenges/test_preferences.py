"""Students rank 3 to 5 approved challenges in the preferences phase; organisers see demand."""

from __future__ import annotations

import sqlalchemy as sa
from markupsafe import escape

from crunchtime.models import Edition, Preference
from tests import factories
from tests.accounts.conftest import profile_of
from tests.helpers import csrf_token, fr, post_form, says, text


def open_preferences(db, edition):
    db.session.get(Edition, edition.id).phase = "preferences"
    db.session.commit()


def choices(*codes):
    return {f"choice{rank}": code for rank, code in enumerate(codes, start=1)}


def ranked_codes(db, student):
    profile = profile_of(db, student)
    return [p.challenge.code for p in sorted(profile.preferences, key=lambda p: p.rank)]


def test_student_ranks_and_changes_choices_while_the_phase_is_open(client, db, edition,
                                                                   student, login, catalogue):
    open_preferences(db, edition)
    login(student)
    page = client.get("/student/preferences")
    assert "C001 — Défi 1 (Alstom)" in text(page) and "C099" not in text(page)
    response = post_form(client, "/student/preferences", choices("C003", "C001", "C005"))
    assert response.status_code == 302
    assert ranked_codes(db, student) == ["C003", "C001", "C005"]
    post_form(client, "/student/preferences", choices("C002", "C004", "C006", "C001", "C003"))
    assert ranked_codes(db, student) == ["C002", "C004", "C006", "C001", "C003"]
    assert "C002 Défi 2" in text(client.get("/student/"))


def test_bad_rankings_are_refused_and_nothing_changes(client, db, edition, student, login,
                                                      catalogue):
    open_preferences(db, edition)
    login(student)
    post_form(client, "/student/preferences", choices("C001", "C002", "C003"))
    cases = [
        (choices("C001", "C001", "C002"), "You already chose this challenge above."),
        (choices("C001", "C002"), "Choose a challenge."),
        (choices("C001", "C002", "C099"), None),  # a draft: not offered, refused
        (choices("C001", "C002", "C777"), None),  # unknown code
    ]
    for data, message in cases:
        response = post_form(client, "/student/preferences", data)
        assert response.status_code == 200, data
        if message:
            assert says(response, message)
    assert ranked_codes(db, student) == ["C001", "C002", "C003"]


def test_service_refuses_more_than_five_and_non_approved(db, edition, student, catalogue):
    import pytest

    from crunchtime.errors import InvalidInput
    from crunchtime.services.challenges.preferences import rank_challenges

    open_preferences(db, edition)
    with pytest.raises(InvalidInput):
        rank_challenges(student, ["C001", "C002", "C003", "C004", "C005", "C006"])
    with pytest.raises(InvalidInput, match="C099"):
        rank_challenges(student, ["C001", "C002", "C099"])
    assert db.session.scalar(sa.select(sa.func.count(Preference.id))) == 0


def test_after_the_phase_choices_are_read_only_and_a_late_post_gets_409(
    client, db, edition, student, login, catalogue
):
    open_preferences(db, edition)
    login(student)
    post_form(client, "/student/preferences", choices("C001", "C002", "C003"))
    db.session.get(Edition, edition.id).phase = "matching"
    db.session.commit()
    page = client.get("/student/preferences")
    assert says(page, "The preferences phase is closed; your choices are kept as they are.")
    assert "<select" not in text(page)
    late = client.post("/student/preferences", data={
        **choices("C004", "C005", "C006"), "csrf_token": csrf_token(client, "/student/")})
    assert late.status_code == 409
    assert str(escape(fr("Preferences"))) in text(late)
    assert ranked_codes(db, student) == ["C001", "C002", "C003"]


def test_organisers_see_demand_against_capacity(client, db, edition, organizer, login,
                                                catalogue):
    open_preferences(db, edition)
    from crunchtime.services.challenges.preferences import rank_challenges

    for _ in range(8):
        rank_challenges(factories.student(edition), ["C001", "C002", "C003"])
    login(organizer)
    page = text(client.get("/organizer/demand"))
    assert 'data-code="C001"' in page
    row = page[page.index('data-code="C001"'):]
    row = row[:row.index("</tr>")]
    assert 'data-field="first">8<' in row and 'class="demand-over"' in page
    summary = client.get("/organizer/demand.json").get_json()
    assert summary["ranked"] == 8 and summary["students"] == 8
    c001 = next(c for c in summary["challenges"] if c["code"] == "C001")
    assert c001 == {"code": "C001", "first": 8, "mentions": 8, "capacity": 6, "status": "over"}


def test_a_new_ranking_reaches_organisers_live_and_not_students(app, db, edition, organizer,
                                                                student, catalogue,
                                                                live_test_client):
    open_preferences(db, edition)
    organiser_browser, student_browser = app.test_client(), app.test_client()
    for browser, user in ((organiser_browser, organizer), (student_browser, student)):
        with browser.session_transaction() as session:
            session["_user_id"] = user.get_id()
    sockets = []
    for browser in (organiser_browser, student_browser):
        with app.app_context():  # each connection in its own context, as in production
            sockets.append(live_test_client(app, namespace="/live",
                                            flask_test_client=browser))
    organiser_socket, student_socket = sockets
    assert organiser_socket.is_connected("/live") and student_socket.is_connected("/live")

    response = post_form(student_browser, "/student/preferences", choices("C002", "C001", "C003"))
    assert response.status_code == 302

    received = organiser_socket.get_received("/live")
    demand = [event for event in received if event["name"] == "demand"]
    assert len(demand) == 1
    summary = demand[0]["args"][0]
    assert summary["ranked"] == 1
    assert next(c for c in summary["challenges"] if c["code"] == "C002")["first"] == 1
    assert [e for e in student_socket.get_received("/live") if e["name"] == "demand"] == []
