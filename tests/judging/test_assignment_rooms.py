"""Few rooms per jury: in a round by challenge each challenge pitches in its own room, so the
assignment gathers each jury's teams in few challenges — without giving up any earlier rule
(k juries per team, conflicts never crossed, balanced loads, one connected group) — and the
organisers' page shows how many rooms each jury walks between."""

from __future__ import annotations

import re
from collections import Counter

import numpy as np
import pytest
import sqlalchemy as sa

from crunchtime.extensions import db as _db
from crunchtime.models import JuryAssignment
from crunchtime.scoring import Conflict, Jury, Team, assign_juries
from crunchtime.scoring.eligibility import allowed_matrix
from crunchtime.scoring.graph import count_components
from crunchtime.scoring.rooms import assign_juries_in_few_rooms, room_bound, rooms_per_jury
from crunchtime.services.judging.assignment import apply_assignment
from tests import factories
from tests.helpers import text
from tests.judging.conftest import assign, enter, make_round, profile_of


def edition_like(*, teams: int, juries: int, challenges: int, seed: int):
    """Teams spread over challenges of 20 organisations, juries half from those organisations,
    expertise tags, and 5 % of juries declaring a team conflict — plain data, no database."""
    rng = np.random.default_rng(seed)
    organisation = rng.integers(0, 20, size=challenges)
    themes = [f"theme{i}" for i in range(10)]
    tags = [frozenset(rng.choice(themes, 2, replace=False)) for _ in range(challenges)]
    team_rows = [Team(t, challenge=t % challenges, organisation=int(organisation[t % challenges]),
                      tags=tags[t % challenges], students=range(6 * t, 6 * t + 6))
                 for t in range(teams)]
    jury_rows = [Jury(1000 + j, organisation=int(rng.integers(0, 20)) if j % 2 else None,
                      tags=frozenset(rng.choice(themes, 3, replace=False)))
                 for j in range(juries)]
    conflicts = [Conflict(jury.id, "team", int(rng.integers(0, teams)))
                 for jury in jury_rows if rng.random() < 0.05]
    return jury_rows, team_rows, conflicts


def random_balanced_pairs(juries, teams, k: int, seed: int) -> list[tuple[int, int]]:
    """The naive baseline: teams in random order dealt to juries in turn, k distinct each."""
    rng = np.random.default_rng(seed)
    order = [team.id for team in teams]
    rng.shuffle(order)
    ids = [jury.id for jury in juries]
    pairs, turn = [], 0
    for team in order:
        for _ in range(k):
            pairs.append((ids[turn % len(ids)], team))
            turn += 1
    return pairs


def forbidden(pairs, juries, teams, conflicts) -> list[tuple[int, int]]:
    allowed = allowed_matrix(juries, teams, conflicts, own_organisation_excluded=False)
    jury_index = {jury.id: i for i, jury in enumerate(juries)}
    team_index = {team.id: i for i, team in enumerate(teams)}
    return [(j, t) for j, t in pairs if not allowed[jury_index[j], team_index[t]]]


def groups(pairs, juries, teams) -> int:
    """Connected groups of juries and teams, counted afresh from the pairs."""
    jury_index = {jury.id: i for i, jury in enumerate(juries)}
    team_index = {team.id: i for i, team in enumerate(teams)}
    return count_components([(jury_index[j], team_index[t]) for j, t in pairs], len(juries),
                            len(teams))


@pytest.mark.parametrize(("teams", "juries", "challenges", "seed"),
                         [(300, 100, 60, 1), (300, 60, 60, 2), (120, 40, 12, 3)])
def test_each_jury_visits_few_challenges_within_the_bound_and_fewer_than_before(
        teams, juries, challenges, seed):
    jury_rows, team_rows, conflicts = edition_like(teams=teams, juries=juries,
                                                   challenges=challenges, seed=seed)
    k = 3
    challenge_of = {team.id: team.challenge for team in team_rows}
    gathered = assign_juries_in_few_rooms(jury_rows, team_rows, k=k, conflicts=conflicts,
                                          seed=seed)
    balanced_only = assign_juries(jury_rows, team_rows, k=k, conflicts=conflicts, seed=seed)
    naive = random_balanced_pairs(jury_rows, team_rows, k, seed)

    rooms = rooms_per_jury(gathered.pairs, challenge_of)
    before = rooms_per_jury(balanced_only.pairs, challenge_of)
    random_rooms = rooms_per_jury(naive, challenge_of)
    bound = room_bound(teams * k / juries, teams / challenges)
    print(f"{teams} teams, {juries} juries, {challenges} challenges: rooms per jury mean "
          f"{rooms.mean:.2f} max {rooms.max} (bound {bound}); balanced only {before.mean:.2f}/"
          f"{before.max}; random {random_rooms.mean:.2f}/{random_rooms.max}")
    assert rooms.max <= bound and rooms.mean <= bound
    assert rooms.mean < before.mean and rooms.max < before.max
    assert rooms.mean < random_rooms.mean and rooms.max < random_rooms.max

    # every earlier rule still holds
    assert gathered.complete and set(Counter(t for _, t in gathered.pairs).values()) == {k}
    assert len(set(gathered.pairs)) == len(gathered.pairs)
    loads = Counter(j for j, _ in gathered.pairs)
    assert max(loads.values()) - min(loads.values()) <= 1 and gathered.load_spread <= 1
    assert loads == Counter(j for j, _ in balanced_only.pairs)
    assert forbidden(gathered.pairs, jury_rows, team_rows, conflicts) == []
    assert groups(gathered.pairs, jury_rows, team_rows) == 1 == gathered.components


