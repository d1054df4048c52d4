"""Organisers run the matching, adjust the preview, compare, publish; students see teams."""

from __future__ import annotations

import json
import re

import pytest
import sqlalchemy as sa
from markupsafe import escape

from crunchtime.errors import Conflict
from crunchtime.models import (
    AuditEvent,
    Challenge,
    MatchingRun,
    Membership,
    OutboxMessage,
    Placement,
    StudentProfile,
    Team,
    User,
)
from crunchtime.services.matching import publication as matching_publish
from crunchtime.services.matching import runs as matching
from crunchtime.views.templating import metric
from tests.helpers import csrf_token, fr, says, text
from tests.matching.conftest import student_emails


def run_via_page(browser) -> int:
    response = browser.post("/organizer/matching/run",
                            data={"csrf_token": csrf_token(browser, "/organizer/matching/")})
    assert response.status_code == 302, response.get_data(as_text=True)[-500:]
    return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])


def count(db, column, *where) -> int:
    return db.session.scalar(sa.select(sa.func.count(column)).where(*where))


def test_running_the_matching_places_every_student_in_a_preview(db, as_organiser,
                                                                 matching_edition):
    run_id = run_via_page(as_organiser)
    run = db.session.get(MatchingRun, run_id)
    assert run.status == "preview"
    students = count(db, StudentProfile.id, StudentProfile.edition_id == matching_edition.id)
    assert count(db, Placement.id, Placement.run_id == run_id) == students
    assert run.metrics["capacity_violations"] == 0 and run.metrics["size_violations"] == 0
    assert 0 < run.metrics["first_choice_share"] <= 1
    assert count(db, Team.id) == 0  # nothing real before publishing
    page = as_organiser.get(f"/organizer/matching/{run_id}")
    assert page.status_code == 200 and "C001" in text(page)
    assert says(page, "Publish the teams")


def test_moving_and_swapping_update_the_metrics_and_are_audited(db, as_organiser,
                                                                matching_edition):
    run_id = run_via_page(as_organiser)
    original = dict(db.session.get(MatchingRun, run_id).metrics)
    first = student_emails(db, 1)[0]
    token = csrf_token(as_organiser, f"/organizer/matching/{run_id}")
    placement = db.session.scalar(sa.select(Placement).join(
        StudentProfile, Placement.student_id == StudentProfile.id).join(User).where(
        User.email == first, Placement.run_id == run_id))
    other = db.session.scalar(sa.select(Challenge).where(
        Challenge.id != placement.challenge_id, Challenge.status == "approved"))
    response = as_organiser.post(f"/organizer/matching/{run_id}/move", data={
        "move-student": first, "move-challenge": other.code, "move-team": "1",
        "csrf_token": token})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Placement, placement.id).challenge_id == other.id
    moved = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "matching.move"))
    assert moved.details["student"] == placement.student_id
    after_move = db.session.get(MatchingRun, run_id).metrics
    assert after_move["objective"] != pytest.approx(original["objective"])
    assert after_move["objective_ratio_to_lp_bound"] < original["objective_ratio_to_lp_bound"]
    assert after_move["certified_optimal"] is False and original["certified_optimal"] is True
    assert after_move["lp_bound"] == pytest.approx(original["lp_bound"])

    second = db.session.scalar(
        sa.select(User.email).join(StudentProfile, StudentProfile.user_id == User.id)
        .join(Placement, Placement.student_id == StudentProfile.id)
        .where(Placement.run_id == run_id, Placement.challenge_id != other.id)
        .order_by(User.email.desc()))
    response = as_organiser.post(f"/organizer/matching/{run_id}/swap", data={
        "swap-first": first, "swap-second": second, "csrf_token": token})
    assert response.status_code == 302
    assert count(db, AuditEvent.id, AuditEvent.action == "matching.swap") == 1
    db.session.expire_all()
    after_swap = db.session.get(MatchingRun, run_id).metrics
    assert after_swap["objective"] != pytest.approx(after_move["objective"])
    assert after_swap["before_change"]["objective_ratio_to_lp_bound"] == pytest.approx(
        after_move["objective_ratio_to_lp_bound"])


def test_bad_adjustments_are_refused_on_the_form(db, as_organiser, matching_edition):
    run_id = run_via_page(as_organiser)
    token = csrf_token(as_organiser, f"/organizer/matching/{run_id}")
    unknown = as_organiser.post(f"/organizer/matching/{run_id}/move", data={
        "move-student": "nobody@example.org", "move-challenge": "C001", "move-team": "1",
        "csrf_token": token})
    assert unknown.status_code == 400
    assert says(unknown, "No student has the e-mail address %(email)s in this edition.",
                email="nobody@example.org")
    first = student_emails(db, 1)[0]
    bad_code = as_organiser.post(f"/organizer/matching/{run_id}/move", data={
        "move-student": first, "move-challenge": "C999", "move-team": "1",
        "csrf_token": token})
    assert bad_code.status_code == 400
    same = as_organiser.post(f"/organizer/matching/{run_id}/swap", data={
        "swap-first": first, "swap-second": first, "csrf_token": token})
    assert same.status_code == 400 and says(same, "Choose two different students.")


