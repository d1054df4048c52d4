"""Rankings for organisers (three estimators side by side), finalists, the final, published
results for students and companies, CSV exports; and the demo's scoring."""

from __future__ import annotations

import csv
import io

import pytest
import sqlalchemy as sa

from crunchtime.models import Award, Edition, JudgingRound, JuryAssignment, ScoreEvent, User
from crunchtime.services.demo.judging import enter_demo_scores
from crunchtime.services.judging.assignment import apply_assignment
from crunchtime.services.judging.ledger.queries import round_scores
from tests import factories
from tests.helpers import csrf_token, fr, says, text
from tests.judging.conftest import profile_of, rewrite_event


@pytest.fixture
def scored(db, world):
    """Round 1 fully assigned (k = 2) and fully scored by simulated juries."""
    for _ in range(3):
        factories.jury(world.edition)
    apply_assignment(None, world.round)
    written = enter_demo_scores(world.edition, share=1.0, seed=7)
    assert written == 2 * db.session.scalar(sa.select(sa.func.count(JuryAssignment.id)))
    return world


def post_on(client, page, action, data):
    return client.post(action, data={**data, "csrf_token": csrf_token(client, page)})


def close(db, judging_round):
    db.session.get(JudgingRound, judging_round.id).status = "closed"
    db.session.commit()


def test_demo_scoring_opens_round_1_assigns_and_enters_part_of_the_scores(app, db):
    edition = factories.edition(phase="judging")
    for _ in range(6):
        factories.team(edition)
    for _ in range(5):
        factories.jury(edition)
    written = enter_demo_scores(edition, share=0.5, seed=1)
    judging_round = db.session.scalar(sa.select(JudgingRound))
    assert judging_round.status == "open" and len(judging_round.criteria) == 5
    pairs = db.session.scalar(sa.select(sa.func.count(JuryAssignment.id)))
    assert pairs == 18 and 0 < written < 18 * 5 and written % 5 == 0
    scores = round_scores(judging_round.id)
    assert len(scores) == written and all(0 <= v <= 10 for v in scores.values())


def test_organisers_see_three_rankings_with_intervals_and_top_k_probability(app, db, scored,
                                                                           organizer, login):
    client = login(organizer)
    page = client.get(f"/organizer/judging/rounds/{scored.round.id}/rankings?k=2")
    assert page.status_code == 200
    for name in ("Raw weighted mean", "Per-jury z-score", "Calibrated (jury effects)"):
        assert says(page, name)
    assert text(page).count('class="panel ranking') == 3
    assert 'class="panel ranking ranking-public"' in text(page)
    assert says(page, "P(top %(k)d)", k=2)
    for team in scored.teams:
        assert text(page).count(team.code) >= 3


def test_juries_never_see_the_provisional_rankings(app, db, scored, login):
    client = login(scored.juries[0])
    assert client.get(f"/organizer/judging/rounds/{scored.round.id}/rankings").status_code == 403
    assert client.get("/results/").status_code == 200
    assert says(client.get("/results/"), "The results are not published yet. Come back after "
                                         "the jury's deliberation!")


def test_finalists_are_picked_after_round_1_closes_then_the_final_runs(app, db, scored,
                                                                     organizer, login):
    client = login(organizer)
    chosen = [str(scored.teams[0].id), str(scored.teams[3].id)]
    early = post_on(client, "/organizer/judging/finalists", "/organizer/judging/finalists",
                    {"teams": chosen})
    assert says(early, "Close round 1 before choosing the finalists.")
    close(db, scored.round)
    done = post_on(client, "/organizer/judging/finalists", "/organizer/judging/finalists",
                   {"teams": chosen})
    final = db.session.scalar(sa.select(JudgingRound).where(JudgingRound.kind == "final"))
    assert done.headers["Location"] == f"/organizer/judging/rounds/{final.id}/assignment"
    apply_assignment(organizer, final)
    final.status = "open"
    db.session.commit()
    jury = db.session.scalar(sa.select(JuryAssignment).where(JuryAssignment.round_id == final.id))
    assert jury.team_id in {scored.teams[0].id, scored.teams[3].id}


