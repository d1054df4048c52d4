"""Before and after a run, organisers see who the matching leaves out and why, and choose
what happens to incomplete profiles; students without consent are never placed."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from crunchtime.errors import InvalidInput
from crunchtime.models import (
    Challenge,
    MatchingRun,
    Placement,
    Preference,
    StudentProfile,
    User,
)
from crunchtime.services.matching import runs as matching
from tests.helpers import csrf_token, fr, says, text


def _profiles(db) -> list[StudentProfile]:
    """Students without a friend group, with at least one wish: safe to change."""
    return [p for p in db.session.scalars(sa.select(StudentProfile).where(
        StudentProfile.friend_group_key.is_(None)).order_by(StudentProfile.id)) if p.preferences]


@pytest.fixture
def gaps(db, matching_edition):
    """Two students without consent, one without a programme, one without skills, one who
    ranked nothing: their ids by reason."""
    profiles = _profiles(db)
    no_consent, no_profile, no_wishes = profiles[:2], profiles[2:4], profiles[4:5]
    for profile in no_consent:
        profile.consent_at = None
    no_profile[0].programme_id = None
    no_profile[1].skills = []
    db.session.execute(sa.delete(Preference).where(Preference.student_id == no_wishes[0].id))
    db.session.commit()
    return {"no_consent": {p.id for p in no_consent}, "no_profile": {p.id for p in no_profile},
            "no_wishes": {p.id for p in no_wishes}}


def expected_counts(db, edition) -> dict[str, int]:
    """Counted from the rows, independently of the service: one reason per student."""
    counts = {"no_consent": 0, "no_profile": 0, "no_wishes": 0}
    for profile in db.session.scalars(sa.select(StudentProfile).where(
            StudentProfile.edition_id == edition.id, StudentProfile.deleted_at.is_(None))):
        if profile.consent_at is None:
            counts["no_consent"] += 1
        elif profile.programme_id is None or not profile.year_of_study or not profile.skills:
            counts["no_profile"] += 1
        elif not [p for p in profile.preferences if p.challenge.status == "approved"]:
            counts["no_wishes"] += 1
    return counts


def run_with(browser, choice: str | None) -> int:
    data = {"csrf_token": csrf_token(browser, "/organizer/matching/")}
    if choice is not None:
        data["run-incomplete"] = choice
    response = browser.post("/organizer/matching/run", data=data)
    assert response.status_code == 302, text(response)[-500:]
    return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])


def placed(db, run_id: int) -> set[int]:
    return set(db.session.scalars(sa.select(Placement.student_id).where(
        Placement.run_id == run_id)))


def test_the_page_counts_who_lacks_what_before_the_matching_runs(db, as_organiser,
                                                                 matching_edition, gaps):
    counts = expected_counts(db, matching_edition)
    assert counts["no_consent"] == 2 and counts["no_profile"] == 2 and counts["no_wishes"] >= 1
    page = as_organiser.get("/organizer/matching/")
    students = db.session.scalar(sa.select(sa.func.count(StudentProfile.id)))
    assert says(page, "%(num)d student is registered in this edition.",
                "%(num)d students are registered in this edition.", num=students)
    assert says(page, "%(num)d student has not accepted the privacy notice: never placed.",
                "%(num)d students have not accepted the privacy notice: never placed.", num=2)
    assert says(page, "%(num)d student has an incomplete profile (programme, year or skills "
                "missing).", "%(num)d students have an incomplete profile (programme, year or "
                "skills missing).", num=2)
    assert says(page, "%(num)d student ranked no challenge (profile complete).",
                "%(num)d students ranked no challenge (profile complete).",
                num=counts["no_wishes"])
    listed = db.session.get(StudentProfile, min(gaps["no_consent"])).user.email
    assert listed in text(page)  # the list names them
    assert 'name="run-incomplete"' in text(page)
    assert says(page, "Place them by fit with their profile (everyone gets a team)")


@pytest.mark.parametrize("choice", [None, "place_by_fit", "leave_out"])
def test_students_without_consent_are_never_placed_whatever_the_choice(
    db, as_organiser, matching_edition, gaps, choice
):
    run_id = run_with(as_organiser, choice)
    assert not placed(db, run_id) & gaps["no_consent"]
    run = db.session.get(MatchingRun, run_id)
    assert set(run.parameters["left_out"]["no_consent"]) == gaps["no_consent"]
    page = as_organiser.get(f"/organizer/matching/{run_id}")
    assert says(page, "%(num)d student left out: no consent to the privacy notice.",
                "%(num)d students left out: no consent to the privacy notice.", num=2)


def test_incomplete_profiles_and_no_wishes_are_placed_by_fit_by_default(
    db, as_organiser, matching_edition, gaps
):
    counts = expected_counts(db, matching_edition)
    run_id = run_with(as_organiser, None)
    everyone = set(db.session.scalars(sa.select(StudentProfile.id)))
    assert placed(db, run_id) == everyone - gaps["no_consent"]
    run = db.session.get(MatchingRun, run_id)
    assert run.parameters["incomplete"] == "place_by_fit"
    assert run.metrics["placed_by_fit"] == {"no_profile": 2, "no_wishes": counts["no_wishes"]}
    page = as_organiser.get(f"/organizer/matching/{run_id}")
    assert says(page, "%(num)d student with an incomplete profile placed by fit.",
                "%(num)d students with an incomplete profile placed by fit.", num=2)


def test_incomplete_profiles_and_no_wishes_are_left_out_when_chosen(
    db, as_organiser, matching_edition, gaps
):
    counts = expected_counts(db, matching_edition)
    run_id = run_with(as_organiser, "leave_out")
    left = placed(db, run_id)
    assert not left & (gaps["no_consent"] | gaps["no_profile"] | gaps["no_wishes"])
    everyone = db.session.scalar(sa.select(sa.func.count(StudentProfile.id)))
    assert len(left) == everyone - sum(counts.values())
    run = db.session.get(MatchingRun, run_id)
    assert {reason: len(ids) for reason, ids in run.parameters["left_out"].items()} == counts
    page = as_organiser.get(f"/organizer/matching/{run_id}")
    assert says(page, "%(num)d student left out: incomplete profile.",
                "%(num)d students left out: incomplete profile.", num=2)
    assert says(page, "%(num)d student left out: ranked no challenge.",
                "%(num)d students left out: ranked no challenge.", num=counts["no_wishes"])
    assert says(page, "Your choice for this run: students with an incomplete profile or no "
                "wishes are left out.")
    # Moving someone keeps the run's choice: the figures still count only who it places.
    mover = db.session.scalar(sa.select(Placement).where(Placement.run_id == run_id)
                              .order_by(Placement.id))
    other = db.session.scalar(sa.select(Challenge.code).where(
        Challenge.id != mover.challenge_id, Challenge.status == "approved"))
    matching.move_student(None, run, mover.student_id, other, 0)
    assert db.session.get(MatchingRun, run_id).metrics["students"] == len(left)


def test_a_student_without_consent_cannot_be_pinned(db, organiser, matching_edition, gaps):
    run = matching.start_run(organiser)
    with pytest.raises(InvalidInput) as refused:
        matching.pin_and_rerun(organiser, run, min(gaps["no_consent"]), "C001")
    assert refused.value.details["field"] == "student"
    assert refused.value.message == fr(
        "This student is left out of the matching (no consent to the privacy notice, or left "
        "out by your choice): they cannot be pinned.")


def test_the_profile_page_promises_what_the_matching_does(app, db, matching_edition, gaps):
    profile = db.session.get(StudentProfile, min(gaps["no_consent"]))
    browser = app.test_client()
    with browser.session_transaction() as session:
        session["_user_id"] = db.session.get(User, profile.user_id).get_id()
    page = browser.get("/student/profile")
    assert page.status_code == 200
    assert says(page, "Without this consent you are not placed in a team: the matching "
                "leaves out students who have not accepted it.")
