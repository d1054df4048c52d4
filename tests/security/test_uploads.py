"""Zip bombs sent as documents: an OpenDocument whose `mimetype` member unpacks to hundreds
of megabytes, an Office file likewise, an archive of tens of thousands of members and one
that misstates its sizes. Each is refused with a message saying why, before anything is
written, in bounded memory and time, by the sniffer and by a team's real submission form;
ordinary documents still pass."""

from __future__ import annotations

import io
import random
import struct
import time
import tracemalloc
import zlib
from dataclasses import dataclass

import pytest
from werkzeug.test import EnvironBuilder

from crunchtime.files import sniff as sniffing
from crunchtime.files.sniff import RefusedFile, sniff
from tests import team_world
from tests.challenges import samples
from tests.helpers import csrf_token, fr, says
from tests.team_world import FIELDS, counts, files_on_disk, submission_path, versions

# The team world's fixtures (tests/team_world.py): a building edition whose deadline is in
# two days, a challenge of a company, a team of two students (Léa and Hugo).
edition, company, challenge = team_world.edition, team_world.company, team_world.challenge
lea, hugo, team = team_world.lea, team_world.hugo, team_world.team

MB = 1024 * 1024
PEAK_LIMIT = 20 * MB
SECONDS_LIMIT = 5
BOMB_UNPACKED = 400 * MB
ODT_TYPE = b"application/vnd.oasis.opendocument.text"
ODP_TYPE = b"application/vnd.oasis.opendocument.presentation"
BOMB_MESSAGE = ("This document would unpack to far more than its own size, or misstates its "
                "sizes (a “zip bomb”): it is refused.")
PARTS_MESSAGE = ("This document is made of too many parts (at most %(n)d are accepted): it is "
                 "refused.")


@dataclass
class Member:
    """One member as written: its packed bytes, and the sizes the archive declares."""

    name: str
    packed: bytes
    crc: int
    size: int
    method: int = 8  # deflate; 0 stores
    declared_size: int | None = None  # a lie, when set


def raw_zip(members: list[Member]) -> bytes:
    """A zip written byte by byte (zipfile would not write a lie, nor a deflate stream it
    did not compress itself)."""
    body, directory = bytearray(), bytearray()
    for member in members:
        size = member.size if member.declared_size is None else member.declared_size
        name, offset = member.name.encode(), len(body)
        body += struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, member.method, 0, 0x21,
                            member.crc, len(member.packed), size, len(name), 0)
        body += name + member.packed
        directory += struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, member.method, 0,
                                 0x21, member.crc, len(member.packed), size, len(name), 0, 0,
                                 0, 0, 0, offset) + name
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(members), len(members),
                      len(directory), len(body), 0)
    return bytes(body + directory + end)


def packed(name: str, data: bytes, method: int = 8) -> Member:
    if method == 8:
        compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
        return Member(name, compressor.compress(data) + compressor.flush(), zlib.crc32(data),
                      len(data))
    return Member(name, data, zlib.crc32(data), len(data), method)


