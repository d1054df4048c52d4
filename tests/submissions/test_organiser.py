"""Organisers' view of every submission: statuses, last change, files; filters and CSV;
a challenge's deliverables as one streamed ZIP; a team's page."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import timedelta

import sqlalchemy as sa

from crunchtime.extensions import db as _db
from crunchtime.models import Submission, SubmissionFile
from crunchtime.models.base import utcnow
from crunchtime.services.teams.space import team_of_student
from tests import factories
from tests.challenges import samples
from tests.helpers import count_queries, fr, says, text
from tests.team_world import post_action, save


def test_the_table_shows_each_teams_status_files_and_size(as_user, db, edition, team, lea,
                                                          outsider, organizer):
    save(as_user(lea), team, title="Hy-Bus", pitch="Pitch",
         files=[("a.pdf", samples.PDF), ("b.png", samples.PNG)])
    post_action(as_user(lea), f"/team/{team.id}/submission/hand-in")
    response = as_user(organizer).get("/organizer/submissions/")
    page = text(response)
    row = page[page.index(f'data-team="{team.code}"'):]
    row = row[:row.index("</tr>")]
    assert "Hy-Bus" in row and says(response, "handed in")
    assert '<td class="num">2</td>' in row
    other = team_of_student(outsider, edition)
    other_row = page[page.index(f'data-team="{other.code}"'):]
    assert fr("nothing yet") in other_row[:other_row.index("</tr>")]


def test_statuses_draft_late_and_extended(db, edition, team, lea, outsider):
    from crunchtime.services.submissions import overview
    from crunchtime.services.submissions.versions import (
        SaveRequest,
        SubmissionDraft,
        save_submission,
    )

    save_submission(lea, team.id, SaveRequest(SubmissionDraft(title="Brouillon"), 0))
    other = team_of_student(outsider, edition)
    rows = {row.team.id: row.status for row in overview.submission_rows(edition)}
    assert rows == {team.id: "draft", other.id: "none"}
    submission = db.session.scalar(sa.select(Submission))
    edition.submission_deadline = utcnow() - timedelta(hours=1)
    team.deadline_extension_until = utcnow() + timedelta(hours=1)
    db.session.commit()
    assert overview.submission_rows(edition)[0].status == "extended"
    submission.submitted_at = utcnow()
    db.session.commit()
    statuses = {row.team.id: row.status for row in overview.submission_rows(edition)}
    assert statuses[team.id] == "late"


def test_filters_by_status_challenge_and_search(as_user, db, edition, team, lea, outsider,
                                                organizer):
    save(as_user(lea), team, title="Hy-Bus")
    client = as_user(organizer)
    other = team_of_student(outsider, edition)
    by_status = text(client.get("/organizer/submissions/?status=draft"))
    assert team.code in by_status and other.code not in by_status
    by_challenge = text(client.get(f"/organizer/submissions/?challenge={other.challenge_id}"))
    assert other.code in by_challenge and team.code not in by_challenge
    by_words = text(client.get("/organizer/submissions/?q=hydrogenes"))
    assert team.code in by_words and other.code not in by_words


def test_the_csv_export_lists_the_filtered_teams(as_user, db, edition, team, lea, organizer):
    save(as_user(lea), team, title="Hy-Bus", files=[("a.pdf", samples.PDF)])
    response = as_user(organizer).get("/organizer/submissions/submissions.csv?status=draft")
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:3] == ["team", "team_name", "challenge"]
    assert len(rows) == 2 and rows[1][0] == team.code and rows[1][-1] == "Hy-Bus"
    assert rows[1][8] == "1" and rows[1][9] == str(len(samples.PDF))


def test_the_table_costs_the_same_queries_for_two_or_twenty_teams(as_user, db, edition,
                                                                  challenge, organizer):
    client = as_user(organizer)

    def queries() -> int:
        with count_queries(_db.engine) as counter:
            assert client.get("/organizer/submissions/").status_code == 200
        return counter.count

    for _ in range(2):
        factories.team(edition, challenge)
    few = queries()
    for _ in range(18):
        factories.team(edition, challenge)
    assert queries() == few


def test_a_challenges_deliverables_come_as_one_streamed_zip(as_user, db, edition, team, lea,
                                                            hugo, organizer):
    save(as_user(lea), team, title="Hy-Bus", pitch="Le bus à l'eau",
         files=[("pitch.pdf", samples.PDF), ("pitch.pdf", samples.PDF),
                ("photo.png", samples.PNG)])
    pdf = db.session.scalars(sa.select(SubmissionFile).order_by(SubmissionFile.id)).first()
    post_action(as_user(hugo), f"/team/{team.id}/files/{pdf.id}/delete")
    response = as_user(organizer).get(
        f"/organizer/submissions/challenges/{team.challenge_id}/deliverables.zip")
    assert response.status_code == 200 and response.is_streamed
    assert response.mimetype == "application/zip"
    assert "attachment" in response.headers["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.get_data()))
    folder = f"{team.code} Les Hydrogènes"
    assert sorted(archive.namelist()) == sorted([f"{folder}/fiche.txt",
                                                 f"{folder}/pitch.pdf", f"{folder}/photo.png"])
    assert archive.read(f"{folder}/photo.png") == samples.PNG
    sheet = archive.read(f"{folder}/fiche.txt").decode()
    assert "Hy-Bus" in sheet and "Léa Moreau" in sheet


def test_a_challenge_of_another_edition_has_no_zip(as_user, db, edition, organizer):
    old = factories.edition(phase="closed", current=False)
    elsewhere = factories.challenge(old)
    response = as_user(organizer).get(
        f"/organizer/submissions/challenges/{elsewhere.id}/deliverables.zip")
    assert response.status_code == 404


def test_the_organiser_reads_a_teams_submission_and_history(as_user, db, team, lea, hugo,
                                                            organizer):
    save(as_user(lea), team, title="Hy-Bus", files=[("a.pdf", samples.PDF)])
    save(as_user(hugo), team, base_version=1, title="Hy-Bus v2")
    client = as_user(organizer)
    page = client.get(f"/organizer/submissions/teams/{team.id}")
    assert "Hy-Bus v2" in text(page) and says(page, "Version %(n)d", n=1)
    [row] = db.session.scalars(sa.select(SubmissionFile))
    assert client.get(f"/team/files/{row.id}").status_code == 200
