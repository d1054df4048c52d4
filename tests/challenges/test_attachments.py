"""Attachments of a challenge: checked by content and size, served only to those allowed."""

from __future__ import annotations

import hashlib

import pytest
import sqlalchemy as sa

from crunchtime.files import storage
from crunchtime.models import AuditEvent, ChallengeAttachment
from tests import factories
from tests.challenges import samples
from tests.challenges.conftest import make_challenge, post, set_phase, upload
from tests.conftest import log_in
from tests.helpers import says


def attachments(db) -> list[ChallengeAttachment]:
    return db.session.scalars(sa.select(ChallengeAttachment).order_by(ChallengeAttachment.id)).all()


@pytest.fixture
def draft(db, edition, organisation):
    return make_challenge(edition, organisation, status="draft", title="Défi avec pièces")


def test_a_pdf_is_stored_under_a_random_name_with_its_checksum(
    client, db, company_user, draft, login
):
    login(company_user)
    response = upload(client, draft, samples.PDF, "Cahier des charges.pdf")
    assert response.status_code == 302
    [attachment] = attachments(db)
    assert attachment.original_name == "Cahier des charges.pdf"
    assert attachment.content_type == "application/pdf"
    assert attachment.sha256 == hashlib.sha256(samples.PDF).hexdigest()
    assert storage.stored_path(attachment.stored_name).read_bytes() == samples.PDF
    assert db.session.scalar(sa.select(AuditEvent.action).where(
        AuditEvent.action == "challenge.attachment_add"))


def test_the_owner_downloads_it_inline_with_its_type_and_nosniff(
    client, db, company_user, draft, login
):
    login(company_user)
    upload(client, draft, samples.PNG, "schéma.png")
    [attachment] = attachments(db)
    response = client.get(f"/challenges/attachments/{attachment.id}")
    assert response.status_code == 200 and response.data == samples.PNG
    assert response.mimetype == "image/png"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Disposition"].startswith("inline;")
    assert "sch%C3%A9ma.png" in response.headers["Content-Disposition"]


@pytest.mark.parametrize(("content", "name", "msgid"), [
    (samples.PLAIN_ZIP, "sujet.pdf",
     "This file's content is not a type we accept. Accepted: %(types)s."),
    (samples.EXE, "sujet.pdf", "Programs and scripts are not accepted."),
    (samples.SVG, "logo.svg", "Web pages, SVG and other markup files are not accepted."),
    (samples.HTML, "sujet.pdf", "Web pages, SVG and other markup files are not accepted."),
    (samples.PPTX, "pitch.pptx", "This type of file is not accepted here. Accepted: %(types)s."),
    (samples.PNG, "photo.pdf",
     "The file name's extension does not match its content (which is %(kind)s)."),
])
def test_a_file_that_is_not_what_it_claims_is_refused(
    client, db, company_user, draft, login, content, name, msgid
):
    login(company_user)
    response = upload(client, draft, content, name)
    assert response.status_code == 200
    assert says(response, msgid, types="GIF, JPG, PDF, PNG, WEBP", kind="PNG")
    assert attachments(db) == []


def test_an_upload_over_the_limit_gets_a_413_page_stating_it(
    make_app, db, company_user, draft
):
    small = make_app(CHALLENGE_ATTACHMENT_MAX_MB=1)
    client = small.test_client()
    log_in(client, company_user)
    response = upload(client, draft, samples.big_pdf(1024 * 1024 + 10), "gros.pdf")
    assert response.status_code == 413
    assert says(response, "The file is too large: the limit is %(mb)d MB per file.", mb=1)
    assert attachments(db) == []


def test_the_default_limit_is_ten_megabytes(client, db, company_user, draft, login):
    login(company_user)
    response = upload(client, draft, samples.big_pdf(10 * 1024 * 1024 + 1), "gros.pdf")
    assert response.status_code == 413
    assert says(response, "The file is too large: the limit is %(mb)d MB per file.", mb=10)


