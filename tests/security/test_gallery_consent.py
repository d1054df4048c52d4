"""The public gallery needs every member's consent: one member can no longer publish the
whole team's project (with everyone's first names) for all. Each member gives or withdraws
their own agreement on the team page, which shows who agreed; a withdrawal hides the project
at once; members erased on request no longer count."""

from __future__ import annotations

import sqlalchemy as sa
from markupsafe import escape

from crunchtime.models import AuditEvent, Membership, SubmissionFile
from crunchtime.services.privacy.requests import process_request, request_deletion
from tests import factories, team_world
from tests.challenges import samples
from tests.helpers import fr, says, text
from tests.team_world import post_action, save

# The team of two members of tests/team_world.py (its fixtures, used by name here).
challenge, company, edition = team_world.challenge, team_world.company, team_world.edition
lea, hugo, outsider, team = team_world.lea, team_world.hugo, team_world.outsider, team_world.team


def results_out(db, edition):
    edition.phase = "results"
    db.session.commit()


def agree(client, team, agreed: bool = True):
    return post_action(client, f"/team/{team.id}/gallery",
                       {"show_in_gallery": "y"} if agreed else {}, follow_redirects=True)


def gallery(client) -> str:
    return text(client.get("/gallery/"))


def photo_id(db) -> int:
    return db.session.scalar(sa.select(SubmissionFile.id))


def test_a_project_is_hidden_until_every_member_agrees(client, as_user, db, edition, team,
                                                       lea, hugo):
    save(as_user(lea), team, title="Hy-Bus", files=[("photo.png", samples.PNG)])
    results_out(db, edition)
    assert "Hy-Bus" not in gallery(client)  # nobody agreed yet (no more opt-out by default)
    page = agree(as_user(lea), team)
    assert says(page, "Your agreement is recorded. The project will be shown in the public "
                      "gallery once every member has agreed.")
    assert "Hy-Bus" not in gallery(client)
    assert client.get(f"/gallery/images/{photo_id(db)}").status_code == 404
    page = agree(as_user(hugo), team)
    assert says(page, "Every member has agreed: the project is shown in the public gallery, "
                      "which opens when the results are published.")
    assert "Hy-Bus" in gallery(client)
    assert client.get(f"/gallery/images/{photo_id(db)}").data == samples.PNG


def test_the_legacy_team_wide_choice_no_longer_publishes_anyone(client, as_user, db, edition,
                                                                team, lea):
    save(as_user(lea), team, title="Hy-Bus")
    team.gallery_opt_out = False
    db.session.commit()
    agree(as_user(lea), team)
    results_out(db, edition)
    assert "Hy-Bus" not in gallery(client)


def test_one_withdrawal_hides_the_project_at_once(client, as_user, db, edition, team, lea,
                                                  hugo):
    save(as_user(lea), team, title="Hy-Bus", files=[("photo.png", samples.PNG)])
    agree(as_user(lea), team)
    agree(as_user(hugo), team)
    results_out(db, edition)
    assert "Hy-Bus" in gallery(client)
    page = agree(as_user(hugo), team, agreed=False)
    assert says(page, "Your agreement is withdrawn: the project is not shown in the public "
                      "gallery.")
    assert "Hy-Bus" not in gallery(client)
    assert client.get(f"/gallery/images/{photo_id(db)}").status_code == 404
    actions = db.session.scalars(sa.select(AuditEvent.details).where(
        AuditEvent.action == "team.gallery_consent").order_by(AuditEvent.id)).all()
    assert [details["agreed"] for details in actions] == [True, True, False]


def test_each_member_decides_only_for_themselves(as_user, db, team, lea, hugo):
    agree(as_user(lea), team)
    consents = dict(db.session.execute(
        sa.select(Membership.student_id, Membership.gallery_consent_at)
        .where(Membership.team_id == team.id)).all())
    assert sorted(value is not None for value in consents.values()) == [False, True]
    agree(as_user(lea), team, agreed=False)
    assert all(membership.gallery_consent_at is None for membership in db.session.scalars(
        sa.select(Membership).where(Membership.team_id == team.id)))


def test_the_team_page_shows_who_has_agreed(as_user, db, team, lea, hugo):
    agree(as_user(hugo), team)
    page = as_user(lea).get(f"/team/{team.id}")
    assert says(page, "The project is shown in the public gallery only if every member "
                      "agrees; each member decides for themselves and can withdraw at any "
                      "time.")
    body = text(page)
    section = body[body.index('id="gallery"'):]
    lea_line = section[section.index("Léa Moreau"):section.index("</li>", section.index("Léa"))]
    hugo_line = section[section.index("Hugo Bernard"):
                        section.index("</li>", section.index("Hugo"))]
    assert shows(lea_line, "has not agreed") and shows(hugo_line, "agrees")
    assert says(page, "The project is not shown in the gallery.")
    assert '<input id="show_in_gallery"' in section  # Léa's own box: not ticked
    assert '<input checked id="show_in_gallery"' in text(as_user(hugo).get(f"/team/{team.id}"))
    agree(as_user(lea), team)
    assert says(as_user(lea).get(f"/team/{team.id}"), "Every member agrees: the project is "
                "shown in the gallery once the results are published.")


def shows(fragment: str, msgid: str) -> bool:
    return fr(msgid) in fragment or str(escape(fr(msgid))) in fragment


def test_an_outsider_cannot_agree_for_a_team(as_user, db, team, outsider):
    response = post_action(as_user(outsider), f"/team/{team.id}/gallery",
                           {"show_in_gallery": "y"})
    assert response.status_code == 403
    assert db.session.scalar(sa.select(sa.func.count(Membership.id)).where(
        Membership.gallery_consent_at.is_not(None))) == 0


def test_a_member_erased_on_request_no_longer_counts_nor_shows(client, as_user, db, edition,
                                                               team, lea, hugo):
    save(as_user(lea), team, title="Hy-Bus")
    agree(as_user(lea), team)
    edition.phase = "closed"  # nothing is judged any more: the request is processed at once
    db.session.commit()
    process_request(factories.organizer(), request_deletion(hugo).id)
    page = gallery(client)
    assert "Hy-Bus" in page and "Léa" in page and "Hugo" not in page
