"""Publishing states what it will do; leaving students without a team or replacing published
teams needs an explicit confirmation, which the server checks; refusals show at the top."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from crunchtime.errors import Conflict
from crunchtime.models import (
    AuditEvent,
    MatchingRun,
    Membership,
    Placement,
    StudentProfile,
    Team,
)
from crunchtime.services.matching import publication as matching_publish
from crunchtime.services.matching import runs as matching
from tests.helpers import csrf_token, fr, says, text
from tests.matching.test_workflow import count, run_via_page


def post_publish(browser, run_id: int, **ticks):
    data = {"csrf_token": csrf_token(browser, f"/organizer/matching/{run_id}"),
            "publish-confirm": "y", **{f"publish-{name}": "y" for name in ticks}}
    return browser.post(f"/organizer/matching/{run_id}/publish", data=data)


def at_the_top(response, message: str) -> bool:
    """The message is in the flash area, before the page's heading."""
    page = text(response)
    from markupsafe import escape

    position = max(page.find(message), page.find(str(escape(message))))
    flashes = page.find('class="flashes"')
    return 0 <= flashes < position < page.find("<h1")


@pytest.fixture
def no_consent(db, matching_edition):
    """Three students (not in a friend group) who have not accepted the privacy notice."""
    profiles = list(db.session.scalars(sa.select(StudentProfile).where(
        StudentProfile.friend_group_key.is_(None)).order_by(StudentProfile.id).limit(3)))
    for profile in profiles:
        profile.consent_at = None
    db.session.commit()
    return {profile.id for profile in profiles}


def test_publishing_with_students_left_out_is_refused_without_the_confirmation(
    db, as_organiser, matching_edition, no_consent
):
    run_id = run_via_page(as_organiser)
    placed = count(db, Placement.id, Placement.run_id == run_id)
    page = as_organiser.get(f"/organizer/matching/{run_id}")
    assert says(page, "%(num)d student placed in a team and told by e-mail.",
                "%(num)d students placed in a team and told by e-mail.", num=placed)
    assert says(page, "%(num)d student left without a team: no consent to the privacy notice.",
                "%(num)d students left without a team: no consent to the privacy notice.",
                num=3)
    assert says(page, "No team is published yet: nothing is replaced.")
    assert 'name="publish-leave_unplaced"' in text(page)

    refused = post_publish(as_organiser, run_id)
    message = fr("%(num)d student would have no team. Tick the box to publish without them.",
                 "%(num)d students would have no team. Tick the box to publish without them.",
                 num=3)
    assert refused.status_code == 409 and at_the_top(refused, message)
    assert count(db, Team.id) == 0 and count(db, Membership.id) == 0
    assert db.session.get(MatchingRun, run_id).status == "preview"

    published = post_publish(as_organiser, run_id, leave_unplaced=True)
    assert published.status_code == 302
    assert count(db, Membership.id) == placed
    assert count(db, Membership.id, Membership.student_id.in_(no_consent)) == 0
    audit = db.session.scalar(sa.select(AuditEvent).where(
        AuditEvent.action == "matching.publish"))
    assert audit.details["without_consent"] == 3 and audit.details["without_team"] == 0
    shown = as_organiser.get(published.headers["Location"])
    assert says(shown, "Matching run %(run)d published: %(num)d team created; every student "
                "placed is told by e-mail.", "Matching run %(run)d published: %(num)d teams "
                "created; every student placed is told by e-mail.",
                num=count(db, Team.id), run=run_id)
    assert says(shown, "Matching run %(n)d published", n=run_id)


def test_a_complete_first_publication_needs_no_extra_confirmation(db, as_organiser,
                                                                  matching_edition):
    run_id = run_via_page(as_organiser)
    page = as_organiser.get(f"/organizer/matching/{run_id}")
    assert 'name="publish-leave_unplaced"' not in text(page)
    assert 'name="publish-replace"' not in text(page)
    assert post_publish(as_organiser, run_id).status_code == 302
    assert count(db, Team.id) > 0


def test_replacing_published_teams_says_how_many_change_team_and_needs_confirming(
    db, as_organiser, matching_edition, organiser
):
    first = matching.start_run(organiser)
    matching_publish.publish_run(organiser, first)
    teams = count(db, Team.id)
    second = matching.start_run(organiser)  # same inputs and seed: the same teams
    loners = sa.select(Placement).join(StudentProfile, Placement.student_id ==
                                       StudentProfile.id).where(
        Placement.run_id == second.id, StudentProfile.friend_group_key.is_(None))
    one = db.session.scalar(loners.order_by(Placement.id))
    other = db.session.scalar(loners.where(Placement.challenge_id != one.challenge_id)
                              .order_by(Placement.id))

    def members(placement) -> int:
        return count(db, Placement.id, Placement.run_id == second.id,
                     Placement.challenge_id == placement.challenge_id,
                     Placement.team_index == placement.team_index)

    changing = members(one) + members(other)  # a swap changes both teams, sizes kept
    matching.swap_students(organiser, second, one.student_id, other.student_id)
    page = as_organiser.get(f"/organizer/matching/{second.id}")
    assert says(page, "Replaces the teams of matching run %(run)d, already published: %(num)d "
                "student changes team.", "Replaces the teams of matching run %(run)d, already "
                "published: %(num)d students change team.", num=changing, run=first.id)

    refused = post_publish(as_organiser, second.id)
    message = fr("Teams are already published (matching run %(run)d): this publication "
                 "replaces them and %(num)d student changes team. Tick “replace” to confirm.",
                 "Teams are already published (matching run %(run)d): this publication "
                 "replaces them and %(num)d students change team. Tick “replace” to confirm.",
                 num=changing, run=first.id)
    assert refused.status_code == 409 and at_the_top(refused, message)
    db.session.expire_all()
    assert db.session.get(MatchingRun, first.id).status == "published"
    assert count(db, Team.id) == teams

    assert post_publish(as_organiser, second.id, replace=True).status_code == 302
    db.session.expire_all()
    assert db.session.get(MatchingRun, first.id).status == "replaced"
    assert db.session.get(MatchingRun, second.id).status == "published"


def test_a_run_placing_a_student_who_withdrew_consent_cannot_be_published(
    db, matching_edition, organiser
):
    run = matching.start_run(organiser)
    student = db.session.scalar(sa.select(Placement.student_id).where(
        Placement.run_id == run.id).order_by(Placement.id))
    db.session.get(StudentProfile, student).consent_at = None
    db.session.commit()
    with pytest.raises(Conflict) as refused:
        matching_publish.publish_run(organiser, run, replace=True, split_groups_confirmed=True,
                                     unplaced_confirmed=True)
    assert refused.value.message == fr(
        "%(num)d student placed by this run has not accepted the privacy notice: run the "
        "matching again, it leaves them out.", "%(num)d students placed by this run have not "
        "accepted the privacy notice: run the matching again, it leaves them out.", num=1)
    db.session.rollback()
    assert count(db, Team.id) == 0


def test_a_missing_confirmation_box_shows_at_the_top(db, as_organiser, matching_edition):
    run_id = run_via_page(as_organiser)
    refused = as_organiser.post(f"/organizer/matching/{run_id}/publish", data={
        "csrf_token": csrf_token(as_organiser, f"/organizer/matching/{run_id}")})
    assert refused.status_code == 400
    assert at_the_top(refused, fr("Tick the box to confirm the publication."))
    assert count(db, Team.id) == 0
