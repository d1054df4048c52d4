"""The feedback and attestation pages with real content, at phone and desktop width: no
serious axe violation, nothing wider than the screen. With SHOTS_DIR set, each page is also
saved there as a screenshot (for a person to look at)."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from crunchtime.extensions import db
from crunchtime.models import (
    Award,
    Criterion,
    JudgingRound,
    JuryProfile,
    RoundEntry,
    ScoreEvent,
)
from crunchtime.models.base import utcnow
from crunchtime.services.attestations.facts import student_facts
from crunchtime.services.judging.feedback import set_feedback_settings
from tests import factories
from tests.browser import unavailable
from tests.browser.test_accessibility import AXE, BLOCKING, WIDTHS, audit, describe
from tests.browser.test_challenge_flow import log_in

COMMENTS = ["Prototype convaincant, mais le modèle économique reste à préciser : qui paie ?",
            "Pitch clair et bien rythmé.\nLa démonstration a planté deux fois.", ""]


def _world(app) -> dict:
    """Six teams scored by three juries on three criteria, results published, feedback open
    with the juries' names, the first team's student holding an attestation."""
    with app.app_context():
        edition = factories.edition(phase="judging", name="Crunch Time 2026", year=2026)
        organisations = [factories.organisation("Alstom Transport"), factories.organisation()]
        challenges = [factories.challenge(edition, o, title="Réduire l'empreinte carbone "
                                          "des trains régionaux") for o in organisations]
        students = [factories.student(edition) for _ in range(6)]
        teams = [factories.team(edition, challenges[i % 2], members=[students[i]],
                                name=f"Équipe {i}") for i in range(6)]
        juries = [factories.jury(edition) for _ in range(3)]
        judging_round = JudgingRound(edition_id=edition.id, number=1, status="closed",
                                     juries_per_team=3)
        db.session.add(judging_round)
        db.session.flush()
        criteria = [Criterion(edition_id=edition.id, round_id=judging_round.id, key=key,
                              position=n, label_fr=label, weight=weight)
                    for n, (key, label, weight) in enumerate([
                        ("innovation", "Innovation et originalité", 2.0),
                        ("faisabilite", "Faisabilité", 1.0), ("pitch", "Pitch", 1.0)])]
        db.session.add_all(criteria + [RoundEntry(round_id=judging_round.id, team_id=t.id)
                                       for t in teams])
        db.session.flush()
        profiles = db.session.scalars(sa.select(JuryProfile).where(
            JuryProfile.user_id.in_([jury.id for jury in juries])).order_by(JuryProfile.id)).all()
        for t, team in enumerate(teams):
            for j, profile in enumerate(profiles):
                for c, criterion in enumerate(criteria):
                    db.session.add(ScoreEvent(
                        client_event_id=uuid.uuid4().hex, round_id=judging_round.id,
                        jury_id=profile.id, team_id=team.id, criterion_id=criterion.id,
                        value=(3 + t + j + c * 2) % 11, comment=COMMENTS[j] if t == 0 else ""))
        db.session.add_all([Award(edition_id=edition.id, challenge_id=challenges[0].id,
                                  place=1, team_id=teams[0].id),
                            Award(edition_id=edition.id, challenge_id=None, place=3,
                                  team_id=teams[0].id)])
        judging_round.results_published_at = utcnow()
        edition.phase = "results"
        db.session.commit()
        organizer = factories.organizer()
        set_feedback_settings(organizer, edition, open=True, comments="named", companies=True)
        reference = student_facts(students[0], edition).reference
        return {"student": students[0].email, "organizer": organizer.email,
                "team": teams[0].id, "reference": reference}


def _check(page, url: str, name: str, shots: Path | None) -> list:
    failures = []
    for width, viewport in WIDTHS.items():
        page.set_viewport_size(viewport)
        violations = audit(page, url)
        failures += [(url, width, v) for v in violations if v["impact"] in BLOCKING]
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{url} is {overflow}px wider than the screen at {width}"
        if shots:
            page.screenshot(path=str(shots / f"{name}-{viewport['width']}.png"), full_page=True)
    return failures


def test_feedback_and_attestation_pages_fit_and_pass_axe(app, live_server, new_page):
    if not AXE.exists():
        unavailable(f"{AXE} is missing: run ./scripts/test (ensure_assets fetches it)")
    shots = Path(os.environ["SHOTS_DIR"]) if os.environ.get("SHOTS_DIR") else None
    if shots:
        shots.mkdir(parents=True, exist_ok=True)
    world = _world(app)
    failures = []
    visitor = new_page(bypass_csp=True)
    failures += _check(visitor, f"{live_server}/attestations/verify/{world['reference']}",
                       "verify", shots)
    failures += _check(visitor, f"{live_server}/attestations/verify/ZZZZ-ZZZZ-ZZZZ",
                       "verify-unknown", shots)
    student = new_page(bypass_csp=True)
    log_in(student, live_server, world["student"])
    failures += _check(student, f"{live_server}/feedback/teams/{world['team']}", "team",
                       shots)
    failures += _check(student, f"{live_server}/attestations/", "attestation", shots)
    organizer = new_page(bypass_csp=True)
    log_in(organizer, live_server, world["organizer"])
    failures += _check(organizer, f"{live_server}/organizer/judging/feedback/?team="
                       f"{world['team']}", "settings", shots)
    assert not failures, describe(failures)


@pytest.mark.parametrize("locale", ["fr", "en"])
def test_the_attestation_document_fits_one_page(app, locale, tmp_path):
    """The HTML WeasyPrint prints, whole on one A4 page (WeasyPrint's own layout)."""
    weasyprint = pytest.importorskip("weasyprint")
    world = _world(app)
    from crunchtime.extensions import db as _db
    from crunchtime.models import User
    from crunchtime.services.attestations.documents import attestation_html
    from crunchtime.services.editions.current import current_edition

    with app.test_request_context():
        student = _db.session.scalar(sa.select(User).where(User.email == world["student"]))
        html = attestation_html(student_facts(student, current_edition()), locale)
        document = weasyprint.HTML(string=html).render()
    assert len(document.pages) == 1
    if os.environ.get("SHOTS_DIR"):
        shots = Path(os.environ["SHOTS_DIR"])
        (shots / f"attestation-{locale}.html").write_text(html, encoding="utf-8")
        document.write_pdf(shots / f"attestation-{locale}.pdf")
