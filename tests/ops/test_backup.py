"""`crunchtime backup FILE` and `crunchtime restore FILE [--force]`: a backup taken while a
jury keeps scoring restores, into an empty database and upload folder, a consistent snapshot
of every table and every file; a file that is not a backup (or not of this version), or a
target that is not empty, is refused with nothing touched. Run on SQLite and PostgreSQL
(`--db postgresql`)."""

from __future__ import annotations

import hashlib
import io
import json
import os
import tarfile
import threading
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from crunchtime.extensions import db as _db
from crunchtime.models import ScoreEvent, User
from crunchtime.models.base import Base
from crunchtime.services.judging.ledger.writes import ScoreInput, record_score
from crunchtime.services.operations import words
from crunchtime.services.operations.backup import code_revisions
from tests import factories
from tests.judging.conftest import world  # noqa: F401 -- the judging world fixture

MANIFEST = "crunchtime-backup/manifest.json"


def run(app, *args):
    """The command on `app` (its own context: a command keeps the one it finds)."""
    with app.app_context():
        return app.test_cli_runner().invoke(args=[str(arg) for arg in args])


def said(app, words_function, *args) -> str:
    """A message as the command prints it (in the app's default language)."""
    with app.app_context():
        return words_function(*args)


def put_uploads(folder: Path, count: int = 5) -> None:
    """Files as the app stores them (two-hex folder, random name), of varied sizes."""
    for number in range(count):
        name = hashlib.md5(f"file-{number}".encode()).hexdigest()  # noqa: S324 -- a name
        path = folder / name[:2] / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(os.urandom(number * 70_000))


