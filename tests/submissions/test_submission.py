"""Saving a submission: each save is a version (who, when, what changed), files are
checked by content and stored under random names, served only to those allowed."""

from __future__ import annotations

import hashlib

import sqlalchemy as sa

from crunchtime.files import storage
from crunchtime.models import AuditEvent, Submission, SubmissionFile
from tests.challenges import samples
from tests.helpers import says, text
from tests.team_world import counts, post_action, save, submission_path, versions


def test_a_member_saves_the_first_version_with_texts_and_links(as_user, db, team, lea):
    client = as_user(lea)
    response = save(client, team, title="Hy-Bus", pitch="Le bus qui roule à l'eau",
                    problem="Les bus polluent.", repository="https://github.com/hy-bus/app")
    assert response.status_code == 302
    [version] = versions(team)
    assert (version.number, version.author_id, version.title) == (1, lea.id, "Hy-Bus")
    assert version.links == {"repository": "https://github.com/hy-bus/app"}
    assert set(version.changed_fields) == {"title", "pitch", "problem", "repository"}
    page = client.get(submission_path(team))
    assert says(page, "Version %(n)d saved.", n=1)
    assert "Hy-Bus" in text(page)


def test_a_teammate_edit_is_a_second_version_naming_what_changed(as_user, db, team, lea, hugo):
    save(as_user(lea), team, title="Hy-Bus", pitch="Pitch")
    response = save(as_user(hugo), team, base_version=1, title="Hy-Bus", pitch="Un meilleur pitch")
    assert response.status_code == 302
    _first, second = versions(team)
    assert (second.number, second.author_id, second.changed_fields) == (2, hugo.id, ["pitch"])
    history = as_user(lea).get(f"/team/{team.id}/submission/history")
    assert "Hugo" in text(history) and says(history, "Version %(n)d", n=2)


def test_saving_without_a_change_adds_no_version(as_user, db, team, lea):
    client = as_user(lea)
    save(client, team, title="Hy-Bus")
    response = save(client, team, base_version=1, title="Hy-Bus")
    assert response.status_code == 302 and len(versions(team)) == 1
    assert says(client.get(submission_path(team)), "Nothing to save: nothing has changed.")


def test_a_pdf_and_an_image_are_stored_by_content_with_their_checksum(app, as_user, db, team,
                                                                       lea):
    client = as_user(lea)
    response = save(client, team, title="Hy-Bus",
                    files=[("Pitch final.pdf", samples.PDF), ("maquette.png", samples.PNG)])
    assert response.status_code == 302
    [version] = versions(team)
    rows = db.session.scalars(sa.select(SubmissionFile).order_by(SubmissionFile.id)).all()
    assert [row.id for row in rows] == version.file_ids
    assert [row.original_name for row in rows] == ["Pitch final.pdf", "maquette.png"]
    assert rows[0].sha256 == hashlib.sha256(samples.PDF).hexdigest()
    assert rows[0].stored_name != "Pitch final.pdf" and len(rows[0].stored_name) == 32
    assert storage.stored_path(rows[1].stored_name).read_bytes() == samples.PNG
    assert "files" in version.changed_fields


def test_members_download_images_inline_and_slides_as_attachments(as_user, db, team, lea, hugo):
    save(as_user(lea), team, title="Hy-Bus",
         files=[("maquette.png", samples.PNG), ("pitch.pptx", samples.PPTX)])
    image, slides = db.session.scalars(sa.select(SubmissionFile).order_by(SubmissionFile.id))
    client = as_user(hugo)
    shown = client.get(f"/team/files/{image.id}")
    assert shown.status_code == 200 and shown.data == samples.PNG
    assert shown.headers["Content-Disposition"].startswith("inline;")
    assert shown.headers["X-Content-Type-Options"] == "nosniff"
    downloaded = client.get(f"/team/files/{slides.id}")
    assert downloaded.headers["Content-Disposition"].startswith("attachment;")


def test_a_student_of_another_team_can_neither_save_nor_download(as_user, db, team, lea,
                                                                  outsider):
    save(as_user(lea), team, title="Hy-Bus", files=[("plan.pdf", samples.PDF)])
    before = counts()
    intruder = as_user(outsider)
    assert save(intruder, team, base_version=1, title="Volé").status_code == 403
    assert counts() == before and versions(team)[-1].title == "Hy-Bus"
    [row] = db.session.scalars(sa.select(SubmissionFile))
    assert intruder.get(f"/team/files/{row.id}").status_code == 403
    assert intruder.get(submission_path(team)).status_code == 403
    assert intruder.get(f"/team/{team.id}").status_code == 403


