"""What a manual change costs, what it breaks, and the settings organisers choose."""

from __future__ import annotations

import json
import threading

import pytest
import sqlalchemy as sa

from crunchtime.errors import Conflict, InvalidInput
from crunchtime.models import (
    AuditEvent,
    Challenge,
    Edition,
    MatchingRun,
    Membership,
    Placement,
    StudentProfile,
    Team,
    User,
)
from crunchtime.services.matching import publication as matching_publish
from crunchtime.services.matching import runs as matching
from tests.helpers import csrf_token, fr, says, text
from tests.matching.test_workflow import count, run_via_page


def placements(db, run_id: int) -> list[tuple[int, str, int, str | None, str]]:
    """(student id, challenge code, team index, friend group, e-mail) of every placement."""
    return db.session.execute(
        sa.select(Placement.student_id, Challenge.code, Placement.team_index,
                  StudentProfile.friend_group_key, User.email)
        .join(Challenge, Placement.challenge_id == Challenge.id)
        .join(StudentProfile, Placement.student_id == StudentProfile.id)
        .join(User, StudentProfile.user_id == User.id)
        .where(Placement.run_id == run_id).order_by(Placement.student_id)).all()


def split_pair(db, run_id: int):
    """A friend-group member and a student without a group on another challenge: swapping
    them keeps every team's size and splits the group."""
    rows = placements(db, run_id)
    member = next(row for row in rows if row.friend_group_key)
    loner = next(row for row in rows if row.friend_group_key is None
                 and row.code != member.code)
    return member, loner


def post(browser, run_id: int, action: str, data: dict):
    token = csrf_token(browser, f"/organizer/matching/{run_id}")
    return browser.post(f"/organizer/matching/{run_id}/{action}",
                        data={**data, "csrf_token": token})


def test_pinning_to_an_unknown_or_unapproved_challenge_is_a_form_error(
    db, as_organiser, matching_edition, organiser
):
    run_id = run_via_page(as_organiser)
    email = placements(db, run_id)[0].email
    unknown = post(as_organiser, run_id, "pin", {"pin-student": email, "pin-challenge": "C999"})
    assert unknown.status_code == 400
    assert says(unknown, "%(code)s is not an approved challenge of this edition: students can "
                "only be pinned to an approved challenge.", code="C999")
    draft = db.session.scalar(sa.select(Challenge).where(Challenge.status == "approved")
                              .order_by(Challenge.code.desc()))
    draft.status = "submitted"
    db.session.commit()
    refused = post(as_organiser, run_id, "pin", {"pin-student": email,
                                                 "pin-challenge": draft.code.lower()})
    assert refused.status_code == 400 and draft.code in text(refused)
    with pytest.raises(InvalidInput) as error:
        matching.pin_and_rerun(organiser, db.session.get(MatchingRun, run_id),
                               placements(db, run_id)[0].student_id, draft.code)
    assert error.value.details["field"] == "challenge"
    assert count(db, MatchingRun.id) == 1


def test_run_page_shows_the_metrics_before_and_after_a_change(db, as_organiser,
                                                              matching_edition):
    run_id = run_via_page(as_organiser)
    original = dict(db.session.get(MatchingRun, run_id).metrics)
    assert original["certified_optimal"] is True
    mover = next(row for row in placements(db, run_id) if row.friend_group_key is None)
    target = db.session.scalar(sa.select(Challenge.code).where(
        Challenge.status == "approved", Challenge.code != mover.code).order_by(Challenge.code))
    moved = post(as_organiser, run_id, "move", {"move-student": mover.email,
                                                "move-challenge": target, "move-team": "1"})
    assert moved.status_code == 302
    db.session.expire_all()
    after_move = db.session.get(MatchingRun, run_id).metrics
    assert after_move["objective"] != pytest.approx(original["objective"])
    assert after_move["before_change"]["objective_ratio_to_lp_bound"] == pytest.approx(
        original["objective_ratio_to_lp_bound"])
    assert after_move["certified_optimal"] is False and after_move["adjusted"] is True
    page = as_organiser.get(f"/organizer/matching/{run_id}")
    assert says(page, "Effect of the last change") and says(page, "Before")
    assert says(page, "(changed by hand: no longer certified)")

    first, second = split_pair(db, run_id)
    swapped = post(as_organiser, run_id, "swap", {"swap-first": first.email,
                                                  "swap-second": second.email})
    assert swapped.status_code == 302
    db.session.expire_all()
    after_swap = db.session.get(MatchingRun, run_id).metrics
    assert after_swap["objective"] != pytest.approx(after_move["objective"])
    assert after_swap["before_change"]["group_violations"] == after_move["group_violations"]
    assert after_swap["group_violations"] == after_move["group_violations"] + 1
    assert count(db, AuditEvent.id, AuditEvent.action.in_(("matching.move",
                                                            "matching.swap"))) == 2


