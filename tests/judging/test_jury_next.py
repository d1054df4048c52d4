"""Save and go to the next team, without JavaScript: one button saves the sheet and opens
the jury's next team to score in the round; after the last, the jury's home says so."""

from __future__ import annotations

import sqlalchemy as sa

from crunchtime.models import ScoreEvent
from tests.helpers import says, text
from tests.judging.conftest import assign


def sheet_fields(client, path) -> dict:
    page = text(client.get(path))
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    batch = page.split('name="batch" type="hidden" value="')[1].split('"')[0]
    return {"csrf_token": token, "batch": batch}


def score_and_go_on(client, world, team, values=(7, 5)):
    path = f"/jury/rounds/{world.round.id}/teams/{team.id}"
    data = sheet_fields(client, path)
    for criterion, value in zip(world.criteria, values, strict=True):
        data[f"criterion_{criterion.id}"] = str(value)
    data["submit_next"] = "Save and go to the next team"
    return client.post(path, data=data)


def test_save_and_next_opens_the_next_team_then_the_home_says_the_round_is_done(
        app, db, world, login):
    client = login(world.juries[0])
    first, second = world.teams[0], world.teams[1]
    response = score_and_go_on(client, world, first)
    assert response.status_code == 302
    assert response.location.endswith(f"/jury/rounds/{world.round.id}/teams/{second.id}")
    landing = client.get(response.location)
    assert says(landing, "Your scores for %(team)s are saved.", team=first.code)
    assert says(landing, "This is your last team to score in this round.")
    assert len(db.session.scalars(sa.select(ScoreEvent)).all()) == 2

    last = score_and_go_on(client, world, second, values=(4, 6))
    assert last.status_code == 302 and f"/jury/?finished={world.round.id}" in last.location
    home = client.get(last.location)
    assert says(home, "You have scored all your teams of %(round)s. Thank you!",
                round=world.round.name)
    assert len(db.session.scalars(sa.select(ScoreEvent)).all()) == 4


def test_the_next_team_comes_back_to_a_team_skipped_earlier(app, db, world, login):
    assign(world.round, world.juries[0], world.teams[2])
    client = login(world.juries[0])
    first, second, third = world.teams[0], world.teams[1], world.teams[2]
    page = client.get(f"/jury/rounds/{world.round.id}/teams/{second.id}")
    assert says(page, "team %(num)d of %(total)d", num=2, total=3)
    response = score_and_go_on(client, world, third)
    assert response.location.endswith(f"/teams/{first.id}")  # the first was skipped


def test_after_the_last_team_home_counts_the_teams_still_to_score(app, db, world, login):
    client = login(world.juries[0])
    response = score_and_go_on(client, world, world.teams[0])
    assert response.location.endswith(f"/teams/{world.teams[1].id}")
    home = client.get(f"/jury/?finished={world.round.id}")  # teams[1] is still to score
    assert says(home, "That was the last team in your order for %(round)s; %(num)d team is "
                      "still to score (below).",
                "That was the last team in your order for %(round)s; %(num)d teams are "
                "still to score (below).", round=world.round.name, num=1)
    assert not says(home, "You have scored all your teams of %(round)s. Thank you!",
                    round=world.round.name)


def test_save_and_next_with_nothing_changed_moves_on_without_writing(app, db, world, login):
    client = login(world.juries[0])
    path = f"/jury/rounds/{world.round.id}/teams/{world.teams[0].id}"
    data = {**sheet_fields(client, path), "submit_next": "1"}
    response = client.post(path, data=data)
    assert response.location.endswith(f"/teams/{world.teams[1].id}")
    assert db.session.scalars(sa.select(ScoreEvent)).all() == []


def test_the_team_page_offers_the_project_behind_a_labelled_disclosure(app, db, world, login):
    client = login(world.juries[0])
    page = client.get(f"/jury/rounds/{world.round.id}/teams/{world.teams[0].id}")
    html = text(page)
    assert says(page, "See the project")
    assert 'class="disclosure-icon"' in html.split("See the project")[0].rsplit("<summary", 1)[1]
    assert says(page, "Save and go to the next team")
    assert f'data-next="/jury/rounds/{world.round.id}/teams/{world.teams[1].id}"' in html
    assert '<details class="project-disclosure" id="project">' in html  # folded on arrival
