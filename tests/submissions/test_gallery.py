"""The public gallery, after the results: title, pitch, challenge, organisation, one
image and first names only; search and filters; a project is shown only once every member
of its team has agreed (tests/security/test_gallery_consent.py: giving and withdrawing)."""

from __future__ import annotations

import sqlalchemy as sa

from crunchtime.models import Membership, SubmissionFile
from crunchtime.models.base import utcnow
from crunchtime.services.teams.space import team_of_student
from tests.challenges import samples
from tests.helpers import says, text
from tests.team_world import save


def publish_results(db, edition):
    """The results are out, and every member of every team has agreed to the gallery."""
    for membership in db.session.scalars(sa.select(Membership)):
        membership.gallery_consent_at = membership.gallery_consent_at or utcnow()
    edition.phase = "results"
    db.session.commit()


def test_the_gallery_is_closed_until_the_results_are_published(client, as_user, db, team, lea):
    save(as_user(lea), team, title="Hy-Bus", files=[("photo.png", samples.PNG)])
    [image] = db.session.scalars(sa.select(SubmissionFile))
    response = client.get("/gallery/")
    assert response.status_code == 200
    assert says(response, "The gallery of projects opens when the results are published.")
    assert client.get(f"/gallery/images/{image.id}").status_code == 404


def test_visitors_see_projects_with_first_names_only(client, as_user, db, edition, team, lea):
    save(as_user(lea), team, title="Hy-Bus", pitch="Le bus qui roule à l'eau",
         files=[("pitch.pdf", samples.PDF), ("photo.png", samples.PNG),
                ("autre.png", samples.PNG)])
    publish_results(db, edition)
    page = text(client.get("/gallery/"))
    assert "Hy-Bus" in page and "Bus à hydrogène" in page and "Optymo" in page
    assert "Léa" in page and "Hugo" in page
    assert "Moreau" not in page and "Bernard" not in page and lea.email not in page
    pdf, photo, other = db.session.scalars(sa.select(SubmissionFile).order_by(SubmissionFile.id))
    assert f"/gallery/images/{photo.id}" in page
    assert client.get(f"/gallery/images/{photo.id}").data == samples.PNG
    assert client.get(f"/gallery/images/{other.id}").status_code == 404
    assert client.get(f"/gallery/images/{pdf.id}").status_code == 404


def test_a_team_whose_member_has_not_agreed_is_not_shown(client, as_user, db, edition, team,
                                                          lea, outsider):
    save(as_user(lea), team, title="Hy-Bus", files=[("photo.png", samples.PNG)])
    other = team_of_student(outsider, edition)
    save(as_user(outsider), other, title="Projet discret")
    publish_results(db, edition)
    second_member = db.session.scalar(sa.select(Membership).where(
        Membership.team_id == team.id).order_by(Membership.id.desc()))
    second_member.gallery_consent_at = None
    db.session.commit()
    page = text(client.get("/gallery/"))
    assert "Projet discret" in page and "Hy-Bus" not in page
    [photo] = db.session.scalars(sa.select(SubmissionFile))
    assert client.get(f"/gallery/images/{photo.id}").status_code == 404


def test_search_and_filters_narrow_the_projects(client, as_user, db, edition, team, lea,
                                                outsider):
    save(as_user(lea), team, title="Hy-Bus", pitch="Hydrogène vert")
    other = team_of_student(outsider, edition)
    save(as_user(outsider), other, title="Compost connecté")
    publish_results(db, edition)
    by_words = text(client.get("/gallery/?q=HYDROGENE"))
    assert "Hy-Bus" in by_words and "Compost connecté" not in by_words
    by_challenge = text(client.get(f"/gallery/?challenge={other.challenge_id}"))
    assert "Compost connecté" in by_challenge and "Hy-Bus" not in by_challenge
    by_organisation = text(client.get(
        f"/gallery/?organisation={team.challenge.organisation_id}"))
    assert "Hy-Bus" in by_organisation and "Compost connecté" not in by_organisation
