"""Companies see the teams on their own challenges: stages always, the submission
read-only once the deadline has passed (or during the week if the edition allows it),
and mark "interested" with a private note."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from crunchtime.models import Interest, MilestoneProgress, SubmissionFile
from crunchtime.models.base import utcnow
from crunchtime.services.submissions.deadlines import COMPANY_VIEW_DURING_WEEK
from crunchtime.services.teams.space import team_of_student
from tests import factories
from tests.challenges import samples
from tests.helpers import says, text
from tests.team_world import post_action, save


def test_the_company_lists_only_the_teams_on_its_challenges(as_user, db, edition, team,
                                                            outsider, company):
    page = text(as_user(company).get("/company/teams/"))
    assert team.code in page
    assert team_of_student(outsider, edition).code not in page


def test_another_organisations_team_is_refused(as_user, db, edition, outsider, company):
    other = team_of_student(outsider, edition)
    assert as_user(company).get(f"/company/teams/{other.id}").status_code == 403


def test_the_submission_stays_hidden_until_the_deadline_has_passed(as_user, db, edition, team,
                                                                   lea, company):
    save(as_user(lea), team, title="Projet secret", files=[("a.pdf", samples.PDF)])
    [row] = db.session.scalars(sa.select(SubmissionFile))
    client = as_user(company)
    page = client.get(f"/company/teams/{team.id}")
    assert "Projet secret" not in text(page)
    assert client.get(f"/team/files/{row.id}").status_code == 403
    edition.submission_deadline = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert "Projet secret" in text(client.get(f"/company/teams/{team.id}"))
    assert client.get(f"/team/files/{row.id}").status_code == 200


def test_the_edition_may_let_companies_read_during_the_week(as_user, db, edition, team, lea,
                                                            company):
    save(as_user(lea), team, title="Projet ouvert")
    edition.settings = {COMPANY_VIEW_DURING_WEEK: True}
    db.session.commit()
    assert "Projet ouvert" in text(as_user(company).get(f"/company/teams/{team.id}"))


def test_stage_deliverables_are_visible_to_the_company_during_the_week(as_user, db, edition,
                                                                       team, lea, company):
    from tests.teams.test_milestones import mark, stage

    mark(as_user(lea), team, stage(db, edition, "ideate"), file=("tableau.png", samples.PNG))
    progress = db.session.scalar(sa.select(MilestoneProgress))
    assert as_user(company).get(f"/team/files/{progress.file_id}").status_code == 200
    stranger = factories.company_user(factories.organisation("Autre"))
    assert as_user(stranger).get(f"/team/files/{progress.file_id}").status_code == 403


def test_the_company_marks_interest_with_a_private_note_then_withdraws_it(as_user, db, team,
                                                                          company):
    client = as_user(company)
    response = post_action(client, f"/company/teams/{team.id}/interest",
                           {"note": "À revoir pour l'incubateur."})
    assert response.status_code == 302
    interest = db.session.scalar(sa.select(Interest))
    assert (interest.team_id, interest.organisation_id, interest.note) == (
        team.id, company.organisation_id, "À revoir pour l'incubateur.")
    page = client.get(f"/company/teams/{team.id}")
    assert "À revoir pour l&#39;incubateur." in text(page) and says(page, "interested")
    post_action(client, f"/company/teams/{team.id}/interest/remove")
    assert db.session.scalar(sa.select(sa.func.count(Interest.id))) == 0


def test_a_colleague_sees_the_note_but_another_organisation_cannot_mark(as_user, db, team,
                                                                        company):
    colleague = factories.company_user(company.organisation)
    post_action(as_user(company), f"/company/teams/{team.id}/interest", {"note": "Note"})
    assert "Note" in text(as_user(colleague).get(f"/company/teams/{team.id}"))
    stranger = factories.company_user(factories.organisation("Autre"))
    response = post_action(as_user(stranger), f"/company/teams/{team.id}/interest", {"note": "x"})
    assert response.status_code == 403
    assert db.session.scalar(sa.select(sa.func.count(Interest.id))) == 1