def test_pinning_runs_again_with_the_student_on_that_challenge(db, as_organiser,
                                                               matching_edition):
    run_id = run_via_page(as_organiser)
    email = student_emails(db, 1)[0]
    target = db.session.scalar(sa.select(Challenge.code).where(
        Challenge.status == "approved").order_by(Challenge.code.desc()))
    response = as_organiser.post(f"/organizer/matching/{run_id}/pin", data={
        "pin-student": email, "pin-challenge": target,
        "csrf_token": csrf_token(as_organiser, f"/organizer/matching/{run_id}")})
    assert response.status_code == 302
    new_id = int(response.headers["Location"].rsplit("/", 1)[1])
    assert new_id != run_id
    placed = db.session.scalar(
        sa.select(Challenge.code).join(Placement, Placement.challenge_id == Challenge.id)
        .join(StudentProfile, Placement.student_id == StudentProfile.id).join(User)
        .where(User.email == email, Placement.run_id == new_id))
    assert placed == target
    comparison = as_organiser.get(f"/organizer/matching/compare?a={run_id}&b={new_id}")
    assert comparison.status_code == 200
    page = text(comparison)
    runs = [db.session.get(MatchingRun, run_id), db.session.get(MatchingRun, new_id)]
    with as_organiser.application.test_request_context():
        expected = tuple(metric(run.metrics["objective_ratio_to_lp_bound"],
                                "objective_ratio_to_lp_bound") for run in runs)
        shares = [metric(run.metrics["first_choice_share"], "first_choice_share")
                  for run in runs]
    label = re.escape(str(escape(fr("Objective / LP bound"))))
    row = re.search(label + r'</th>\s*<td class="num">([^<]*)</td><td class="num">([^<]*)</td>',
                    page)
    assert row is not None and row.groups() == expected
    assert all(says(comparison, "Run %(n)d", n=run.id) for run in runs)
    assert all(share in page for share in shares)


def test_publishing_creates_teams_tells_students_and_cannot_happen_twice(
    db, as_organiser, matching_edition, organiser
):
    run_id = run_via_page(as_organiser)
    token = csrf_token(as_organiser, f"/organizer/matching/{run_id}")
    unconfirmed = as_organiser.post(f"/organizer/matching/{run_id}/publish",
                                    data={"csrf_token": token})
    assert unconfirmed.status_code == 400 and count(db, Team.id) == 0
    response = as_organiser.post(f"/organizer/matching/{run_id}/publish",
                                 data={"publish-confirm": "y", "csrf_token": token})
    assert response.status_code == 302
    students = count(db, StudentProfile.id, StudentProfile.edition_id == matching_edition.id)
    assert count(db, Membership.id) == students
    sizes = db.session.execute(sa.select(sa.func.count(Membership.id))
                               .group_by(Membership.team_id)).scalars().all()
    assert min(sizes) >= matching_edition.team_size_min
    assert max(sizes) <= matching_edition.team_size_max
    assert count(db, OutboxMessage.id, OutboxMessage.kind == "team") == students
    assert db.session.scalar(sa.select(AuditEvent).where(
        AuditEvent.action == "matching.publish")).actor_id == organiser.id

    run = db.session.get(MatchingRun, run_id)
    with pytest.raises(Conflict):
        matching_publish.publish_run(organiser, run)
    with pytest.raises(Conflict):
        matching.move_student(organiser, run, 1, "C001", 0)
    second = matching.start_run(organiser)
    with pytest.raises(Conflict):
        matching_publish.publish_run(organiser, second)
    matching_publish.publish_run(organiser, second, replace=True)
    assert db.session.get(MatchingRun, run_id).status == "replaced"
    assert count(db, Membership.id) == students


def test_student_sees_the_team_after_publication(app, db, as_organiser, matching_edition,
                                                 organiser):
    run = matching.start_run(organiser)
    matching_publish.publish_run(organiser, run)
    membership = db.session.scalar(sa.select(Membership).order_by(Membership.id))
    student = membership.student.user
    browser = app.test_client()
    with browser.session_transaction() as session:
        session["_user_id"] = student.get_id()
    page = text(browser.get("/student/"))
    assert membership.team.code in page and membership.team.challenge.code in page


def test_matching_outside_its_phase_is_refused_with_409(db, as_organiser, matching_edition):
    matching_edition.phase = "preferences"
    db.session.commit()
    response = as_organiser.post("/organizer/matching/run", data={
        "csrf_token": csrf_token(as_organiser, "/organizer/matching/")})
    assert response.status_code == 409


def test_command_line_runs_and_publishes(app, db, matching_edition):
    result = app.test_cli_runner().invoke(args=["match", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output.strip().splitlines()[-1])
    assert data["status"] == "preview" and data["metrics"]["size_violations"] == 0
    published = app.test_cli_runner().invoke(args=["match", "--publish"])
    assert published.exit_code == 0 and "teams published" in published.output
    again = app.test_cli_runner().invoke(args=["match", "--publish"])
    assert again.exit_code == 1


def test_too_few_seats_is_explained_and_nothing_is_kept(db, as_organiser, matching_edition):
    db.session.execute(sa.update(Challenge).values(teams_wanted=1))
    db.session.commit()
    response = as_organiser.post("/organizer/matching/run", data={
        "csrf_token": csrf_token(as_organiser, "/organizer/matching/")}, follow_redirects=True)
    page = text(response)
    seats = 6 * count(db, Challenge.id, Challenge.status == "approved")
    students = count(db, StudentProfile.id, StudentProfile.edition_id == matching_edition.id)
    assert f"{students}" in page and f"{seats}" in page
    assert "(+" in page  # the challenges that could open more teams, with how many
    assert count(db, MatchingRun.id) == 0


def test_explanations_speak_of_the_student_to_the_organiser(app, db, matching_edition,
                                                            organiser):
    """The organiser's preview says "the student's 1st choice", never "your"."""
    from crunchtime.services.matching.overview import run_overview

    run = matching.start_run(organiser)
    with app.test_request_context():
        sentences = [member.explanation for entry in run_overview(run)
                     for team in entry.teams.values() for member in team.members]
        first, yours = fr("The student's 1st choice."), fr("Your 1st choice.")
    assert all(sentences)
    assert any(first in sentence for sentence in sentences)
    assert not any(yours in sentence for sentence in sentences)
