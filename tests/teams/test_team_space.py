"""The team space: who is in the team, its challenge and contact, deadlines, the
announcements addressed to it; the team's name and each member's gallery agreement."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from crunchtime.models import Announcement, Programme, StudentProfile
from crunchtime.models.base import utcnow
from crunchtime.services.submissions.deadlines import paris
from crunchtime.services.submissions.gallery import gallery_consents
from crunchtime.services.teams.space import team_of_student
from tests import factories
from tests.helpers import says, text
from tests.team_world import post_action


def test_a_student_is_sent_to_their_team_space(as_user, db, team, lea):
    response = as_user(lea).get("/team/")
    assert response.status_code == 302 and response.headers["Location"] == f"/team/{team.id}"


def test_a_student_without_a_team_is_told_so(as_user, db, edition):
    response = as_user(factories.student(edition)).get("/team/")
    assert response.status_code == 200
    assert says(response, "You are not in a team yet. Teams are published by the organisers "
                          "after the matching; you will find yours here.")


def test_the_space_shows_teammates_the_challenge_contact_and_the_deadline(as_user, db, edition,
                                                                          team, lea, hugo):
    programme = Programme(edition_id=edition.id, name="Génie énergétique")
    db.session.add(programme)
    db.session.flush()
    db.session.execute(sa.update(StudentProfile).where(StudentProfile.user_id == hugo.id)
                       .values(programme_id=programme.id))
    db.session.commit()
    page = text(as_user(lea).get(f"/team/{team.id}"))
    for shown in ("Hugo Bernard", "Génie énergétique", hugo.email, "Léa Moreau",
                  "Claire Martin", "claire@optymo.example", "Bus à hydrogène", "Optymo",
                  "Les Hydrogènes"):
        assert shown in page
    assert paris(edition.submission_deadline) in page


def _announce(db, edition, audience, **fields):
    row = Announcement(edition_id=edition.id, audience=audience,
                       published_at=fields.pop("published_at", utcnow() - timedelta(hours=1)),
                       **fields)
    db.session.add(row)
    db.session.commit()
    return row


def test_only_the_announcements_meant_for_the_team_are_shown(as_user, db, edition, team, lea,
                                                             outsider):
    other_team = team_of_student(outsider, edition)
    _announce(db, edition, "everyone", text_fr="Pour tous")
    _announce(db, edition, "role", audience_role="student", text_fr="Aux étudiants")
    _announce(db, edition, "role", audience_role="jury", text_fr="Aux jurys")
    _announce(db, edition, "challenge", challenge_id=team.challenge_id, text_fr="À votre défi")
    _announce(db, edition, "team", team_id=team.id, text_fr="À votre équipe")
    _announce(db, edition, "team", team_id=other_team.id, text_fr="À une autre équipe")
    _announce(db, edition, "everyone", text_fr="Pas encore", published_at=None)
    page = text(as_user(lea).get(f"/team/{team.id}"))
    for shown in ("Pour tous", "Aux étudiants", "À votre défi", "À votre équipe"):
        assert shown in page
    for hidden in ("Aux jurys", "À une autre équipe", "Pas encore"):
        assert hidden not in page


def test_a_member_renames_the_team(as_user, db, team, hugo):
    response = post_action(as_user(hugo), f"/team/{team.id}/name", {"name": "  Les   H2  "})
    assert response.status_code == 302
    db.session.refresh(team)
    assert team.name == "Les H2"


@pytest.mark.parametrize(("name", "msgid"), [
    ("Bande de connards", "This name contains a word we cannot display. Please choose another "
                          "name; thank you for understanding."),
    ("X", "The team name must have at least %(n)d characters."),
])
def test_a_moderated_or_too_short_name_is_refused_politely(as_user, db, team, lea, name, msgid):
    client = as_user(lea)
    post_action(client, f"/team/{team.id}/name", {"name": name})
    db.session.refresh(team)
    assert team.name == "Les Hydrogènes"
    assert says(client.get(f"/team/{team.id}"), msgid, n=2)


def test_a_name_taken_in_the_edition_is_refused(as_user, db, edition, team, lea):
    factories.team(edition, name="Les Voltaïques")
    client = as_user(lea)
    post_action(client, f"/team/{team.id}/name", {"name": "les voltaïques"})
    db.session.refresh(team)
    assert team.name == "Les Hydrogènes"
    assert says(client.get(f"/team/{team.id}"),
                "Another team of this edition already has this name.")


def test_an_outsider_cannot_rename_the_team(as_user, db, team, outsider):
    response = post_action(as_user(outsider), f"/team/{team.id}/name", {"name": "Piratés"})
    assert response.status_code == 403


def test_each_member_gives_or_withdraws_their_own_gallery_agreement(as_user, db, team, lea):
    client = as_user(lea)
    post_action(client, f"/team/{team.id}/gallery", {"show_in_gallery": "y"})
    agreed = {member.first_name: member.agreed_at for member in gallery_consents(team)}
    assert agreed["Léa"] is not None and agreed["Hugo"] is None
    post_action(client, f"/team/{team.id}/gallery", {})
    assert all(member.agreed_at is None for member in gallery_consents(team))


def test_the_student_home_points_to_the_team_space_while_building(as_user, db, team, lea):
    page = text(as_user(lea).get("/student/"))
    assert 'href="/team/"' in page
