"""Who joins which live room and what each room's board shows: the big screen follows the
organisers' choice, companies see their own challenge, organisers see everything, juries
never see the provisional ranking."""

from __future__ import annotations

from crunchtime.realtime.rooms import challenge_room, team_room
from crunchtime.services.live.display import set_public_display
from tests import factories
from tests.live.conftest import api_client, boards, post_event, received


def show(edition, display: str, frozen: bool = False) -> None:
    """What the organisers choose for the big screen (the boards follow at once)."""
    set_public_display(factories.organizer(), edition, display, frozen)


def rooms_of(socket) -> set[str]:
    """The live rooms a connection was put in (audience rooms "role:…" aside)."""
    return {args[0]["room"] for name, args in received(socket)
            if name == "snapshot" and not args[0]["room"].startswith("role:")}


def test_viewer_gets_a_snapshot_of_the_public_board_on_connect(app, db, world, connect):
    show(world.edition, "ranking")
    viewer = connect()
    snapshots = received(viewer, "snapshot")
    assert [args[0]["room"] for _name, args in snapshots] == ["public"]
    state = snapshots[0][1][0]["state"]
    assert state["display"] == "ranking" and state["progress"]["recorded"] == 0
    assert state["ranking"] == []


def test_a_score_moves_the_public_board_with_the_next_seq(app, db, world, connect):
    show(world.edition, "ranking")
    viewer = connect()
    first_seq = received(viewer, "snapshot")[0][1][0]["seq"]
    response = post_event(api_client(app, world.juries[0]), world.score_body("event-board-1"))
    assert response.status_code == 201
    events = received(viewer, "board")
    assert len(events) == 1
    view, meta = events[0][1]
    assert meta["room"] == "public" and meta["seq"] == first_seq + 1
    assert view["progress"]["recorded"] == 1
    assert [row["team"] for row in view["ranking"]] == [world.teams[0].code]
    assert view["new_events"] == [response.get_json()["seq"]]


def test_each_role_joins_only_its_rooms(app, db, world, connect, company_of):
    organizer = factories.organizer()
    assert rooms_of(connect()) == {"public"}
    # Organisers and company contacts mentor by default: the mentors' queue (mentoring).
    assert rooms_of(connect(organizer)) == {"public", "organizers", "mentors"}
    assert rooms_of(connect(world.juries[0])) == {"juries"}
    assert rooms_of(connect(world.students[0])) == {"public", team_room(world.teams[0].id)}
    assert rooms_of(connect(company_of)) == {"public", challenge_room(world.challenges[0].id),
                                             f"mentors:{world.challenges[0].id}"}


def test_juries_never_receive_the_provisional_ranking(app, db, world, connect):
    show(world.edition, "ranking")
    jury_socket = connect(world.juries[1])
    post_event(api_client(app, world.juries[0]), world.score_body("event-jury-1"))
    views = boards(jury_socket)
    assert set(views) == {"juries"}
    assert views["juries"]["progress"]["recorded"] == 1
    assert "ranking" not in views["juries"] and views["juries"]["display"] == "progress"


def test_the_big_screen_shows_what_the_organisers_chose(app, db, world, connect):
    client = api_client(app, world.juries[0])
    post_event(client, world.score_body("event-display-1"))
    for display, has_progress, has_ranking in (("hidden", False, False),
                                               ("progress", True, False),
                                               ("ranking", True, True)):
        show(world.edition, display)
        view = boards(connect())["public"]
        assert view["display"] == display
        assert ("progress" in view) is has_progress and ("ranking" in view) is has_ranking


def test_organisers_see_missing_scores_per_team_and_jury(app, db, world, connect):
    show(world.edition, "hidden")
    organiser = connect(factories.organizer())
    post_event(api_client(app, world.juries[0]), world.score_body("event-org-1"))
    events = received(organiser)
    view = boards(organiser, events)["organizers"]
    first = next(line for line in view["teams"] if line["team"] == world.teams[0].code)
    assert first["recorded"] == 1 and first["expected"] == 4  # two juries × two criteria
    assert first["juries_assigned"] == 2 and len(first["missing"]) == 2
    assert first["rank"] == 1 and first["score"] is not None
    assert sorted(jury["remaining"] for jury in view["juries"]) == [1, 2]
    assert [args[0]["kind"] for name, args in events if name == "score"] == ["score"]


def test_a_company_sees_its_challenge_and_places_only_with_the_public_ranking(
        app, db, world, connect, company_of):
    show(world.edition, "progress")
    company = connect(company_of)
    room = challenge_room(world.challenges[0].id)
    post_event(api_client(app, world.juries[0]), world.score_body("event-company-1"))
    view = boards(company)[room]
    assert view["challenge"]["code"] == world.challenges[0].code
    assert {team["team"] for team in view["teams"]} == {world.teams[0].code,
                                                        world.teams[2].code}
    assert all("rank" not in team and "score" not in team for team in view["teams"])
    show(world.edition, "ranking")
    placed = boards(connect(company_of))[room]
    first = next(team for team in placed["teams"] if team["team"] == world.teams[0].code)
    assert first["rank"] == 1 and first["overall"] == 1


def test_a_frozen_board_keeps_its_ranking_while_progress_moves(app, db, world, connect):
    client = api_client(app, world.juries[0])
    post_event(client, world.score_body("event-frozen-1", team=world.teams[0], value=3))
    show(world.edition, "ranking", frozen=True)
    viewer, organiser = connect(), connect(factories.organizer())
    post_event(client, world.score_body("event-frozen-2", team=world.teams[1], value=9))
    public = boards(viewer)["public"]
    assert public["frozen"] is True and public["progress"]["recorded"] == 2
    assert [row["team"] for row in public["ranking"]] == [world.teams[0].code]
    live = boards(organiser)["organizers"]
    assert [line["team"] for line in live["teams"][:2]] == [world.teams[1].code,
                                                            world.teams[0].code]