def test_the_final_is_scored_closed_and_published_and_gives_the_overall_podium(
        app, db, scored, organizer, login):
    from crunchtime.services.judging.ledger.writes import ScoreInput, record_scores
    from crunchtime.services.judging.rankings import round_rankings
    from crunchtime.services.judging.results import award_plan

    client = login(organizer)
    close(db, scored.round)
    edition = db.session.get(Edition, scored.edition.id)
    round_one = places_of(award_plan(edition))  # before the final: all from round 1
    ranked = round_rankings(scored.round, estimators=[edition.leaderboard_estimator], draws=0)
    reversed_order = ranked.public_ranking.order()[::-1]  # the final turns round 1 around
    post_on(client, "/organizer/judging/finalists", "/organizer/judging/finalists",
            {"teams": [str(team) for team in reversed_order]})
    final = db.session.scalar(sa.select(JudgingRound).where(JudgingRound.kind == "final"))
    apply_assignment(organizer, final)
    page = f"/organizer/judging/rounds/{final.id}"
    post_on(client, page, f"{page}/status", {"status": "open"})
    users = {profile_of(jury).id: jury for jury in db.session.scalars(
        sa.select(User).where(User.role == "jury"))}
    pairs = db.session.scalars(sa.select(JuryAssignment).where(JuryAssignment.round_id ==
                                                                final.id)).all()
    for pair in pairs:
        value = 9 - reversed_order.index(pair.team_id)
        record_scores(users[pair.jury_id], [
            ScoreInput(f"final-{pair.id}-{criterion.id}", final.id, pair.team_id, criterion.id,
                       value) for criterion in final.criteria])
    post_on(client, page, f"{page}/status", {"status": "closed"})
    published = post_on(client, "/organizer/judging/results", "/organizer/judging/results",
                        {"confirm": "y"})
    assert published.status_code == 302
    db.session.expire_all()
    assert db.session.get(JudgingRound, final.id).results_published_at is not None
    awards = list(db.session.scalars(sa.select(Award)))
    podium = [a.team_id for a in sorted(awards, key=lambda a: a.place) if a.challenge_id is None]
    assert podium == reversed_order[:3] != round_one[0]
    assert {a.challenge_id: a.team_id for a in awards if a.challenge_id} == round_one[1]


def test_publishing_results_needs_closed_rounds_then_everyone_sees_the_winners(
        app, db, scored, organizer, login):
    client = login(organizer)
    refused = post_on(client, "/organizer/judging/results", "/organizer/judging/results",
                      {"confirm": "y"})
    assert says(refused, "Close round “%(name)s” before publishing the results.", name="Tour 1")
    close(db, scored.round)
    preview = client.get("/organizer/judging/results")
    assert says(preview, "What would be published now")
    post_on(client, "/organizer/judging/results", "/organizer/judging/results", {"confirm": "y"})
    awards = list(db.session.scalars(sa.select(Award)))
    assert len([a for a in awards if a.challenge_id is None]) == 3
    assert {a.challenge_id for a in awards if a.challenge_id} == {c.id for c in scored.challenges}
    winner = db.session.scalar(sa.select(Award).where(Award.challenge_id.is_(None),
                                                      Award.place == 1))
    winning_team = next(team for team in scored.teams if team.id == winner.team_id)
    for user in (factories.company_user(scored.organisations[0]), scored.students[0]):
        viewer = app.test_client()
        with viewer.session_transaction() as session:
            session["_user_id"] = user.get_id()
        page = viewer.get("/results/")
        assert page.status_code == 200 and says(page, "Overall winners")
        assert winning_team.code in text(page)


@pytest.fixture
def disagreeing(db, world):
    """Round 1 where the raw mean and the calibrated ranking disagree: two juries score every
    team alike, a third, severe one scores only the best and the worst team. Raw order:
    teams 2, 0, 1, 3; calibrated (severity taken out): 0, 2, 1, 3."""
    first, second, severe = (profile_of(jury).id for jury in world.juries)
    marks = [(jury, team, value) for jury in (first, second)
             for team, value in zip(world.teams, (9, 7, 8, 5), strict=True)]
    marks += [(severe, world.teams[0], 4), (severe, world.teams[3], 0)]
    db.session.add_all(
        ScoreEvent(client_event_id=f"disagree-{number}-{criterion.id}", round_id=world.round.id,
                   jury_id=jury, team_id=team.id, criterion_id=criterion.id, kind="score",
                   value=value)
        for number, (jury, team, value) in enumerate(marks) for criterion in world.criteria)
    db.session.commit()
    return world


ORDERS = {"raw": (2, 0, 1, 3), "calibrated": (0, 2, 1, 3)}


def expected_places(world, estimator: str) -> tuple[list[int], dict[int, int]]:
    """(overall podium, winner per challenge) by this estimator in the `disagreeing` round."""
    order = [world.teams[i] for i in ORDERS[estimator]]
    winners = {}
    for team in order:
        winners.setdefault(team.challenge_id, team.id)
    return [team.id for team in order[:3]], winners


def places_of(plan) -> tuple[list[int], dict[int, int]]:
    overall = [line.team_id for line in sorted(plan, key=lambda line: line.place)
               if line.challenge_id is None]
    return overall, {line.challenge_id: line.team_id for line in plan
                     if line.challenge_id is not None and line.place == 1}


def test_the_public_ranking_method_decides_the_results(app, db, disagreeing, organizer):
    from crunchtime.services.judging.results import award_plan, publish_results, published_results

    edition = db.session.get(Edition, disagreeing.edition.id)
    assert edition.leaderboard_estimator == "calibrated"  # the default
    assert places_of(award_plan(edition)) == expected_places(disagreeing, "calibrated")
    assert expected_places(disagreeing, "raw") != expected_places(disagreeing, "calibrated")
    for estimator in ("raw", "calibrated", "raw"):
        edition.leaderboard_estimator = estimator
        db.session.commit()
        assert places_of(award_plan(edition)) == expected_places(disagreeing, estimator)
    close(db, disagreeing.round)
    publish_results(organizer, edition, acknowledge_gaps=True)  # scores outside assignments
    podium = [line.team_id for line in published_results(edition).overall]
    assert podium == expected_places(disagreeing, "raw")[0]


