"""Access matrix entries of the judging area: the jury's scoring pages and JSON endpoint,
the organisers' judging pages, the published results.

The edition is in the registration phase: pages open, but scoring, assignment and
retraction are refused by their phase (the answer is then the page again, or a redirect
with the reason)."""

from __future__ import annotations

from tests.access.common import LOGIN, SIGNED_IN, only

JURY_ACTION = {"anonymous": LOGIN, "student": 403, "company": 403, "jury": 302,
               "organizer": 403}
ORGANIZER_ACTION = {"anonymous": LOGIN, "student": 403, "company": 403, "jury": 403,
                    "organizer": 302}
ORGANIZER_FORM = only("organizer")  # the page again, with the refusal
TEAM = "/jury/rounds/{judging_round_id}/teams/{judging_team_id}"
ROUND = "/organizer/judging/rounds/{judging_round_id}"

ENTRIES = {
    "jury.team": ("GET", TEAM, None, only("jury")),
    "jury.undo": ("POST", TEAM + "/undo", {}, JURY_ACTION),
    "jury.absent": ("POST", TEAM + "/absent", {"absent": "1"}, JURY_ACTION),
    "jury.nominate": ("POST", TEAM + "/nomination", {"commitment": "4"}, only("jury")),
    "jury_api.record_event": ("POST", "/jury/api/events", {},
                          {**only("jury"), "jury": 400}),
    "jury.conflicts": ("GET", "/jury/conflicts", None, only("jury")),
    "jury.withdraw_conflict": ("POST", "/jury/conflicts/{judging_conflict_id}/withdraw", {},
                               JURY_ACTION),
    "judging_admin.overview": ("GET", "/organizer/judging/", None, only("organizer")),
    "judging_admin.default_round": ("POST", "/organizer/judging/default-round", {},
                                    ORGANIZER_ACTION),
    "judging_admin.estimator": ("POST", "/organizer/judging/estimator", {"estimator": "raw"},
                                ORGANIZER_ACTION),
    "judging_admin.round_detail": ("GET", ROUND, None, only("organizer")),
    "judging_admin.round_status": ("POST", ROUND + "/status", {"status": "closed"},
                                   ORGANIZER_ACTION),
    "judging_admin.add_criterion": ("POST", ROUND + "/criteria", {
        "label_fr": "Clarté", "weight": "1", "scale_min": "0", "scale_max": "10"},
        ORGANIZER_ACTION),
    "judging_admin.edit_criterion": ("GET", ROUND + "/criteria/{judging_criterion_id}", None,
                                     only("organizer")),
    "judging_admin.delete_criterion": (
        "POST", ROUND + "/criteria/{judging_criterion_id}/delete", {}, ORGANIZER_ACTION),
    "judging_admin.assignment": ("GET", ROUND + "/assignment", None, only("organizer")),
    "judging_admin.run_assignment": ("POST", ROUND + "/assignment/run", {"seed": "0"},
                                     ORGANIZER_FORM),
    "judging_admin.add_pair": ("POST", ROUND + "/assignment/pairs", {}, ORGANIZER_FORM),
    "judging_admin.remove_pair": (
        "POST", ROUND + "/assignment/pairs/{judging_assignment_id}/remove", {},
        ORGANIZER_ACTION),
    "judging_admin.scores": ("GET", ROUND + "/scores", None, only("organizer")),
    "judging_admin.retract": ("POST", ROUND + "/scores/{judging_seq}/retract", {"reason": "Erreur"},
                              ORGANIZER_ACTION),
    "judging_admin.rankings": ("GET", ROUND + "/rankings", None, only("organizer")),
    "judging_admin.finalists": ("GET", "/organizer/judging/finalists", None,
                                only("organizer")),
    "judging_admin.results": ("GET", "/organizer/judging/results", None, only("organizer")),
    "judging_admin.scores_csv": ("GET", "/organizer/judging/scores.csv", None,
                                 only("organizer")),
    "judging_admin.results_csv": ("GET", "/organizer/judging/results.csv", None,
                                  only("organizer")),
    "results.index": ("GET", "/results/", None, SIGNED_IN),
}


def url_values(db, people) -> dict:
    """An open round whose rubric has one scored criterion, the matrix jury assigned to a
    team (with one declared conflict elsewhere)."""
    from crunchtime.models import (
        ConflictOfInterest,
        Criterion,
        JudgingRound,
        JuryAssignment,
        JuryProfile,
        RoundEntry,
        ScoreEvent,
    )
    from crunchtime.services.editions.current import current_edition
    from tests import factories

    edition = current_edition()
    team, other = factories.team(edition), factories.team(edition)
    judging_round = JudgingRound(edition_id=edition.id, number=1, name="Tour 1",
                                 status="open", juries_per_team=2)
    db.session.add(judging_round)
    db.session.flush()
    criterion = Criterion(edition_id=edition.id, round_id=judging_round.id, key="innovation",
                          label_fr="Innovation")
    jury = db.session.query(JuryProfile).filter_by(user_id=people["jury"].id).one()
    assignment = JuryAssignment(round_id=judging_round.id, jury_id=jury.id, team_id=team.id)
    conflict = ConflictOfInterest(jury_id=jury.id, kind="team", team_id=other.id)
    db.session.add_all([criterion, assignment, conflict,
                        RoundEntry(round_id=judging_round.id, team_id=team.id)])
    db.session.flush()
    event = ScoreEvent(client_event_id="matrix-score-1", round_id=judging_round.id,
                       jury_id=jury.id, team_id=team.id, criterion_id=criterion.id,
                       kind="score", value=5)
    db.session.add(event)
    db.session.commit()
    return {"judging_round_id": judging_round.id, "judging_team_id": team.id,
            "judging_criterion_id": criterion.id, "judging_assignment_id": assignment.id,
            "judging_conflict_id": conflict.id, "judging_seq": event.seq}