def test_pairs_already_made_stay_and_the_final_rule_on_own_organisation_holds():
    jury_rows, team_rows, conflicts = edition_like(teams=60, juries=20, challenges=12, seed=5)
    existing = [(1000, 0), (1000, 13), (1001, 0), (1005, 7)]
    plan = assign_juries_in_few_rooms(jury_rows, team_rows, k=2, conflicts=conflicts,
                                      existing=existing, seed=5)
    assert set(existing) <= set(plan.pairs)
    assert plan.complete and plan.components == 1

    final = assign_juries_in_few_rooms(jury_rows, team_rows, k=2, round_kind="final", seed=5)
    organisation = {jury.id: jury.organisation for jury in jury_rows}
    team_organisation = {team.id: team.organisation for team in team_rows}
    assert not any(organisation[j] is not None and organisation[j] == team_organisation[t]
                   for j, t in final.pairs)
    assert final.complete


def test_gathering_never_splits_the_juries_into_groups():
    """Four juries, two challenges of four teams, k = 2: keeping each jury in one challenge
    would leave two groups that share no team; the plan stays one group."""
    juries = [Jury(j) for j in range(4)]
    teams = [Team(t, challenge=t // 4) for t in range(8)]
    plan = assign_juries_in_few_rooms(juries, teams, k=2, seed=0)
    assert plan.components == 1 and plan.complete
    assert max(rooms_per_jury(plan.pairs, {t.id: t.challenge for t in teams}).per_jury
               .values()) <= 2


def test_room_figures_count_distinct_challenges_per_jury():
    figures = rooms_per_jury([(1, 10), (1, 11), (1, 12), (2, 12)], {10: 5, 11: 5, 12: 6})
    assert figures.per_jury == {1: 2, 2: 1}
    assert figures.mean == 1.5 and figures.max == 2
    assert rooms_per_jury([], {}).mean == 0 and rooms_per_jury([], {}).max == 0
    assert room_bound(9, 5) == 3 and room_bound(10, 5) == 3 and room_bound(0, 5) == 0


def test_organisers_see_the_rooms_per_jury_mean_max_and_per_jury(app, db, world, organizer,
                                                                 login):
    # world: jury 0 scores teams 0 and 1 (two challenges), jury 1 team 0: 1.5 rooms on average
    client = login(organizer)
    page = client.get(f"/organizer/judging/rounds/{world.round.id}/assignment")
    assert page.status_code == 200
    html = text(page)
    mean = re.search(r'id="rooms-per-jury"><span class="stat-value">([^<]+)<', html).group(1)
    assert mean == "1,5"
    rows = re.findall(r"<tr><td>([^<]+)</td><td class=\"num\">(\d+)</td>"
                      r"<td class=\"num\">(\d+)</td></tr>", html)
    shown = {name: (int(load), int(rooms)) for name, load, rooms in rows}
    assert shown[world.juries[0].full_name] == (2, 2)
    assert shown[world.juries[1].full_name] == (1, 1)
    assert shown[world.juries[2].full_name] == (0, 0)
    assert 'class="stat-value">2<' in html.split('id="rooms-per-jury"')[1]


def test_the_automatic_assignment_of_a_round_gathers_juries_by_challenge(app, db, organizer):
    """Through the service: six challenges of three teams, six juries, k = 2."""
    edition = factories.edition(phase="judging")
    organisation = factories.organisation("Stellantis")
    challenges = [factories.challenge(edition, organisation) for _ in range(6)]
    teams = [factories.team(edition, challenges[i % 6]) for i in range(18)]
    juries = [factories.jury(edition) for _ in range(6)]
    judging_round = make_round(edition, k=2)
    enter(judging_round, *teams)
    assign(judging_round, juries[0], teams[0])
    apply_assignment(organizer, judging_round, seed=1)
    pairs = {(a.jury_id, a.team_id) for a in _db.session.scalars(
        sa.select(JuryAssignment).where(JuryAssignment.round_id == judging_round.id))}
    assert (profile_of(juries[0]).id, teams[0].id) in pairs
    challenge_of = {team.id: team.challenge_id for team in teams}
    figures = rooms_per_jury(pairs, challenge_of)
    assert Counter(t for _, t in pairs) == {team.id: 2 for team in teams}
    assert figures.max <= room_bound(18 * 2 / 6, 3) and figures.mean <= 3