def spaces(name: str, head: bytes, unpacked: int) -> Member:
    """`head` then `unpacked` bytes of spaces, deflated about 1,000 to 1 (the format's
    best): 400 MB take 0.4 MB. Each megabyte is flushed fully, so its deflated bytes are the
    same every time and are computed once."""
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    chunk = b" " * MB
    first = compressor.compress(head) + compressor.flush(zlib.Z_FULL_FLUSH)
    middle = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    crc = zlib.crc32(head)
    for _ in range(unpacked // MB):
        crc = zlib.crc32(chunk, crc)
    data = first + middle * (unpacked // MB) + compressor.flush()
    return Member(name, data, crc, len(head) + unpacked // MB * MB)


def odf_bomb(mimetype: bytes = ODT_TYPE) -> bytes:
    """An OpenDocument whose `mimetype` member is its type, then 400 MB of spaces (which the
    old check unpacked whole, then stripped: it took the bomb for a valid document)."""
    return raw_zip([spaces("mimetype", mimetype, BOMB_UNPACKED),
                    packed("content.xml", b"<office:document/>")])


def ooxml_bomb() -> bytes:
    return raw_zip([packed("[Content_Types].xml", samples.CONTENT_TYPES),
                    spaces("ppt/presentation.xml", b"<p:presentation>", BOMB_UNPACKED)])


def many_members(count: int = 60_000) -> bytes:
    """A slide deck of `count` empty members: zipfile would build an object for each."""
    return raw_zip([packed("[Content_Types].xml", samples.CONTENT_TYPES),
                    packed("ppt/presentation.xml", b"<p/>")]
                   + [packed(f"ppt/m/{number}", b"", 0) for number in range(count)])


def lying_size(mimetype: bytes = ODT_TYPE) -> bytes:
    """The directory says `mimetype` unpacks to its 39 bytes; its data unpacks to 400 MB."""
    member = spaces("mimetype", mimetype, BOMB_UNPACKED)
    member.declared_size = len(mimetype)
    return raw_zip([member, packed("content.xml", b"<office:document/>")])


def prose(size: int, seed: int = 7) -> bytes:
    """XML-like text that deflates about 3 to 1, as a long document's does."""
    rng = random.Random(seed)
    words = [b"hydrog\xc3\xa8ne", b"bus", b"usagers", b"<w:t>", b"</w:t>", b"prototype",
             b"Belfort", b"test", b"station", b"<w:p/>", b"\xc3\xa9nergie", b"ligne"]
    out = bytearray()
    while len(out) < size:
        out += rng.choice(words) + b" " + str(rng.randrange(10_000)).encode() + b" "
    return bytes(out[:size])


def real_odt() -> bytes:
    """As LibreOffice writes one: `mimetype` first and stored, then deflated XML and media."""
    return raw_zip([packed("mimetype", ODT_TYPE, 0),
                    packed("content.xml", prose(2 * MB)),
                    packed("styles.xml", prose(40_000, seed=8)),
                    packed("Pictures/photo.png", samples.PNG + bytes(range(256)) * 400, 0),
                    packed("META-INF/manifest.xml", b"<manifest:manifest/>")])


def real_docx() -> bytes:
    members = [packed("[Content_Types].xml", samples.CONTENT_TYPES),
               packed("word/document.xml", prose(3 * MB)),
               packed("word/styles.xml", prose(60_000, seed=3))]
    members += [packed(f"word/media/image{number}.png", samples.PNG + bytes(2000), 0)
                for number in range(300)]
    return raw_zip(members)


def measured(action):
    """(result or RefusedFile, peak traced bytes, seconds) of `action()`."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        outcome = action()
    except RefusedFile as refused:
        outcome = refused
    finally:
        seconds = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return outcome, peak, seconds


BOMBS = {
    "odt whose mimetype unpacks to 400 MB": (odf_bomb, sniffing.ARCHIVE_BOMB),
    "pptx whose slide unpacks to 400 MB": (ooxml_bomb, sniffing.ARCHIVE_BOMB),
    "pptx of 60,000 members": (many_members, sniffing.ARCHIVE_PARTS),
    "odt whose mimetype says 39 bytes and unpacks to 400 MB": (lying_size,
                                                               sniffing.ARCHIVE_BOMB),
}


@pytest.mark.parametrize("label", list(BOMBS))
def test_the_sniffer_refuses_each_bomb_in_bounded_memory_and_time(label):
    build, reason = BOMBS[label]
    content = build()
    assert len(content) < 6 * MB
    outcome, peak, seconds = measured(lambda: sniff(content, "", None))
    assert isinstance(outcome, RefusedFile), f"{label} was taken for {outcome}"
    assert outcome.reason == reason
    assert peak < PEAK_LIMIT and seconds < SECONDS_LIMIT


def test_members_beyond_the_limit_are_refused_even_when_their_list_is_small():
    content = many_members(sniffing.MAX_ARCHIVE_MEMBERS + 1)
    outcome, peak, _seconds = measured(lambda: sniff(content, "pitch.pptx"))
    assert isinstance(outcome, RefusedFile) and outcome.reason == sniffing.ARCHIVE_PARTS
    assert peak < PEAK_LIMIT
    assert sniff(many_members(sniffing.MAX_ARCHIVE_MEMBERS - 2), "pitch.pptx").key == "pptx"


@pytest.mark.parametrize(("build", "name", "key"), [
    (real_odt, "rapport.odt", "odt"),
    (real_docx, "rapport.docx", "docx"),
    (lambda: samples.ODP, "pitch.odp", "odp"),
    (lambda: samples.PPTX, "pitch.pptx", "pptx"),
    (lambda: samples.big_pdf(3 * MB), "rapport.pdf", "pdf"),
])
def test_ordinary_documents_still_pass(build, name, key):
    content = build()
    kind, peak, seconds = measured(lambda: sniff(content, name))
    assert not isinstance(kind, RefusedFile), kind
    assert kind.key == key
    assert peak < PEAK_LIMIT and seconds < SECONDS_LIMIT


def encoded_save(client, team, name: str, content: bytes) -> tuple[bytes, str]:
    """The submission form with one file, encoded as the browser sends it (outside the
    measured time and memory)."""
    data = {field: "" for field in FIELDS}
    data.update(title="Hy-Bus", base_version="0", csrf_token=csrf_token(client, "/privacy"),
                files=[(io.BytesIO(content), name)])
    builder = EnvironBuilder(path=submission_path(team), method="POST", data=data)
    try:
        environ = builder.get_environ()
        return environ["wsgi.input"].read(), environ["CONTENT_TYPE"]
    finally:
        builder.close()


def in_french(msgid: str) -> str:
    return fr(msgid, n=sniffing.MAX_ARCHIVE_MEMBERS)


BOMB_UPLOADS = {
    "odt bomb": (lambda: odf_bomb(), "rapport.odt", BOMB_MESSAGE),
    "odp bomb": (lambda: odf_bomb(ODP_TYPE), "pitch.odp", BOMB_MESSAGE),
    "pptx bomb": (ooxml_bomb, "pitch.pptx", BOMB_MESSAGE),
    "pptx of 60,000 members": (many_members, "pitch.pptx", PARTS_MESSAGE),
    "odp lying about its size": (lambda: lying_size(ODP_TYPE), "pitch.odp", BOMB_MESSAGE),
}


@pytest.mark.parametrize("label", list(BOMB_UPLOADS))
def test_a_bomb_saved_with_the_submission_is_refused_and_nothing_is_written(
    app, as_user, db, team, lea, label
):
    build, name, message = BOMB_UPLOADS[label]
    client = as_user(lea)
    body, content_type = encoded_save(client, team, name, build())
    before = files_on_disk(app)
    response, peak, seconds = measured(lambda: client.post(
        submission_path(team), input_stream=io.BytesIO(body), content_type=content_type,
        content_length=len(body)))
    assert response.status_code == 200
    assert says(response, "“%(name)s”: %(reason)s", name=name,
                reason=in_french(message))
    assert counts() == (0, 0, 0) and files_on_disk(app) == before
    assert peak < PEAK_LIMIT and seconds < SECONDS_LIMIT


@pytest.mark.parametrize(("build", "name"), [
    (lambda: samples.big_pdf(3 * MB), "rapport.pdf"),
    (lambda: samples.PPTX, "pitch.pptx"),
    (lambda: raw_zip([packed("mimetype", ODP_TYPE, 0), packed("content.xml", prose(MB))]),
     "pitch.odp"),
])
def test_an_ordinary_document_is_still_saved(app, as_user, db, team, lea, build, name):
    client = as_user(lea)
    body, content_type = encoded_save(client, team, name, build())
    on_disk = files_on_disk(app)
    response = client.post(submission_path(team), input_stream=io.BytesIO(body),
                           content_type=content_type, content_length=len(body))
    assert response.status_code == 302
    [version] = versions(team)
    assert version.changed_fields[-1] == "files"
    assert len(files_on_disk(app)) == len(on_disk) + 1