def test_the_live_board_ranks_by_the_public_ranking_method(app, db, disagreeing):
    from crunchtime.realtime.rooms import PUBLIC
    from crunchtime.services.live.board import BoardMemory, compute_board

    edition = db.session.get(Edition, disagreeing.edition.id)
    edition.public_display = "ranking"
    db.session.commit()
    memory = BoardMemory()
    for estimator in ("calibrated", "raw", "calibrated"):
        if estimator != edition.leaderboard_estimator:
            edition.leaderboard_estimator = estimator
            db.session.commit()
        public = compute_board(memory).views[PUBLIC]
        assert public["estimator"] == estimator
        codes = [row["team"] for row in public["ranking"]]
        assert codes == [disagreeing.teams[i].code for i in ORDERS[estimator]], estimator


def test_scores_export_has_one_row_per_jury_and_criterion_with_comments(app, db, scored,
                                                                       organizer, login):
    first = db.session.scalar(sa.select(ScoreEvent).order_by(ScoreEvent.seq))
    rewrite_event(first.seq, comment="Prototype convaincant, pitch à retravailler")
    client = login(organizer)
    response = client.get("/organizer/judging/scores.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert len(rows) == len(round_scores(scored.round.id))
    assert {row["criterion"] for row in rows} == {"innovation", "pitch"}
    assert any(row["comment"] == "Prototype convaincant, pitch à retravailler" for row in rows)
    close(db, scored.round)
    post_on(client, "/organizer/judging/results", "/organizer/judging/results", {"confirm": "y"})
    results = client.get("/organizer/judging/results.csv").get_data(as_text=True)
    lines = list(csv.DictReader(io.StringIO(results.lstrip("\ufeff"))))
    assert [line["scope"] for line in lines].count("overall") == 3
    assert fr("Results") in text(client.get("/organizer/judging/results"))


def test_jury_nominates_a_team_for_incubation_apart_from_its_score(app, db, world, login,
                                                                  organizer):
    client = login(world.juries[0])
    path = f"/jury/rounds/{world.round.id}/teams/{world.teams[0].id}"
    empty = post_on(client, path, f"{path}/nomination", {"comment": "Rien"})
    assert says(empty, "Rate at least one point of the nomination.")
    saved = post_on(client, path, f"{path}/nomination",
                    {"commitment": "5", "problem_validated": "4", "feasibility": "3",
                     "impact": "", "comment": "Équipe très motivée"})
    assert saved.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(ScoreEvent.seq))) == 0
    organiser = app.test_client()
    with organiser.session_transaction() as session:
        session["_user_id"] = organizer.get_id()
    page = organiser.get("/organizer/judging/results")
    assert says(page, "Nominations for incubation") and world.teams[0].code in text(page)
    unassigned = f"/jury/rounds/{world.round.id}/teams/{world.teams[3].id}"
    assert client.get(unassigned).status_code == 403


def test_demo_results_score_every_pair_close_round_1_and_publish(app, db):
    from crunchtime.services.demo.judging import publish_demo_results

    edition = factories.edition(phase="judging")
    for _ in range(6):
        factories.team(edition)
    for _ in range(5):
        factories.jury(edition)
    enter_demo_scores(edition, share=0.3, seed=2)
    awards = publish_demo_results(edition, seed=2)
    judging_round = db.session.scalar(sa.select(JudgingRound))
    assert judging_round.status == "closed" and judging_round.results_published_at
    assert awards == 6 + 3  # one winner per challenge (6 challenges) and the podium
    assert len(round_scores(judging_round.id)) == 18 * 5


def test_each_teams_calibrated_position_is_explained_in_one_line(app, db, scored, organizer,
                                                                 login):
    from crunchtime.services.accounts.jury_profiles import jury_names
    from crunchtime.services.judging.rankings import round_rankings

    client = login(organizer)
    page = text(client.get(f"/organizer/judging/rounds/{scored.round.id}/rankings"))
    assert fr("Why each team stands where it does (calibrated)") in page
    calibrated = round_rankings(scored.round).rankings["calibrated"]
    scored_rows = [row for row in calibrated.standings if row.scored]
    start = fr("raw mean %(raw)s; %(juries)s → %(estimate)s", raw="@", juries="",
               estimate="").split("@")[0]  # "moyenne brute "
    assert page.count(f"<td>{start}") == len(scored_rows) > 0
    names = jury_names(scored.edition)
    best = calibrated.explanations[scored_rows[0].team]
    assert all(names[jury.jury] in page for jury in best.juries)
    shown = f"{100 * best.raw_mean:.1f}".replace(".", ",")
    assert f"{start}{shown}" in page