def test_run_page_shows_why_students_are_outside_their_choices_and_skills_coverage(
    db, as_organiser, matching_edition
):
    profile = next(p for p in db.session.scalars(
        sa.select(StudentProfile).where(StudentProfile.friend_group_key.is_(None))
        .order_by(StudentProfile.id)) if len(p.preferences) > 1)
    last = max(profile.preferences, key=lambda preference: preference.rank)
    elsewhere = last.challenge.code  # no longer one of their choices
    db.session.delete(last)
    db.session.commit()
    run_id = run_via_page(as_organiser)
    assert post(as_organiser, run_id, "move", {"move-student": profile.user.email,
                                               "move-challenge": elsewhere,
                                               "move-team": "1"}).status_code == 302
    db.session.expire_all()
    metrics = db.session.get(MatchingRun, run_id).metrics
    assert metrics["outside_choices_by_reason"].get("moved") == 1
    page = as_organiser.get(f"/organizer/matching/{run_id}")
    assert says(page, "Placed outside their choices, and why:")
    assert says(page, "%(num)d student: %(reason)s", "%(num)d students: %(reason)s", num=1,
                reason=fr("moved by the organisers"))
    assert says(page, "Wanted skills covered (mean per team)")
    assert 0 < metrics["skills_coverage_mean"] <= 1


def test_publishing_a_run_that_splits_a_friend_group_needs_publish_anyway(
    db, as_organiser, matching_edition
):
    run_id = run_via_page(as_organiser)
    first, second = split_pair(db, run_id)
    post(as_organiser, run_id, "swap", {"swap-first": first.email, "swap-second": second.email})
    page = as_organiser.get(f"/organizer/matching/{run_id}")
    assert first.friend_group_key in text(page) and says(page, "Friend groups split")
    refused = post(as_organiser, run_id, "publish", {"publish-confirm": "y"})
    assert refused.status_code == 409 and count(db, Team.id) == 0
    assert "publish-publish_anyway" in text(refused)
    published = post(as_organiser, run_id, "publish", {"publish-confirm": "y",
                                                       "publish-publish_anyway": "y"})
    assert published.status_code == 302 and count(db, Team.id) > 0
    audit = db.session.scalar(sa.select(AuditEvent).where(
        AuditEvent.action == "matching.publish"))
    assert audit.details["split_groups"] >= 1


def test_a_broken_pin_is_shown_and_warned_before_publishing(db, as_organiser,
                                                            matching_edition, organiser):
    run = matching.start_run(organiser)
    loner = next(row for row in placements(db, run.id) if row.friend_group_key is None)
    pinned = matching.pin_and_rerun(organiser, run, loner.student_id, loner.code)
    other = next(row for row in placements(db, pinned.id)
                 if row.friend_group_key is None and row.code != loner.code)
    matching.swap_students(organiser, pinned, loner.student_id, other.student_id)
    assert pinned.metrics["pin_violations"] == 1
    page = as_organiser.get(f"/organizer/matching/{pinned.id}")
    assert says(page, "Pins broken")
    assert says(page, "%(num)d pinned student is no longer on the challenge they were pinned "
                "to.", "%(num)d pinned students are no longer on the challenge they were "
                "pinned to.", num=1)


def test_a_second_simultaneous_publication_gets_a_conflict_not_an_error(
    db, as_organiser, matching_edition, organiser, monkeypatch
):
    first, second = matching.start_run(organiser), matching.start_run(organiser)
    matching_publish.publish_run(organiser, first)
    teams, members = count(db, Team.id), count(db, Membership.id)
    # The second session read "nothing published" before the first one committed.
    monkeypatch.setattr(matching_publish, "_published_run", lambda edition: None)
    with pytest.raises(Conflict) as error:
        matching_publish.publish_run(organiser, second)
    assert error.value.message == fr("These teams are already published: another publication "
                                     "finished first. Reload the page to see it.")
    db.session.expire_all()
    assert db.session.get(MatchingRun, second.id).status == "preview"
    assert (count(db, Team.id), count(db, Membership.id)) == (teams, members)
    response = post(as_organiser, second.id, "publish", {"publish-confirm": "y"})
    assert response.status_code == 409
    assert says(response, "These teams are already published: another publication finished "
                "first. Reload the page to see it.")