def test_a_challenge_holds_at_most_five_attachments(client, db, company_user, draft, login):
    login(company_user)
    for n in range(5):
        assert upload(client, draft, samples.PDF, f"annexe-{n}.pdf").status_code == 302
    response = upload(client, draft, samples.PDF, "une-de-trop.pdf")
    assert response.status_code == 200
    assert says(response, "A challenge can have at most %(n)d attachments.", n=5)
    assert len(attachments(db)) == 5


def test_a_submitted_challenge_takes_no_new_attachment(
    client, db, edition, organisation, company_user, login
):
    submitted = make_challenge(edition, organisation, status="submitted")
    login(company_user)
    assert upload(client, submitted, samples.PDF, "tard.pdf").status_code == 409
    assert attachments(db) == []


def test_removing_an_attachment_deletes_the_row_and_the_file(
    client, db, company_user, draft, login
):
    login(company_user)
    upload(client, draft, samples.PDF, "a.pdf")
    [attachment] = attachments(db)
    path = storage.stored_path(attachment.stored_name)
    response = post(client, f"/company/challenges/{draft.id}/attachments/{attachment.id}/delete")
    assert response.status_code == 302
    assert attachments(db) == [] and not path.exists()


def test_another_company_cannot_upload_remove_or_download(
    client, db, company_user, other_company, draft, login
):
    login(company_user)
    upload(client, draft, samples.PDF, "a.pdf")
    [attachment] = attachments(db)
    login(other_company)
    assert upload(client, draft, samples.PDF, "b.pdf").status_code == 403
    assert post(client, f"/company/challenges/{draft.id}/attachments/{attachment.id}/delete"
                ).status_code == 403
    assert client.get(f"/challenges/attachments/{attachment.id}").status_code == 403
    assert len(attachments(db)) == 1
    denied = db.session.scalars(sa.select(AuditEvent).where(
        AuditEvent.action == "access.denied").order_by(AuditEvent.id)).all()
    assert [e.details["purpose"] for e in denied] == ["attach", "detach", "attachment"]
    assert {e.actor_id for e in denied} == {other_company.id}


def stored_attachment(db, challenge) -> ChallengeAttachment:
    import io

    stored = storage.save_upload(io.BytesIO(samples.PDF), "sujet.pdf", max_bytes=10_000)
    attachment = ChallengeAttachment(
        stored_name=stored.stored_name, original_name=stored.display_name,
        content_type=stored.content_type, size=stored.size, sha256=stored.sha256)
    challenge.attachments.append(attachment)
    db.session.commit()
    return attachment


def test_students_download_only_once_the_approved_challenge_is_in_their_catalogue(
    client, db, edition, student, login
):
    approved = stored_attachment(db, make_challenge(edition, status="approved"))
    draft = stored_attachment(db, make_challenge(edition, status="submitted"))
    login(student)
    assert client.get(f"/challenges/attachments/{approved.id}").status_code == 404
    set_phase(edition, "preferences")
    assert client.get(f"/challenges/attachments/{approved.id}").status_code == 200
    assert client.get(f"/challenges/attachments/{draft.id}").status_code == 404


def test_juries_download_approved_ones_and_organisers_all(
    client, db, edition, jury, organizer, login
):
    approved = stored_attachment(db, make_challenge(edition, status="approved"))
    draft = stored_attachment(db, make_challenge(edition, status="draft"))
    login(jury)
    assert client.get(f"/challenges/attachments/{approved.id}").status_code == 200
    assert client.get(f"/challenges/attachments/{draft.id}").status_code == 404
    login(organizer)
    assert client.get(f"/challenges/attachments/{draft.id}").status_code == 200


def test_an_approved_challenge_of_a_past_edition_is_not_served_to_students(
    client, db, edition, student, login
):
    old = stored_attachment(db, make_challenge(factories.edition(current=False)))
    set_phase(edition, "preferences")
    assert login(student).get(f"/challenges/attachments/{old.id}").status_code == 404


def test_visitors_are_sent_to_the_login_page(client, db, edition):
    attachment = stored_attachment(db, make_challenge(edition))
    response = client.get(f"/challenges/attachments/{attachment.id}")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
