"""A jury scores from its queue: scores, corrections, undo within 30 s, out-of-scope writes
refused with nothing written, the same event id answered once."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from crunchtime.models import ConflictOfInterest, JuryAssignment, ScoreEvent
from crunchtime.services.judging.ledger.queries import round_scores
from tests.helpers import csrf_token, fr, says, text
from tests.judging.conftest import api_client, post_event, profile_of, rewrite_event


def events(db) -> list[ScoreEvent]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(ScoreEvent).order_by(ScoreEvent.seq)))


def test_jury_sees_its_queue_with_assigned_teams_only(app, db, world, login):
    client = login(world.juries[0])
    page = client.get("/jury/")
    assert page.status_code == 200
    assert world.teams[0].code in text(page) and world.teams[1].code in text(page)
    assert world.teams[2].code not in text(page)
    assert says(page, "%(done)d of %(total)d criteria scored", done=0, total=2)


def test_first_score_then_a_correction_each_recorded_as_a_new_event(app, db, world):
    client = api_client(app, world.juries[0])
    first = post_event(client, world.score_body("event-0001", value=6))
    assert first.status_code == 201 and first.json["kind"] == "score"
    second = post_event(client, world.score_body("event-0002", value=8))
    assert second.status_code == 201 and second.json["kind"] == "correction"
    assert [(e.kind, e.value) for e in events(db)] == [("score", 6.0), ("correction", 8.0)]
    jury = profile_of(world.juries[0]).id
    assert round_scores(world.round.id) == {(jury, world.teams[0].id, world.criteria[0].id): 8.0}


def test_the_same_event_posted_twice_is_recorded_once_and_answered_the_same(app, db, world):
    client = api_client(app, world.juries[0])
    body = world.score_body("event-same-1", value=5)
    first, again = post_event(client, body), post_event(client, body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json["seq"] == first.json["seq"] and again.json["replayed"] is True
    assert len(events(db)) == 1


def test_an_event_id_reused_for_another_score_is_refused(app, db, world):
    client = api_client(app, world.juries[0])
    post_event(client, world.score_body("event-reuse-1", value=5))
    response = post_event(client, world.score_body("event-reuse-1", value=9))
    assert response.status_code == 409
    assert response.json["message"] == fr("This event id was already used for another score.")
    other_jury = api_client(app, world.juries[1])
    assert post_event(other_jury, world.score_body("event-reuse-1", value=5)).status_code == 409
    assert len(events(db)) == 1


def test_undo_within_30_seconds_cancels_the_score(app, db, world):
    client = api_client(app, world.juries[0])
    post_event(client, world.score_body("event-undo-1", value=4))
    response = post_event(client, {"client_event_id": "event-undo-2", "kind": "undo",
                                   "reverts": "event-undo-1"})
    assert response.status_code == 201 and response.json["kind"] == "undo"
    assert round_scores(world.round.id) == {}
    again = post_event(client, world.score_body("event-undo-3", value=6))
    assert again.json["kind"] == "score"


def test_undo_after_30_seconds_is_refused_and_a_correction_is_the_way(app, db, world):
    client = api_client(app, world.juries[0])
    post_event(client, world.score_body("event-late-1", value=4))
    row = events(db)[0]
    rewrite_event(row.seq, created_at=row.created_at - timedelta(seconds=31))
    response = post_event(client, {"client_event_id": "event-late-2", "kind": "undo",
                                   "reverts": "event-late-1"})
    assert response.status_code == 409
    assert "30" in response.json["message"]
    assert len(events(db)) == 1


def test_a_jury_cannot_undo_another_jurys_score(app, db, world):
    post_event(api_client(app, world.juries[1]), world.score_body("event-theirs-1"))
    response = post_event(api_client(app, world.juries[0]), {
        "client_event_id": "event-theirs-2", "kind": "undo", "reverts": "event-theirs-1"})
    assert response.status_code == 403
    assert len(events(db)) == 1


def test_out_of_scope_scores_are_refused_with_the_reason_and_nothing_is_written(app, db,
                                                                                world):
    client = api_client(app, world.juries[0])
    unassigned = post_event(client, world.score_body("event-scope-1", team=world.teams[2]))
    assert unassigned.status_code == 403
    assert unassigned.json["message"] == fr(
        "You are not assigned to score this team in this round.")
    off_scale = post_event(client, world.score_body("event-scope-2", value=11))
    assert off_scale.status_code == 400
    assert off_scale.json["message"] == fr("“%(criterion)s” is scored from %(low)d to %(high)d.",
                                           criterion="Innovation", low=0, high=10)
    world.round.status = "closed"
    db.session.commit()
    closed = post_event(client, world.score_body("event-scope-3"))
    assert closed.status_code == 409
    assert closed.json["message"] == fr("Round “%(name)s” is not open for scoring.",
                                        name="Tour 1")
    world.round.status, world.edition.phase = "open", "results"
    db.session.commit()
    assert post_event(client, world.score_body("event-scope-4")).status_code == 409
    assert events(db) == []


def test_malformed_events_are_refused_as_bad_input(app, db, world):
    client = api_client(app, world.juries[0])
    for body in ({"client_event_id": "short", "kind": "score"}, [1, 2],
                 world.score_body("event-bad-1", value="7"),
                 world.score_body("event-bad-2", round_id=True),
                 {"client_event_id": "event-bad-3", "kind": "delete"}):
        response = post_event(client, body)
        assert response.status_code == 400, body
        assert response.json["error"] == "invalid_input"
    assert events(db) == []


def test_other_roles_cannot_post_scores(app, db, world, organizer):
    for user, own_page in ((organizer, "/organizer/judging/"), (world.students[0], "/student/")):
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
        token = csrf_token(client, own_page)  # a valid token: the role alone is refused
        response = client.post("/jury/api/events", json=world.score_body("event-org-1"),
                               headers={"X-CSRFToken": token})
        assert response.status_code == 403, user.role
    assert events(db) == []


def test_a_score_from_an_ended_session_or_a_non_jury_account_is_refused(app, db, world):
    """The phone's score events are checked in the group that writes them: a session ended
    elsewhere (logout everywhere, new password) or a deactivated account gets 401, a jury
    account without a profile in this edition 403, and nothing is written."""
    from crunchtime.models.user import new_session_token
    from tests import factories

    ended, deactivated = api_client(app, world.juries[0]), api_client(app, world.juries[1])
    world.juries[0].session_token = new_session_token()
    world.juries[1].active = False
    stranger = factories.jury(factories.edition(phase="judging", current=False))
    db.session.commit()
    for client, event_id in ((ended, "event-ended-1"), (deactivated, "event-inactive-1")):
        response = post_event(client, world.score_body(event_id))
        assert response.status_code == 401
        assert response.json == {"error": "unauthorized", "message": fr("Please log in first.")}
    other_edition = post_event(api_client(app, stranger), world.score_body("event-stranger-1"))
    assert other_edition.status_code == 403
    assert other_edition.json["message"] == fr("You are not a jury member of this edition.")
    anonymous = app.test_client().post("/jury/api/events", json=world.score_body("event-anon-1"))
    assert anonymous.status_code in (400, 401)  # no session: no CSRF token either
    assert events(db) == []


def test_a_score_refused_in_its_group_answers_in_the_jurys_language(app, db, world):
    client = api_client(app, world.juries[0])
    body = world.score_body("event-lang-1", team=world.teams[2])  # not its team
    english = client.post("/jury/api/events", json=body, headers={
        "X-CSRFToken": client.csrf, "Accept-Language": "en"})
    assert english.json["message"] == "You are not assigned to score this team in this round."
    world.juries[0].locale = "fr"  # the account's choice wins over the browser's
    db.session.commit()
    chosen = client.post("/jury/api/events", json=body, headers={
        "X-CSRFToken": client.csrf, "Accept-Language": "en"})
    assert chosen.json["message"] == fr("You are not assigned to score this team in this round.")
    assert events(db) == []


def test_form_without_javascript_scores_then_undoes_within_30_seconds(app, db, world, login):
    client = login(world.juries[0])
    path = f"/jury/rounds/{world.round.id}/teams/{world.teams[0].id}"
    page = client.get(path)
    assert page.status_code == 200 and world.teams[0].code in text(page)
    token = text(page).split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    batch = text(page).split('name="batch" type="hidden" value="')[1].split('"')[0]
    first, second = world.criteria
    data = {"csrf_token": token, "batch": batch, f"criterion_{first.id}": "7",
            f"criterion_{second.id}": "5", "comment": "Très bon pitch"}
    response = client.post(path, data=data)
    assert response.status_code == 302
    again = client.post(path, data=data)  # a double tap: same batch, nothing more
    assert again.status_code == 302
    assert [(e.kind, e.value, e.comment) for e in events(db)] == [
        ("score", 7.0, "Très bon pitch"), ("score", 5.0, "Très bon pitch")]
    assignment = db.session.scalar(sa.select(JuryAssignment).where(
        JuryAssignment.team_id == world.teams[0].id,
        JuryAssignment.jury_id == profile_of(world.juries[0]).id))
    assert assignment.status == "scored"
    shown = client.get(path)
    assert says(shown, "Undo my last scores")
    client.post(f"{path}/undo", data={"csrf_token": token})
    assert round_scores(world.round.id) == {}
    db.session.refresh(assignment)
    assert assignment.status == "to_score"


def test_a_jury_skips_an_absent_team_and_brings_it_back(app, db, world, login):
    client = login(world.juries[0])
    path = f"/jury/rounds/{world.round.id}/teams/{world.teams[1].id}"
    token = text(client.get(path)).split('name="csrf_token" type="hidden" value="')[1][:200]
    token = token.split('"')[0]
    client.post(f"{path}/absent", data={"csrf_token": token, "absent": "1"})
    home = client.get("/jury/")
    assert says(home, "Skipped: team absent") and "(1)" in text(home)
    client.post(f"{path}/absent", data={"csrf_token": token, "absent": "0"})
    statuses = set(db.session.scalars(sa.select(JuryAssignment.status)))
    assert statuses == {"to_score"}


def test_a_score_goes_live_to_the_organisers_only(app, db, world, organizer, live_test_client):
    sockets = {}
    for name, user in (("organizer", organizer), ("jury", world.juries[1])):
        browser = app.test_client()
        with browser.session_transaction() as session:
            session["_user_id"] = user.get_id()
        with app.app_context():  # each connection in its own context, as in production
            sockets[name] = live_test_client(app, namespace="/live",
                                             flask_test_client=browser)
    post_event(api_client(app, world.juries[0]), world.score_body("event-live-1"))
    organiser_events = [e for e in sockets["organizer"].get_received("/live")
                        if e["name"] == "score"]
    assert len(organiser_events) == 1 and organiser_events[0]["args"][0]["kind"] == "score"
    assert [e for e in sockets["jury"].get_received("/live") if e["name"] == "score"] == []


def test_team_page_shows_the_submission_or_else_the_challenge_and_members(app, db, world,
                                                                         login):
    from crunchtime.models import Submission, SubmissionFile, SubmissionVersion

    submission = Submission(team_id=world.teams[0].id, version=1)
    db.session.add(submission)
    db.session.flush()
    upload = SubmissionFile(submission_id=submission.id, stored_name="f" * 40,
                            original_name="maquette.pdf", content_type="application/pdf",
                            size=2048, sha256="0" * 64)
    db.session.add(upload)
    db.session.flush()
    db.session.add(SubmissionVersion(submission_id=submission.id, number=1,
                                     title="Hydrobus", pitch="Des bus à hydrogène local",
                                     solution="Une station modulaire", file_ids=[upload.id]))
    db.session.commit()
    client = login(world.juries[0])
    submitted = client.get(f"/jury/rounds/{world.round.id}/teams/{world.teams[0].id}")
    assert "Des bus à hydrogène local" in text(submitted) and "maquette.pdf" in text(submitted)
    bare = client.get(f"/jury/rounds/{world.round.id}/teams/{world.teams[1].id}")
    assert says(bare, "The team has not submitted anything yet: here is the challenge it "
                      "worked on.")
    assert world.students[1].last_name in text(bare)


def test_the_jury_pages_cost_the_same_queries_with_more_teams(app, db, world, login):
    from tests import factories
    from tests.helpers import count_queries
    from tests.judging.conftest import assign, enter

    client = login(world.juries[0])
    path = f"/jury/rounds/{world.round.id}/teams/{world.teams[0].id}"
    with count_queries(db.engine) as few:
        client.get("/jury/")
        client.get(path)
    for _ in range(8):
        team = factories.team(world.edition, world.challenges[0])
        enter(world.round, team)
        assign(world.round, world.juries[0], team)
    with count_queries(db.engine) as many:
        client.get("/jury/")
        client.get(path)
    assert many.count == few.count


def test_a_form_refused_after_its_page_loaded_shows_why(app, db, world, login):
    """The page is rendered again after the refusal (its objects outlive the write's wait)."""
    client = login(world.juries[0])
    path = f"/jury/rounds/{world.round.id}/teams/{world.teams[0].id}"
    page = text(client.get(path))
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    batch = page.split('name="batch" type="hidden" value="')[1].split('"')[0]
    first, second = world.criteria
    db.session.add(ConflictOfInterest(jury_id=profile_of(world.juries[0]).id, kind="team",
                                      team_id=world.teams[0].id))
    db.session.commit()
    response = client.post(path, data={"csrf_token": token, "batch": batch,
                                       f"criterion_{first.id}": "7",
                                       f"criterion_{second.id}": "5", "comment": "Bon pitch"})
    assert response.status_code == 200
    assert says(response, "You have declared a conflict of interest with this team: you can "
                "no longer score it.")
    assert "data-scoring" not in text(response)  # the form is gone with the conflict
    assert events(db) == []
