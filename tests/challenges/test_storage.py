"""Stored uploads: random names, size limit while streaming, checksum, safe names, serving."""

from __future__ import annotations

import hashlib
import io
import re
from pathlib import Path

import pytest

from crunchtime.files import storage
from crunchtime.files.serving import send_stored_file
from crunchtime.files.sniff import PDF_AND_IMAGES
from crunchtime.files.storage import FileRefused, FileTooLarge
from tests.challenges import samples


def files_on_disk(app) -> list[Path]:
    return [path for path in Path(app.config["UPLOAD_DIR"]).rglob("*") if path.is_file()]


def test_an_upload_gets_a_random_hex_name_never_the_senders(app, db):
    first = storage.save_upload(io.BytesIO(samples.PDF), "../../etc/passwd.pdf",
                                max_bytes=10_000)
    second = storage.save_upload(io.BytesIO(samples.PDF), "../../etc/passwd.pdf",
                                 max_bytes=10_000)
    assert re.fullmatch(r"[0-9a-f]{32}", first.stored_name)
    assert first.stored_name != second.stored_name
    path = storage.stored_path(first.stored_name)
    assert path.read_bytes() == samples.PDF
    assert path.is_relative_to(Path(app.config["UPLOAD_DIR"]))
    assert "passwd" not in str(path)
    assert first.display_name == "passwd.pdf"


def test_an_upload_records_its_size_sha256_and_real_type(app, db):
    stored = storage.save_upload(io.BytesIO(samples.PNG), "Schéma.png", max_bytes=10_000,
                                 allowed=PDF_AND_IMAGES)
    assert stored.size == len(samples.PNG)
    assert stored.sha256 == hashlib.sha256(samples.PNG).hexdigest()
    assert stored.content_type == "image/png"


def test_an_upload_over_the_limit_is_refused_and_leaves_nothing(app, db):
    before = files_on_disk(app)
    with pytest.raises(FileTooLarge) as caught:
        storage.save_upload(io.BytesIO(samples.big_pdf(3 * 1024 * 1024)), "gros.pdf",
                            max_bytes=2 * 1024 * 1024)
    assert caught.value.status == 413
    assert "2" in caught.value.message
    assert files_on_disk(app) == before


def test_a_refused_content_leaves_nothing_and_says_why(app, db):
    before = files_on_disk(app)
    with pytest.raises(FileRefused) as caught:
        storage.save_upload(io.BytesIO(samples.EXE), "rapport.pdf", max_bytes=10_000,
                            allowed=PDF_AND_IMAGES)
    assert caught.value.details["field"] == "file"
    assert files_on_disk(app) == before


@pytest.mark.parametrize(("original", "shown"), [
    ("C:\\Users\\léa\\Plan énergie.pdf", "Plan énergie.pdf"),
    ("rapport\x00\x1b[31m.pdf", "rapport[31m.pdf"),
    ("   ", "file.pdf"),
    ("sans extension", "sans extension.pdf"),
    ("é" * 300 + ".pdf", "é" * 196 + ".pdf"),
])
def test_the_display_name_keeps_accents_but_no_folders_or_control_characters(
    app, db, original, shown
):
    from crunchtime.files.sniff import KINDS

    assert storage.display_name(original, KINDS["pdf"]) == shown


def test_stored_paths_accept_only_our_random_names(app, db):
    for name in ("../secret", "a" * 32 + "/..", "ABCDEF" * 6, ""):
        with pytest.raises(ValueError):
            storage.stored_path(name)


def test_deleting_removes_the_file_and_is_idempotent(app, db):
    stored = storage.save_upload(io.BytesIO(samples.PDF), "a.pdf", max_bytes=10_000)
    storage.delete_stored(stored.stored_name)
    storage.delete_stored(stored.stored_name)
    assert not storage.stored_path(stored.stored_name).exists()


def test_a_document_is_sent_as_a_download_with_a_safe_and_an_exact_name(app, db):
    stored = storage.save_upload(io.BytesIO(samples.PPTX), "Présentation finale.pptx",
                                 max_bytes=10_000)
    with app.test_request_context():
        response = send_stored_file(stored.stored_name, stored.content_type, stored.display_name)
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename=Presentation_finale.pptx" in disposition
    assert "filename*=UTF-8''Pr%C3%A9sentation%20finale.pptx" in disposition
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.mimetype == stored.content_type
    response.close()


def test_a_pdf_is_shown_inline_and_an_unknown_type_is_an_octet_stream_download(app, db):
    stored = storage.save_upload(io.BytesIO(samples.PDF), "sujet.pdf", max_bytes=10_000)
    with app.test_request_context():
        pdf = send_stored_file(stored.stored_name, "application/pdf", "sujet.pdf")
        other = send_stored_file(stored.stored_name, "text/html", "page.html")
    assert pdf.headers["Content-Disposition"].startswith("inline;")
    assert pdf.mimetype == "application/pdf"
    assert other.headers["Content-Disposition"].startswith("attachment;")
    assert other.mimetype == "application/octet-stream"
    pdf.close()
    other.close()


def test_a_file_missing_on_disk_answers_404(app, db):
    from werkzeug.exceptions import NotFound

    with app.test_request_context(), pytest.raises(NotFound):
        send_stored_file("0" * 32, "application/pdf", "x.pdf")