def file_digests(folder: Path) -> dict[str, str]:
    return {path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def every_row(app) -> dict[str, dict[tuple, tuple]]:
    """Every row of every table of the models (and the migration marker), by primary key."""
    tables = [*Base.metadata.sorted_tables,
              sa.Table("alembic_version", sa.MetaData(),
                       sa.Column("version_num", sa.String, primary_key=True))]
    with app.app_context(), _db.engine.connect() as connection:
        found = {}
        for table in tables:
            key = list(table.primary_key.columns)
            found[table.name] = {
                tuple(row._mapping[column.name] for column in key): tuple(row)
                for row in connection.execute(sa.select(table).order_by(*key))}
        return found


class JuryScoring(threading.Thread):
    """One jury scoring its teams again and again (each write a new ledger row) until told to
    stop; `recorded` counts the committed writes."""

    def __init__(self, app, jury_id: int, round_id: int, cells: list[tuple[int, int]]):
        super().__init__(daemon=True)
        self.app, self.jury_id, self.round_id, self.cells = app, jury_id, round_id, cells
        self.recorded, self.error, self.halt = 0, None, threading.Event()

    def run(self) -> None:
        with self.app.app_context():
            try:
                while not self.halt.is_set():
                    team, criterion = self.cells[self.recorded % len(self.cells)]
                    jury = _db.session.get(User, self.jury_id)
                    record_score(jury, ScoreInput(f"backup-{self.recorded:06d}", self.round_id,
                                                  team, criterion, self.recorded % 11))
                    self.recorded += 1
            except Exception as error:  # reported by the test
                self.error = error
            finally:
                _db.session.remove()

    def wait_for(self, count: int, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while self.recorded < count and self.error is None and time.monotonic() < deadline:
            time.sleep(0.01)
        assert self.error is None, self.error
        assert self.recorded >= count, f"only {self.recorded} scores in {timeout} s"

    def stop(self) -> None:
        self.halt.set()
        self.join(timeout=60)
        assert self.error is None, self.error


@pytest.fixture
def uploads(app, tmp_path, monkeypatch) -> Path:
    """The source install's upload folder, of this test only."""
    folder = tmp_path / "uploads"
    folder.mkdir()
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(folder))
    return folder


@pytest.fixture
def empty_install(make_app, fresh_database_url, tmp_path):
    """Another install: a database of the suite's kind with nothing in it, an empty folder."""
    def make(label: str = "restored"):
        folder = tmp_path / f"{label}-uploads"
        return make_app(SQLALCHEMY_DATABASE_URI=fresh_database_url(label),
                        UPLOAD_DIR=str(folder)), folder
    return make


@pytest.fixture
def backup_file(app, db, uploads, tmp_path) -> Path:
    """A backup of a small edition with a few files."""
    factories.student(factories.edition(phase="registration"))
    put_uploads(uploads, 3)
    path = tmp_path / "small.tar"
    result = run(app, "backup", path)
    assert result.exit_code == 0, result.output
    return path


def row_count(app) -> int:
    with app.app_context(), _db.engine.connect() as connection:
        names = [name for name in sa.inspect(connection).get_table_names()
                 if name != "alembic_version"]
        return sum(connection.scalar(sa.select(sa.func.count()).select_from(sa.table(name)))
                   for name in names)


def test_a_backup_taken_while_a_jury_scores_restores_a_consistent_snapshot(
        app, db, world, uploads, empty_install, tmp_path):  # noqa: F811
    put_uploads(uploads)
    jury = world.juries[0]
    cells = [(team.id, criterion.id) for team in world.teams[:2] for criterion in world.criteria]
    scoring = JuryScoring(app, jury.id, world.round.id, cells)
    scoring.start()
    try:
        scoring.wait_for(2 * len(cells))  # every cell scored: later writes only add rows
        before = scoring.recorded
        result = run(app, "backup", tmp_path / "during.tar")
        after = scoring.recorded
        scoring.wait_for(after + 5)
    finally:
        scoring.stop()
    assert result.exit_code == 0, result.output
    assert after > before, "no score was recorded while the backup ran"

    restored_app, restored_uploads = empty_install()
    restored = run(restored_app, "restore", tmp_path / "during.tar")
    assert restored.exit_code == 0, restored.output

    source, copy = every_row(app), every_row(restored_app)
    ledger = list(copy.pop("score_event"))
    source_ledger = list(source.pop("score_event"))
    assert before <= len(ledger) <= after < len(source_ledger)
    assert ledger == source_ledger[:len(ledger)]  # a prefix: no gap, nothing later
    with app.app_context(), _db.engine.connect() as connection:
        table = ScoreEvent.__table__
        source_rows = {row.seq: tuple(row) for row in connection.execute(sa.select(table))}
    with restored_app.app_context(), _db.engine.connect() as connection:
        for row in connection.execute(sa.select(ScoreEvent.__table__)):
            assert tuple(row) == source_rows[row.seq]
    assert copy == source  # every other table, row for row
    assert copy["alembic_version"] and sum(len(rows) for rows in copy.values()) > 20
    assert file_digests(restored_uploads) == file_digests(uploads)
    assert len(file_digests(uploads)) == 5


def test_backup_shows_its_progress_on_standard_error_only(app, db, uploads, tmp_path):
    put_uploads(uploads, 2)
    result = run(app, "backup", tmp_path / "quiet.tar")
    assert result.exit_code == 0, result.output
    assert "Copying the database" in result.stderr and "Archiving the files" in result.stderr
    assert result.stdout.splitlines() == [
        line for line in result.stdout.splitlines() if line.startswith("Backup written to")]
    assert "2 files" in result.stdout


def test_a_restore_onto_a_database_with_data_is_refused_unless_forced(
        app, db, backup_file, uploads, empty_install):
    rows_before, files_before = row_count(app), file_digests(uploads)
    refused = run(app, "restore", backup_file)
    assert refused.exit_code == 1
    assert said(app, words.target_not_empty, rows_before, 3) in refused.output
    assert row_count(app) == rows_before and file_digests(uploads) == files_before

    target, folder = empty_install("forced")
    assert run(target, "restore", backup_file).exit_code == 0
    (folder / "stray.bin").write_bytes(b"not in the backup")
    with target.app_context():
        factories.organizer()
    again = run(target, "restore", backup_file)
    assert again.exit_code == 1
    assert said(target, words.target_not_empty, rows_before + 1, 4) in again.output
    assert row_count(target) == rows_before + 1
    forced = run(target, "restore", "--force", backup_file)
    assert forced.exit_code == 0, forced.output
    assert row_count(target) == rows_before
    assert file_digests(folder) == files_before


def test_a_database_where_only_the_migrations_ran_counts_as_empty(
        app, backup_file, uploads, empty_install):
    target, folder = empty_install("upgraded")
    with target.app_context():
        upgrade(revision="heads")
    result = run(target, "restore", backup_file)
    assert result.exit_code == 0, result.output
    assert every_row(target) == every_row(app)
    assert file_digests(folder) == file_digests(uploads)


def rewrite(source: Path, target: Path, manifest=None, content=None) -> Path:
    """A copy of the archive with its manifest changed by `manifest(data)` or the bytes of
    its members changed by `content(name, data)`."""
    with tarfile.open(source) as old, tarfile.open(target, "w") as new:
        for member in old.getmembers():
            data = old.extractfile(member).read()
            if member.name == MANIFEST and manifest:
                parsed = json.loads(data)
                manifest(parsed)
                data = json.dumps(parsed).encode()
            elif content:
                data = content(member.name, data)
            member.size = len(data)
            new.addfile(member, io.BytesIO(data))
    return target


def other_version(manifest: dict) -> None:
    manifest["format_version"] = 2


def other_revision(manifest: dict) -> None:
    manifest["alembic_revisions"] = ["0123456789ab"]


def not_ours(manifest: dict) -> None:
    manifest["format"] = "someone-else"


def flipped_byte(name: str, data: bytes) -> bytes:
    if "/uploads/" in name and data:
        return bytes([data[0] ^ 1]) + data[1:]
    return data


def first_upload(archive: Path) -> str:
    with tarfile.open(archive) as tar:
        return next(member.name.removeprefix("crunchtime-backup/") for member in tar
                    if "/uploads/" in member.name and member.size)


REFUSALS = {
    "other format version": (other_version, None, lambda archive: (words.other_format, 2, 1)),
    "other revision": (other_revision, None, lambda archive: (
        words.other_revision, "0123456789ab", ", ".join(code_revisions()))),
    "not ours": (not_ours, None, lambda archive: (words.not_a_backup, "changed.tar")),
    "damaged file": (None, flipped_byte, lambda archive: (
        lambda name: words.damaged_backup("changed.tar", words.checksum_mismatch(name)),
        first_upload(archive))),
}


@pytest.mark.parametrize("case", list(REFUSALS))
def test_a_backup_of_another_version_or_damaged_is_refused_with_nothing_touched(
        backup_file, empty_install, tmp_path, case):
    manifest, content, expected = REFUSALS[case]
    bad = rewrite(backup_file, tmp_path / "changed.tar", manifest, content)
    target, folder = empty_install()
    result = run(target, "restore", bad)
    assert result.exit_code == 1
    with target.app_context():
        function, *args = expected(backup_file)
        assert function(*args) in result.output
    assert row_count(target) == 0
    assert not folder.exists() or file_digests(folder) == {}


@pytest.mark.parametrize("content", [b"", b"name,email\nA,a@b.fr\n", b"\x1f\x8b" + bytes(300)])
def test_a_file_that_is_not_a_backup_is_refused_with_nothing_touched(
        empty_install, tmp_path, content):
    path = tmp_path / "not-a-backup.tar"
    path.write_bytes(content)
    target, folder = empty_install()
    result = run(target, "restore", path)
    assert result.exit_code == 1
    assert said(target, words.not_a_backup, "not-a-backup.tar") in result.output
    assert row_count(target) == 0
    assert not folder.exists() or file_digests(folder) == {}


def test_a_tar_without_a_manifest_is_not_a_backup(empty_install, tmp_path):
    path = tmp_path / "photos.tar"
    with tarfile.open(path, "w") as tar:
        info = tarfile.TarInfo("photos/a.jpg")
        info.size = 3
        tar.addfile(info, io.BytesIO(b"jpg"))
    target, _folder = empty_install()
    result = run(target, "restore", path)
    assert result.exit_code == 1
    assert said(target, words.not_a_backup, "photos.tar") in result.output
    assert row_count(target) == 0