def test_organiser_sets_team_sizes_and_diversity_cap_before_running(db, as_organiser,
                                                                    matching_edition):
    token = csrf_token(as_organiser, "/organizer/matching/")
    saved = as_organiser.post("/organizer/matching/settings", data={
        "settings-min_size": "5", "settings-max_size": "7", "settings-diversity_cap": "3",
        "csrf_token": token})
    assert saved.status_code == 302
    edition = db.session.get(Edition, matching_edition.id)
    assert (edition.team_size_min, edition.team_size_max) == (5, 7)
    run = db.session.get(MatchingRun, run_via_page(as_organiser))
    assert run.parameters["team_size"] == [5, 7] and run.parameters["diversity_cap"] == 3
    assert run.metrics["programme_cap_violations"] == 0 and run.metrics["size_violations"] == 0
    sizes = {len(team) for team in _teams(db, run.id)}
    assert min(sizes) >= 5 and max(sizes) <= 7


def _teams(db, run_id: int) -> list[list[int]]:
    teams: dict[tuple[str, int], list[int]] = {}
    for row in placements(db, run_id):
        teams.setdefault((row.code, row.team_index), []).append(row.student_id)
    return list(teams.values())


@pytest.mark.parametrize(("low", "high", "cap", "field", "message"), [
    ("7", "5", "", "max_size", "The largest team cannot be smaller than the smallest."),
    ("1", "6", "", "min_size", "Team sizes are between 2 and 10."),
    ("5", "11", "", "max_size", "Team sizes are between 2 and 10."),
    ("5", "6", "0", "diversity_cap", "The cap is between 1 and 10."),
])
def test_bad_team_settings_are_refused_with_a_clear_error(db, as_organiser, matching_edition,
                                                          low, high, cap, field, message):
    response = as_organiser.post("/organizer/matching/settings", data={
        "settings-min_size": low, "settings-max_size": high, "settings-diversity_cap": cap,
        "csrf_token": csrf_token(as_organiser, "/organizer/matching/")})
    assert response.status_code == 400 and says(response, message)
    assert f'id="settings-{field}-error"' in text(response)
    edition = db.session.get(Edition, matching_edition.id)
    assert (edition.team_size_min, edition.team_size_max) == (5, 6)


def test_team_settings_are_refused_once_teams_are_formed(db, as_organiser, matching_edition):
    matching_edition.phase = "building"
    db.session.commit()
    response = as_organiser.post("/organizer/matching/settings", data={
        "settings-min_size": "4", "settings-max_size": "6",
        "csrf_token": csrf_token(as_organiser, "/organizer/matching/")})
    assert response.status_code == 409
    assert db.session.get(Edition, matching_edition.id).team_size_min == 5


def test_command_line_takes_team_sizes_and_a_diversity_cap(app, db, matching_edition):
    result = app.test_cli_runner().invoke(args=[
        "match", "--json", "--min-size", "5", "--max-size", "7", "--diversity-cap", "3"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output.strip().splitlines()[-1])
    assert data["parameters"]["team_size"] == [5, 7]
    assert data["parameters"]["diversity_cap"] == 3
    assert data["metrics"]["programme_cap_violations"] == 0
    no_cap = app.test_cli_runner().invoke(args=["match", "--json", "--diversity-cap", "none"])
    assert json.loads(no_cap.output.strip().splitlines()[-1])["parameters"] == {
        "pins": {}, "team_size": [5, 6], "diversity_cap": None, "incomplete": "place_by_fit",
        "left_out": {"no_consent": [], "no_profile": [], "no_wishes": []}}
    bad = app.test_cli_runner().invoke(args=["match", "--min-size", "7", "--max-size", "5"])
    assert bad.exit_code == 1 and "7" in bad.output and count(db, MatchingRun.id) == 2


def test_two_organisers_publishing_at_once_get_one_publication_and_one_conflict(
    app, db, matching_edition, organiser
):
    runs = [matching.start_run(organiser).id, matching.start_run(organiser).id]
    students = count(db, StudentProfile.id, StudentProfile.edition_id == matching_edition.id)
    start, outcomes = threading.Barrier(2), {}

    def publish(run_id: int) -> None:
        with app.app_context():
            run, actor = db.session.get(MatchingRun, run_id), db.session.get(User, organiser.id)
            start.wait()
            try:
                matching_publish.publish_run(actor, run)
                outcomes[run_id] = "published"
            except Conflict:
                outcomes[run_id] = "conflict"
            finally:
                db.session.remove()

    threads = [threading.Thread(target=publish, args=(run_id,)) for run_id in runs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes.values()) == ["conflict", "published"]
    db.session.expire_all()
    assert count(db, MatchingRun.id, MatchingRun.status == "published") == 1
    assert count(db, Membership.id) == students
