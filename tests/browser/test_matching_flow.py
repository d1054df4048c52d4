"""In a browser: an organiser runs the matching, moves a student, publishes; the student sees
the team."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import force_locale, ngettext

from crunchtime.extensions import db
from crunchtime.models import Challenge, Edition, Placement, StudentProfile, User
from crunchtime.services.demo.edition import DEMO_PASSWORD
from tests.browser import playwright_sync_api
from tests.browser.test_smoke import translated

expect = playwright_sync_api(module_level=True).expect


def log_in(page, live_server: str, email: str) -> None:
    page.goto(f"{live_server}/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.locator("form input[type=submit]").click()
    expect(page.locator("form input[name=password]")).to_have_count(0)


def a_move_that_keeps_sizes(app) -> tuple[str, str, int]:
    """A student of a team above the minimum size, and another team below the maximum."""
    with app.app_context():
        run_id = db.session.scalar(sa.select(sa.func.max(Placement.run_id)))
        sizes = db.session.execute(
            sa.select(Placement.challenge_id, Placement.team_index, sa.func.count())
            .where(Placement.run_id == run_id)
            .group_by(Placement.challenge_id, Placement.team_index)).all()
        full = next(row for row in sizes if row[2] > 5)
        room = next(row for row in sizes if row[2] < 6 and row[:2] != full[:2])
        student = db.session.scalar(
            sa.select(User.email).join(StudentProfile, StudentProfile.user_id == User.id)
            .join(Placement, Placement.student_id == StudentProfile.id)
            .where(Placement.run_id == run_id, Placement.challenge_id == full[0],
                   Placement.team_index == full[1]).limit(1))
        code = db.session.get(Challenge, room[0]).code
        db.session.remove()
    return student, code, room[1] + 1


def withdraw_consent(app) -> int:
    """One student without a friend group no longer consents: the matching leaves them out."""
    with app.app_context():
        profile = db.session.scalar(sa.select(StudentProfile).where(
            StudentProfile.friend_group_key.is_(None)).order_by(StudentProfile.id.desc()))
        profile.consent_at = None
        db.session.commit()
        db.session.remove()
    return 1


def latest_run(app) -> int:
    with app.app_context():
        run_id = db.session.scalar(sa.select(sa.func.max(Placement.run_id)))
        db.session.remove()
    return run_id


def in_viewport(page, locator) -> bool:
    box = locator.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= (
        page.viewport_size["height"])


def test_organiser_runs_moves_undoes_publishes_and_the_student_sees_the_team(app, live_server,
                                                                             new_page):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo", "--students", "100", "--seed", "3"]).exit_code == 0
    with app.app_context():
        edition = db.session.scalar(sa.select(Edition).where(Edition.is_current.is_(True)))
        edition.phase = "matching"
        db.session.commit()
        organiser = db.session.scalar(sa.select(User.email).where(User.role == "organizer"))
        db.session.remove()
    left_out = withdraw_consent(app)
    t = lambda message, **values: translated(app, "fr", message, **values)  # noqa: E731

    def plural(singular, many, num, **values):
        with app.test_request_context(), force_locale("fr"):
            return ngettext(singular, many, num, **values)

    page = new_page()
    log_in(page, live_server, organiser)
    page.goto(f"{live_server}/organizer/matching/")  # the menu is being reorganised
    expect(page.locator("#eligibility")).to_contain_text(plural(
        "%(num)d student has not accepted the privacy notice: never placed.",
        "%(num)d students have not accepted the privacy notice: never placed.", left_out))
    page.get_by_role("button", name=t("Run the matching")).click()
    expect(page.get_by_role("status")).to_contain_text(
        t("Matching done: review the preview, adjust it, then publish."))
    student, target, team = a_move_that_keeps_sizes(app)

    page.fill("input[name=move-student]", student)
    page.fill("input[name=move-challenge]", target)
    page.fill("input[name=move-team]", str(team))
    page.get_by_role("button", name=t("Move"), exact=True).click()
    expect(page.get_by_role("status")).to_contain_text(
        t("Student moved; the metrics below are updated."))
    page.get_by_role("button", name=t("Undo this move")).click()
    expect(page.locator(".flashes")).to_contain_text(
        t("Last change undone: the previous teams and figures are back."))
    expect(page.get_by_role("button", name=t("Undo this move"))).to_have_count(0)
    page.fill("input[name=move-student]", student)
    page.fill("input[name=move-challenge]", target)
    page.fill("input[name=move-team]", str(team))
    page.get_by_role("button", name=t("Move"), exact=True).click()

    page.check("input[name=publish-confirm]")
    page.get_by_role("button", name=t("Publish the teams")).click()
    refusal = page.locator(".flashes .flash-error")
    expect(refusal).to_contain_text(plural(
        "%(num)d student would have no team. Tick the box to publish without them.",
        "%(num)d students would have no team. Tick the box to publish without them.",
        left_out))
    assert in_viewport(page, refusal)  # where the organiser is looking, not 1,900 px below
    page.check("input[name=publish-confirm]")
    page.check("input[name=publish-leave_unplaced]")
    page.get_by_role("button", name=t("Publish the teams")).click()
    expect(page.locator("h1")).to_have_text(t("Matching run %(n)d published", n=latest_run(app)))

    student_page = new_page(viewport={"width": 360, "height": 740})
    log_in(student_page, live_server, student)
    team_panel = student_page.locator("section[aria-labelledby=team-title]")
    expect(team_panel).to_contain_text(target)
    expect(team_panel).to_contain_text(t("Moved here by the organisers."))
