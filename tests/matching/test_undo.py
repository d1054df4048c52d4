"""An organiser's move or swap in a preview can be undone, last first, back to the exact
previous state; undoing nothing says so at the top of the page."""

from __future__ import annotations

import sqlalchemy as sa

from crunchtime.models import AuditEvent, Challenge, MatchingRun, Placement
from crunchtime.services.matching import publication as matching_publish
from tests.helpers import csrf_token, says, text
from tests.matching.test_adjustments import placements, post, split_pair
from tests.matching.test_workflow import count, run_via_page


def state(db, run_id: int):
    """Every placement as stored (challenge, team, explanation) and the run's figures."""
    db.session.expire_all()
    rows = db.session.execute(
        sa.select(Placement.student_id, Placement.challenge_id, Placement.team_index,
                  Placement.explanation, Placement.pinned)
        .where(Placement.run_id == run_id).order_by(Placement.student_id)).all()
    return [tuple(row) for row in rows], db.session.get(MatchingRun, run_id).metrics


def undo(browser, run_id: int):
    return browser.post(f"/organizer/matching/{run_id}/undo", data={
        "csrf_token": csrf_token(browser, f"/organizer/matching/{run_id}")})


def a_move(db, run_id: int) -> dict:
    mover = next(row for row in placements(db, run_id) if row.friend_group_key is None)
    target = db.session.scalar(sa.select(Challenge.code).where(
        Challenge.status == "approved", Challenge.code != mover.code).order_by(Challenge.code))
    return {"move-student": mover.email, "move-challenge": target, "move-team": "1"}


def test_a_move_then_undo_gives_back_the_exact_previous_assignment(db, as_organiser,
                                                                   matching_edition):
    run_id = run_via_page(as_organiser)
    before = state(db, run_id)
    assert post(as_organiser, run_id, "move", a_move(db, run_id)).status_code == 302
    moved = state(db, run_id)
    assert moved != before
    page = as_organiser.get(f"/organizer/matching/{run_id}")
    assert says(page, "Undo this move") and says(page, "Last change")

    response = undo(as_organiser, run_id)
    assert response.status_code == 302
    assert state(db, run_id) == before  # placements, explanations and figures
    shown = as_organiser.get(response.headers["Location"])
    assert says(shown, "Last change undone: the previous teams and figures are back.")
    assert not says(shown, "Undo this move")
    audit = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "matching.undo"))
    assert audit.details["undone"] == "move" and len(audit.details["students"]) == 1


def test_changes_are_undone_last_first(db, as_organiser, matching_edition):
    run_id = run_via_page(as_organiser)
    original = state(db, run_id)
    post(as_organiser, run_id, "move", a_move(db, run_id))
    after_move = state(db, run_id)
    first, second = split_pair(db, run_id)
    assert post(as_organiser, run_id, "swap", {"swap-first": first.email,
                                               "swap-second": second.email}).status_code == 302
    assert says(as_organiser.get(f"/organizer/matching/{run_id}"), "Undo this swap")
    undo(as_organiser, run_id)
    assert state(db, run_id) == after_move
    undo(as_organiser, run_id)
    assert state(db, run_id) == original
    assert count(db, AuditEvent.id, AuditEvent.action == "matching.undo") == 2


def test_undoing_nothing_says_so_at_the_top(db, as_organiser, matching_edition):
    run_id = run_via_page(as_organiser)
    before = state(db, run_id)
    response = undo(as_organiser, run_id)
    assert response.status_code == 302
    shown = as_organiser.get(response.headers["Location"])
    page = text(shown)
    assert says(shown, "There is no move to undo in this run.")
    assert page.find('class="flashes"') < page.find("<h1")
    assert state(db, run_id) == before
    assert count(db, AuditEvent.id, AuditEvent.action == "matching.undo") == 0


def test_a_published_run_cannot_be_undone(db, as_organiser, matching_edition, organiser):
    run_id = run_via_page(as_organiser)
    loners = [row for row in placements(db, run_id) if row.friend_group_key is None]
    other = next(row for row in loners if row.code != loners[0].code)
    post(as_organiser, run_id, "swap", {"swap-first": loners[0].email,
                                        "swap-second": other.email})  # sizes kept
    matching_publish.publish_run(organiser, db.session.get(MatchingRun, run_id))
    published = state(db, run_id)
    shown = as_organiser.get(undo(as_organiser, run_id).headers["Location"])
    assert says(shown, "A published run cannot be changed; run the matching again instead.")
    assert state(db, run_id) == published
