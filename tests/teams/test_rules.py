"""The pure rules of the team space: links, team names, deadlines and statuses, stage
states, and the streamed ZIP (no Flask, no database)."""

from __future__ import annotations

import ast
import io
import tracemalloc
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from crunchtime.teamwork import links, naming, status
from crunchtime.teamwork.zipstream import ZipMember, stream_zip

T = datetime(2026, 11, 20, 16, 0, tzinfo=UTC)


@pytest.mark.parametrize("link", [
    "https://github.com/hy-bus/app", "http://demo.example.fr:8080/essai?x=1#haut",
    "https://[2001:db8::1]/", "http://localhost:5000/"])
def test_web_addresses_are_kept(link):
    assert links.clean_link(f"  {link} ") == link


@pytest.mark.parametrize(("link", "reason"), [
    ("javascript:alert(1)", links.NOT_WEB), ("JaVaScRiPt:alert(1)", links.NOT_WEB),
    ("java\tscript:alert(1)", links.MALFORMED), ("data:text/html,<script>", links.NOT_WEB),
    ("ftp://example.org/f", links.NOT_WEB), ("//evil.example/x", links.NOT_WEB),
    ("https://", links.MALFORMED), ("https://exa mple.org", links.MALFORMED),
    ("https://intranet/", links.MALFORMED), ("https://" + "a" * 500 + ".fr", links.TOO_LONG),
])
def test_anything_but_an_http_address_is_refused(link, reason):
    with pytest.raises(links.BadLink) as caught:
        links.clean_link(link)
    assert caught.value.reason == reason


def test_an_empty_link_is_allowed():
    assert links.clean_link("   ") == ""


@pytest.mark.parametrize(("name", "reason"), [
    ("", naming.EMPTY), ("A", naming.TOO_SHORT), ("x" * 61, naming.TOO_LONG),
    ("Les Connards", naming.MODERATED), ("FUCK the bus", naming.MODERATED),
    ("Sal0pe", naming.MODERATED), ("Les Enculés", naming.MODERATED)])
def test_bad_team_names_are_refused(name, reason):
    with pytest.raises(naming.BadTeamName) as caught:
        naming.clean_team_name(name)
    assert caught.value.reason == reason


@pytest.mark.parametrize("name", ["Scunthorpe United", "Zéro retard", "Les Bitters",
                                  "Putainville-sur-Mer"])
def test_ordinary_names_pass_even_when_they_contain_a_moderated_word_inside(name):
    assert naming.clean_team_name(f"  {name}  ") == name


def test_the_team_deadline_is_the_later_of_the_edition_and_the_extension():
    assert status.team_deadline(T, None) == T
    assert status.team_deadline(T, T + timedelta(hours=2)) == T + timedelta(hours=2)
    assert status.team_deadline(T, T - timedelta(hours=2)) == T
    assert status.team_deadline(None, T) is None


def test_a_save_received_exactly_at_the_deadline_counts():
    assert status.accepts_edits(T, T)
    assert not status.accepts_edits(T, T + timedelta(microseconds=1))
    assert status.accepts_edits(None, T)


@pytest.mark.parametrize(("version", "submitted", "extension", "now", "expected"), [
    (0, None, None, T - timedelta(days=1), status.NONE),
    (3, None, None, T - timedelta(days=1), status.DRAFT),
    (3, None, None, T + timedelta(days=1), status.DRAFT),
    (3, T - timedelta(hours=1), None, T + timedelta(days=1), status.SUBMITTED),
    (3, None, T + timedelta(hours=3), T + timedelta(hours=1), status.EXTENDED),
    (3, T + timedelta(hours=2), T + timedelta(hours=3), T + timedelta(hours=4), status.LATE),
    (3, None, T + timedelta(hours=3), T + timedelta(hours=4), status.DRAFT),
])
def test_submission_statuses(version, submitted, extension, now, expected):
    assert status.submission_status(version, submitted, T, extension, now) == expected


@pytest.mark.parametrize(("due", "done", "expected"), [
    (T, T - timedelta(hours=1), status.STAGE_DONE), (T, T + timedelta(hours=1),
                                                     status.STAGE_DONE_LATE),
    (T - timedelta(hours=1), None, status.STAGE_BEHIND), (T + timedelta(hours=1), None,
                                                          status.STAGE_OPEN),
    (None, None, status.STAGE_OPEN), (None, T, status.STAGE_DONE)])
def test_stage_states_show_late_work_without_blocking_it(due, done, expected):
    assert status.stage_state(due, done, T) == expected


def test_the_zip_streams_in_chunks_and_unzips_to_the_same_files():
    payload = bytes(range(256)) * 8192
    members = [ZipMember("T001 Équipe/fiche.txt", T, data=b"Fiche"),
               ZipMember("T001 Équipe/pitch.pdf", T, opener=lambda: io.BytesIO(payload),
                         size=len(payload))]
    chunks = list(stream_zip(members))
    assert len(chunks) > 3 and all(chunks)
    archive = zipfile.ZipFile(io.BytesIO(b"".join(chunks)))
    assert archive.testzip() is None
    assert archive.read("T001 Équipe/pitch.pdf") == payload


def test_the_zip_memory_does_not_grow_with_the_size_of_its_files():
    def peak(size: int) -> int:
        members = [ZipMember(f"f{n}.bin", T, opener=lambda: _Zeros(size), size=size)
                   for n in range(3)]
        tracemalloc.start()
        for _chunk in stream_zip(members):
            pass
        _current, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return top

    small, large = peak(1024 * 1024), peak(16 * 1024 * 1024)
    assert large < small * 2 + 512 * 1024


class _Zeros(io.RawIOBase):
    """A file of `size` zero bytes that is never held in memory."""

    def __init__(self, size: int):
        self.left = size

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        n = self.left if n < 0 else min(n, self.left)
        self.left -= n
        return b"\0" * n


def test_the_rules_import_neither_flask_nor_the_models():
    package = Path(__file__).parents[2] / "crunchtime" / "teamwork"
    for module in package.glob("*.py"):
        tree = ast.parse(module.read_text())
        imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                    for alias in node.names}
        imported |= {node.module for node in ast.walk(tree)
                     if isinstance(node, ast.ImportFrom) and node.module}
        assert not any(name.startswith(("flask", "crunchtime.models", "sqlalchemy"))
                       for name in imported), module.name
