"""`crunchtime restore FILE [--force]`: the archive is read and checked in full (manifest,
format, revision, every file's sha256) in a work folder before the database or the upload
folder is touched; then the database is restored, the files moved into place, and both are
verified against the manifest."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from crunchtime.errors import Conflict
from crunchtime.extensions import db
from crunchtime.services.operations import words
from crunchtime.services.operations.archive import (
    CHUNK_BYTES,
    UPLOADS,
    BackupRefused,
    Entry,
    Manifest,
    Progress,
    file_sha256,
    read_archive,
)
from crunchtime.services.operations.backup import (
    STAGING_PREFIX,
    alembic_revisions,
    code_revisions,
    database_kind,
    libpq_target,
    run_pg_tool,
    sqlite_path,
    table_rows,
    upload_files,
)


@dataclass(frozen=True)
class RestoreSummary:
    database: str
    rows: int
    files: int
    created_at: str


def check_backup(path: Path) -> tuple[Manifest, dict[str, tarfile.TarInfo]]:
    """The archive's manifest and members, once it is known to fit this install (nothing
    touched)."""
    manifest, members = read_archive(Path(path))
    kind = database_kind()
    if manifest.database != kind:
        raise BackupRefused(words.other_database(manifest.database, kind))
    expected = code_revisions()
    if manifest.alembic_revisions != expected:
        raise BackupRefused(words.other_revision(", ".join(manifest.alembic_revisions),
                                                 ", ".join(expected)))
    return manifest, members


def target_content() -> tuple[int, int]:
    """Rows in the configured database and files in the upload folder."""
    if database_kind() == "sqlite" and not sqlite_path().exists():
        rows = 0
    else:
        with db.engine.connect() as connection:
            rows = sum(table_rows(connection).values())
    return rows, len(upload_files(Path(current_app.config["UPLOAD_DIR"])))


def _extract(path: Path, manifest: Manifest, members: dict[str, tarfile.TarInfo],
             staging: Path, progress: Progress) -> None:
    """Copy every listed file into `staging`, refusing the archive on any sha256 mismatch."""
    total, done = sum(entry.size for entry in manifest.files), 0
    progress("files", 0, total)
    with tarfile.open(path, "r:*") as tar:
        for entry in manifest.files:
            target = staging / entry.path
            target.parent.mkdir(parents=True, exist_ok=True)
            digest = hashlib.sha256()
            source = tar.extractfile(members[entry.path])
            with open(target, "wb") as out:
                while chunk := source.read(CHUNK_BYTES):
                    digest.update(chunk)
                    out.write(chunk)
                    done += len(chunk)
                    progress("files", done, total)
            if digest.hexdigest() != entry.sha256:
                raise BackupRefused(words.damaged_backup(path.name,
                                                         words.checksum_mismatch(entry.path)))


def _empty_postgresql() -> None:
    """Drop every table and sequence of the schema: pg_restore recreates them."""
    with db.engine.begin() as connection:
        metadata = sa.MetaData()
        metadata.reflect(connection)
        metadata.drop_all(connection)
        for name in connection.scalars(sa.text(
                "SELECT sequence_name FROM information_schema.sequences "
                "WHERE sequence_schema = current_schema()")):
            connection.execute(sa.text(f'DROP SEQUENCE IF EXISTS "{name}" CASCADE'))


def _restore_database(kind: str, dump: Path, tables: int, progress: Progress) -> None:
    db.session.remove()
    db.engine.dispose()
    if kind == "sqlite":  # the backup API in reverse: the whole file replaced at once
        progress("database", 0, 1)
        target = sqlite_path()
        target.parent.mkdir(parents=True, exist_ok=True)
        source, copy = sqlite3.connect(dump), sqlite3.connect(target, timeout=30)
        try:
            source.backup(copy)
        finally:
            source.close()
            copy.close()
        progress("database", 1, 1)
    else:
        _empty_postgresql()
        uri, env = libpq_target()
        progress("database", 0, tables)
        run_pg_tool(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error",
                     "--single-transaction", "--verbose", f"--dbname={uri}", str(dump)],
                    env, "processing data for table", tables, progress)
    db.engine.dispose()


def _place_files(staging: Path, root: Path, entries: list[Entry], force: bool) -> None:
    if force:
        for existing in upload_files(root):
            existing.unlink()
    for entry in entries:
        target = root / Path(entry.path).relative_to(UPLOADS)
        target.parent.mkdir(parents=True, exist_ok=True)
        (staging / entry.path).replace(target)


def _verify(manifest: Manifest, root: Path, progress: Progress) -> list[str]:
    """What differs from the manifest once restored: table rows, files, revision."""
    problems = []
    with db.engine.connect() as connection:
        rows, revisions = table_rows(connection), alembic_revisions(connection)
    problems += [f"{name}: {rows.get(name)} rows, {count} expected"
                 for name, count in manifest.tables.items() if rows.get(name) != count]
    if revisions != manifest.alembic_revisions:
        problems.append(f"revision {revisions}")
    total, done = sum(entry.size for entry in manifest.uploads), 0
    for entry in manifest.uploads:
        target = root / Path(entry.path).relative_to(UPLOADS)

        def advance(count: int) -> None:
            nonlocal done
            done += count
            progress("verify", done, total)

        if not target.is_file() or file_sha256(target, advance) != entry.sha256:
            problems.append(entry.path)
    return problems


def restore_backup(path: Path, *, force: bool = False,
                   progress: Progress = lambda *args: None) -> RestoreSummary:
    """Restore the archive onto this install's database and upload folder: refused, with
    nothing touched, unless both are empty (or `force`) and the archive checks out."""
    path = Path(path)
    manifest, members = check_backup(path)
    rows, files = target_content()
    if (rows or files) and not force:
        raise BackupRefused(words.target_not_empty(rows, files))
    root = Path(current_app.config["UPLOAD_DIR"])
    root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=root))
    try:
        _extract(path, manifest, members, staging, progress)
        _restore_database(manifest.database, staging / manifest.database_entry.path,
                          len(manifest.tables) + 1, progress)
        _place_files(staging, root, manifest.uploads, force)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    problems = _verify(manifest, root, progress)
    if problems:
        raise Conflict(words.verification_failed(problems))
    return RestoreSummary(manifest.database, sum(manifest.tables.values()),
                          len(manifest.uploads), manifest.created_at)
