"""Design-thinking stages: five by default, marked done by the team with a short
deliverable, late ones shown and never blocked; organisers see who is behind; the
challenge's company or an organiser leaves feedback the team sees at once."""

from __future__ import annotations

import io
from datetime import timedelta

import sqlalchemy as sa

from crunchtime.models import AuditEvent, Milestone, MilestoneFeedback, MilestoneProgress
from crunchtime.models.base import utcnow
from crunchtime.realtime.rooms import team_room
from crunchtime.services.live.rooms import rooms_for
from crunchtime.services.teams.milestones import ensure_default_milestones
from crunchtime.services.teams.space import team_of_student
from tests import factories
from tests.challenges import samples
from tests.helpers import client_for, says, text
from tests.team_world import post_action


def stage(db, edition, key: str) -> Milestone:
    ensure_default_milestones(edition)
    return db.session.scalar(sa.select(Milestone).where(Milestone.edition_id == edition.id,
                                                        Milestone.key == key))


def mark(client, team, milestone, note="", file=None):
    data = {"note": note}
    if file is not None:
        data["file"] = (io.BytesIO(file[1]), file[0])
    return post_action(client, f"/team/{team.id}/stages/{milestone.id}", data,
                       content_type="multipart/form-data")


def test_an_edition_gets_the_five_default_stages_once_due_before_its_deadline(db, edition):
    first = ensure_default_milestones(edition)
    again = ensure_default_milestones(edition)
    assert [m.key for m in first] == ["empathise", "define", "ideate", "prototype",
                                      "test_pitch"]
    assert [m.id for m in again] == [m.id for m in first]
    assert first[-1].due_at == edition.submission_deadline
    assert first[0].due_at == edition.submission_deadline - timedelta(days=4)


def test_a_member_marks_a_stage_done_with_a_note(as_user, db, edition, team, lea, hugo):
    empathise = stage(db, edition, "empathise")
    response = mark(as_user(lea), team, empathise, note="Nous avons interrogé 12 usagers.")
    assert response.status_code == 302
    page = text(as_user(hugo).get(f"/team/{team.id}/stages"))
    assert "Nous avons interrogé 12 usagers." in page


def test_a_note_stage_needs_a_note_and_a_photo_stage_an_image(as_user, db, edition, team, lea):
    client = as_user(lea)
    response = mark(client, team, stage(db, edition, "define"))
    assert response.status_code == 200 and says(response, "Write a short note for this stage.")
    ideate = stage(db, edition, "ideate")
    response = mark(client, team, ideate, file=("tableau.pdf", samples.PDF))
    assert response.status_code == 200
    assert says(response, "This type of file is not accepted here. Accepted: %(types)s.",
                types="GIF, JPG, PNG, WEBP")
    assert db.session.scalar(sa.select(sa.func.count(MilestoneProgress.id))) == 0
    assert mark(client, team, ideate, file=("tableau.jpg", samples.JPEG)).status_code == 302


def test_a_late_stage_is_accepted_and_shown_as_late(as_user, db, edition, team, lea):
    empathise = stage(db, edition, "empathise")
    empathise.due_at = utcnow() - timedelta(hours=2)
    db.session.commit()
    client = as_user(lea)
    assert says(client.get(f"/team/{team.id}/stages"), "behind")
    assert mark(client, team, empathise, note="En retard mais fait.").status_code == 302
    assert says(client.get(f"/team/{team.id}/stages"), "done late")


def test_organisers_see_per_challenge_which_teams_are_behind(as_user, db, edition, team,
                                                             outsider, organizer):
    empathise = stage(db, edition, "empathise")
    empathise.due_at = utcnow() - timedelta(hours=2)
    db.session.commit()
    mark(as_user(outsider), team_of_student(outsider, edition), empathise, note="Fait.")
    page = as_user(organizer).get("/organizer/submissions/stages")
    body = text(page)
    assert body.index(f'data-team="{team.code}" class="behind"') < body.index(
        f'data-team="{team_of_student(outsider, edition).code}"')
    only_ours = text(as_user(organizer).get(
        f"/organizer/submissions/stages?challenge={team.challenge_id}"))
    assert team.code in only_ours
    assert team_of_student(outsider, edition).code not in only_ours


def test_the_company_of_the_challenge_leaves_feedback_the_team_sees(as_user, db, edition, team,
                                                                    lea, company):
    define = stage(db, edition, "define")
    response = post_action(as_user(company),
                           f"/company/teams/{team.id}/stages/{define.id}/feedback",
                           {"text": "Pensez aux conducteurs de nuit."})
    assert response.status_code == 302
    assert "Pensez aux conducteurs de nuit." in text(as_user(lea).get(f"/team/{team.id}/stages"))


def test_another_company_cannot_leave_feedback(as_user, db, edition, team):
    stranger = factories.company_user(factories.organisation("Autre"))
    define = stage(db, edition, "define")
    response = post_action(as_user(stranger),
                           f"/company/teams/{team.id}/stages/{define.id}/feedback",
                           {"text": "Hors sujet"})
    assert response.status_code == 403
    assert db.session.scalar(sa.select(sa.func.count(MilestoneFeedback.id))) == 0


def test_feedback_is_pushed_live_to_the_team_room(app, db, edition, team, lea, organizer,
                                                  live_test_client):
    flask_client = app.test_client()
    with flask_client.session_transaction() as session:
        session["_user_id"] = lea.get_id()
    live = live_test_client(app, namespace="/live", flask_test_client=flask_client)
    assert live.is_connected("/live")
    live.get_received("/live")
    define = stage(db, edition, "define")
    post_action(client_for(app, organizer),
                f"/organizer/submissions/teams/{team.id}/stages/{define.id}/feedback",
                {"text": "Bravo pour les entretiens."})
    events = live.get_received("/live")
    live.disconnect("/live")
    feedback = [event for event in events if event["name"] == "feedback"]
    assert feedback and feedback[0]["args"][0]["text"] == "Bravo pour les entretiens."


def test_only_members_join_their_team_room(db, edition, team, lea, outsider, organizer):
    assert team_room(team.id) in rooms_for(lea)
    assert team_room(team.id) not in rooms_for(outsider)
    assert team_room(team.id) not in rooms_for(organizer)


def test_organisers_change_add_and_remove_stages(as_user, db, edition, team, lea, organizer):
    client = as_user(organizer)
    empathise = stage(db, edition, "empathise")
    response = post_action(client, f"/organizer/submissions/stages/{empathise.id}/edit", {
        "label_fr": "Empathie", "label_en": "Empathise", "expected": "Trois entretiens.",
        "deliverable_kind": "note", "due_at": "2026-11-16T18:00", "position": "1"})
    assert response.status_code == 302
    db.session.refresh(empathise)
    assert empathise.expected == "Trois entretiens." and empathise.due_at.hour == 17
    post_action(client, "/organizer/submissions/stages/setup", {
        "label_fr": "Bilan", "deliverable_kind": "note", "position": "9"})
    added = stage(db, edition, "bilan")
    assert added is not None
    assert post_action(client, f"/organizer/submissions/stages/{added.id}/delete").status_code \
        == 302
    assert stage(db, edition, "bilan") is None
    mark(as_user(lea), team, empathise, note="Fait.")
    post_action(client, f"/organizer/submissions/stages/{empathise.id}/delete")
    assert stage(db, edition, "empathise") is not None
    assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id)).where(
        AuditEvent.action.like("milestone.%"))) == 3

