"""The sniffer judges files by their bytes alone (pure: no app needed)."""

from __future__ import annotations

import io
import zipfile

import pytest

from crunchtime.files import sniff as sniffing
from crunchtime.files.sniff import KINDS, PDF_AND_IMAGES, RefusedFile, detect_kind, sniff
from tests.challenges import samples


@pytest.mark.parametrize(("content", "name", "key", "mime"), [
    (samples.PDF, "sujet.pdf", "pdf", "application/pdf"),
    (samples.PNG, "schéma.png", "png", "image/png"),
    (samples.JPEG, "photo.jpg", "jpeg", "image/jpeg"),
    (samples.JPEG, "photo.JPEG", "jpeg", "image/jpeg"),
    (samples.GIF, "anim.gif", "gif", "image/gif"),
    (samples.WEBP, "image.webp", "webp", "image/webp"),
    (samples.MP4, "demo.mp4", "mp4", "video/mp4"),
    (samples.MOV, "demo.mov", "mov", "video/quicktime"),
    (samples.PPTX, "pitch.pptx", "pptx",
     "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    (samples.DOCX, "rapport.docx", "docx",
     "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    (samples.ODP, "pitch.odp", "odp", "application/vnd.oasis.opendocument.presentation"),
])
def test_known_content_is_recognised_with_the_mime_type_to_serve(content, name, key, mime):
    kind = sniff(content, name)
    assert (kind.key, kind.mime) == (key, mime)


def test_a_name_without_extension_is_judged_by_content_alone():
    assert sniff(samples.PDF, "sujet").key == "pdf"


def test_images_and_pdf_are_shown_inline_other_kinds_are_downloaded():
    assert sniff(samples.PDF).inline and sniff(samples.PNG).inline
    assert not sniff(samples.PPTX).inline and not sniff(samples.MP4).inline


def test_a_seekable_stream_is_read_and_rewound():
    stream = io.BytesIO(samples.PPTX)
    stream.read(10)
    assert detect_kind(stream).key == "pptx"
    assert stream.tell() == 0


def refusal(content: bytes, name: str = "", allowed=None) -> str:
    with pytest.raises(RefusedFile) as caught:
        sniff(content, name, allowed)
    return caught.value.reason


@pytest.mark.parametrize(("content", "name"), [
    (samples.EXE, "rapport.pdf"),
    (samples.EXE, "setup.exe"),
    (samples.ELF, "outil"),
    (samples.SHEBANG, "script.sh"),
    (samples.SHEBANG, "photo.png"),
])
def test_programs_are_refused_whatever_their_name(content, name):
    assert refusal(content, name) == sniffing.EXECUTABLE


@pytest.mark.parametrize(("content", "name"), [
    (samples.HTML, "page.html"),
    (samples.HTML, "sujet.pdf"),
    (samples.SVG, "logo.svg"),
    (samples.SVG, "logo.png"),
    (samples.TEXT_WITH_SCRIPT, "notes.txt"),
])
def test_html_svg_and_scripted_markup_are_refused(content, name):
    assert refusal(content, name) == sniffing.MARKUP


def test_a_zip_pretending_to_be_a_pdf_is_refused():
    assert refusal(samples.PLAIN_ZIP, "sujet.pdf") == sniffing.UNKNOWN


def test_an_office_file_with_macros_is_refused():
    assert refusal(samples.PPTM, "pitch.pptx") == sniffing.MACROS


@pytest.mark.parametrize(("content", "name", "detected"), [
    (samples.PNG, "photo.jpg", "png"),
    (samples.PDF, "rapport.docx", "pdf"),
    (samples.PPTX, "sujet.pdf", "pptx"),
    (samples.PDF, "sujet.pdf.exe", "pdf"),
])
def test_an_extension_contradicting_the_content_is_refused(content, name, detected):
    with pytest.raises(RefusedFile) as caught:
        sniff(content, name)
    assert caught.value.reason == sniffing.MISMATCH
    assert caught.value.detected.key == detected


@pytest.mark.parametrize("content", [samples.PLAIN_TEXT, samples.HEIC, b"\0\0\0\0garbage"])
def test_unknown_content_is_refused(content):
    assert refusal(content) == sniffing.UNKNOWN


def test_an_empty_file_is_refused():
    assert refusal(b"", "vide.pdf") == sniffing.EMPTY


def test_a_known_kind_outside_the_allowed_ones_is_refused():
    assert refusal(samples.MP4, "demo.mp4", PDF_AND_IMAGES) == sniffing.NOT_ALLOWED
    assert sniff(samples.WEBP, "x.webp", PDF_AND_IMAGES).key == "webp"


def zipped_with(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def slides(xml: bytes, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    return zipped_with({"[Content_Types].xml": samples.CONTENT_TYPES,
                        "ppt/presentation.xml": xml}, compression)


def test_a_small_member_may_be_packed_tightly_but_not_a_large_one():
    assert sniff(slides(b" " * 500_000), "pitch.pptx").key == "pptx"  # about 500 to 1
    assert refusal(slides(b" " * 2_000_000), "pitch.pptx") == sniffing.ARCHIVE_BOMB


def test_members_packed_otherwise_than_stored_or_deflated_are_refused():
    assert refusal(slides(b"<p/>", zipfile.ZIP_BZIP2), "pitch.pptx") == sniffing.UNKNOWN
    assert sniff(slides(b"<p/>", zipfile.ZIP_STORED), "pitch.pptx").key == "pptx"


def test_a_mimetype_longer_than_any_opendocument_type_is_refused_unread():
    odp = zipped_with({"mimetype": KINDS["odp"].mime.encode() + b" " * 200,
                       "content.xml": b"<office/>"})
    assert refusal(odp, "pitch.odp") == sniffing.UNKNOWN


def test_a_damaged_archive_is_refused_as_unknown():
    assert refusal(samples.PPTX[:-30], "pitch.pptx") == sniffing.UNKNOWN
    assert refusal(samples.PPTX[:200], "pitch.pptx") == sniffing.UNKNOWN


def test_the_sniffer_imports_neither_flask_nor_the_models():
    import ast
    from pathlib import Path

    tree = ast.parse(Path(sniffing.__file__).read_text())
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                for alias in node.names}
    imported |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not {name for name in imported if name and name.split(".")[0] in ("flask",)}
    assert not {name for name in imported if name and name.startswith("crunchtime")}