def test_a_javascript_link_is_refused_on_its_field_and_nothing_is_written(as_user, db, team,
                                                                          lea):
    client = as_user(lea)
    response = save(client, team, title="Hy-Bus", demo="javascript:alert(document.cookie)")
    assert response.status_code == 200
    assert says(response, "Only web addresses starting with http:// or https:// are accepted.")
    assert 'aria-invalid="true"' in text(response) and counts() == (0, 0, 0)


def test_handing_in_marks_the_submission_and_is_audited(as_user, db, team, lea):
    client = as_user(lea)
    save(client, team, title="Hy-Bus", pitch="Le bus à l'eau")
    response = post_action(client, f"/team/{team.id}/submission/hand-in")
    assert response.status_code == 302
    submission = db.session.scalar(sa.select(Submission))
    assert submission.submitted_at is not None
    assert db.session.scalar(sa.select(AuditEvent.action).where(
        AuditEvent.action == "submission.hand_in"))


def test_handing_in_needs_a_title_and_a_pitch(as_user, db, team, lea):
    client = as_user(lea)
    save(client, team, title="Hy-Bus")
    post_action(client, f"/team/{team.id}/submission/hand-in")
    assert db.session.scalar(sa.select(Submission.submitted_at)) is None
    assert says(client.get(submission_path(team)),
                "Give the project a title and a one-line pitch before handing it in.")


def test_an_older_version_is_restored_as_a_new_one(as_user, db, team, lea, hugo):
    save(as_user(lea), team, title="Première idée", files=[("a.pdf", samples.PDF)])
    save(as_user(hugo), team, base_version=1, title="Seconde idée")
    response = post_action(as_user(lea), f"/team/{team.id}/submission/versions/1/restore",
                           {"base_version": "2"})
    assert response.status_code == 302
    restored = versions(team)[-1]
    assert (restored.number, restored.title, restored.restored_from) == (3, "Première idée", 1)


def test_a_removed_file_is_gone_for_good_and_its_url_answers_404(app, as_user, db, team, lea):
    client = as_user(lea)
    save(client, team, title="Hy-Bus", files=[("a.pdf", samples.PDF), ("b.png", samples.PNG)])
    pdf, png = db.session.scalars(sa.select(SubmissionFile).order_by(SubmissionFile.id))
    response = post_action(client, f"/team/{team.id}/files/{pdf.id}/delete")
    assert response.status_code == 302
    latest = versions(team)[-1]
    assert latest.file_ids == [png.id] and latest.changed_fields == ["files"]
    assert not storage.stored_path(pdf.stored_name).exists()
    assert client.get(f"/team/files/{pdf.id}").status_code == 404
    assert post_action(client, f"/team/{team.id}/files/{pdf.id}/delete").status_code == 404


def test_the_version_page_shows_an_old_version_with_deleted_files_marked(as_user, db, team,
                                                                          lea):
    client = as_user(lea)
    save(client, team, title="Hy-Bus", files=[("a.pdf", samples.PDF)])
    [pdf] = db.session.scalars(sa.select(SubmissionFile))
    post_action(client, f"/team/{team.id}/files/{pdf.id}/delete")
    page = client.get(f"/team/{team.id}/submission/versions/1")
    assert page.status_code == 200 and says(page, "deleted since")
    assert client.get(f"/team/{team.id}/submission/versions/9").status_code == 404


def test_restoring_from_an_outdated_page_is_refused(as_user, db, team, lea, hugo):
    save(as_user(lea), team, title="Première idée")
    save(as_user(hugo), team, base_version=1, title="Seconde idée")
    save(as_user(hugo), team, base_version=2, title="Troisième idée")
    client = as_user(lea)
    post_action(client, f"/team/{team.id}/submission/versions/1/restore", {"base_version": "2"})
    assert versions(team)[-1].title == "Troisième idée" and len(versions(team)) == 3
    assert says(client.get(f"/team/{team.id}/submission/versions/1"),
                "The submission changed since you opened this page (it is now at version "
                "%(n)d): look at the latest version before restoring an older one.", n=3)
