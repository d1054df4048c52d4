"""`crunchtime backup FILE`: a consistent copy of the database — SQLite's online backup API,
or `pg_dump` inside an exported snapshot for PostgreSQL, so that the rows counted in the
manifest are exactly the rows dumped — then the uploaded files, in one tar archive."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

import sqlalchemy as sa
from alembic.script import ScriptDirectory
from flask import current_app

from crunchtime.extensions import db
from crunchtime.services.operations import words
from crunchtime.services.operations.archive import (
    DATABASE_FILES,
    UPLOADS,
    BackupRefused,
    Manifest,
    Progress,
    add_file,
    add_manifest,
)

STAGING_PREFIX = ".restore-"  # a restore's work folder inside UPLOAD_DIR: never backed up
VERSION_TABLE = "alembic_version"


@dataclass(frozen=True)
class BackupSummary:
    path: Path
    database: str
    rows: int
    files: int
    bytes: int


def database_kind() -> str:
    name = db.engine.dialect.name
    if name not in DATABASE_FILES:
        raise BackupRefused(words.unsupported_database(name))
    return name


def sqlite_path() -> Path:
    path = db.engine.url.database
    if not path or path == ":memory:" or path.startswith("file:"):
        raise BackupRefused(words.unsupported_database(
            db.engine.url.render_as_string(hide_password=True)))
    return Path(path)


def libpq_target() -> tuple[str, dict[str, str]]:
    """The configured PostgreSQL database for pg_dump / pg_restore: a URI without the
    password, which goes in the environment (never on a command line)."""
    url = db.engine.url
    env = {**os.environ, "LC_ALL": "C"}
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    uri = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    return uri, env


def table_rows(connection: sa.Connection) -> dict[str, int]:
    """Rows of every table the database holds (its migration marker aside)."""
    names = sorted(sa.inspect(connection).get_table_names())
    return {name: connection.scalar(sa.select(sa.func.count()).select_from(sa.table(name)))
            for name in names if name != VERSION_TABLE}


def alembic_revisions(connection: sa.Connection) -> list[str]:
    if VERSION_TABLE not in sa.inspect(connection).get_table_names():
        return []
    return sorted(connection.scalars(
        sa.select(sa.column("version_num")).select_from(sa.table(VERSION_TABLE))))


def code_revisions() -> list[str]:
    """The migration heads this version of the code expects."""
    return sorted(ScriptDirectory(current_app.extensions["migrate"].directory).get_heads())


def upload_files(root: Path) -> list[Path]:
    """Every regular file under UPLOAD_DIR, in a stable order (a restore's work folder and
    symbolic links left out)."""
    if not root.is_dir():
        return []
    found = []
    for folder, dirs, files in os.walk(root):
        if Path(folder) == root:
            dirs[:] = [name for name in dirs if not name.startswith(STAGING_PREFIX)]
        dirs.sort()
        found += [Path(folder) / name for name in sorted(files)
                  if (Path(folder) / name).is_file() and not (Path(folder) / name).is_symlink()]
    return found


def _copy_sqlite(target: Path, progress: Progress) -> tuple[dict[str, int], list[str]]:
    """SQLite's online backup API, in one step: it reads one snapshot while writers go on
    (WAL); stepping page by page would restart on every concurrent commit."""
    progress("database", 0, 1)
    source = sqlite3.connect(f"file:{sqlite_path()}?mode=ro", uri=True, timeout=30)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
    finally:
        source.close()
        copy.close()
    engine = sa.create_engine(f"sqlite:///{target}", poolclass=sa.pool.NullPool)
    with engine.connect() as connection:
        counted = table_rows(connection), alembic_revisions(connection)
    engine.dispose()
    progress("database", 1, 1)
    return counted


def run_pg_tool(command: list[str], env: dict[str, str], marker: str, total: int,
                progress: Progress) -> None:
    """Run pg_dump or pg_restore --verbose, counting the tables it reports for the bar."""
    done, tail = 0, []
    try:
        # The program is pg_dump or pg_restore, its arguments built here from the configuration.
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,  # noqa: S603
                                   stderr=subprocess.PIPE, text=True, errors="replace")
    except OSError as error:
        raise BackupRefused(words.tool_failed(command[0], words.tool_missing(error))) from None
    with process:
        for line in process.stderr:
            tail = [*tail, line.rstrip()][-5:]
            if marker in line:
                done += 1
                progress("database", min(done, total), total)
    if process.returncode != 0:
        errors = [line for line in tail if "error" in line.lower()]
        detail = " / ".join(errors or tail[-1:]) or f"exit code {process.returncode}"
        raise BackupRefused(words.tool_failed(Path(command[0]).name, detail))
    progress("database", total, total)


def _dump_postgresql(target: Path, progress: Progress) -> tuple[dict[str, int], list[str]]:
    """pg_dump in the snapshot this transaction exported: the manifest's counts are the
    dump's rows, however many scores arrive meanwhile."""
    uri, env = libpq_target()
    with db.engine.connect() as connection:
        connection = connection.execution_options(isolation_level="REPEATABLE READ")
        with connection.begin():
            snapshot = connection.scalar(sa.text("SELECT pg_export_snapshot()"))
            tables, revisions = table_rows(connection), alembic_revisions(connection)
            progress("database", 0, len(tables) + 1)
            run_pg_tool(["pg_dump", "--format=custom", "--no-owner", "--no-privileges",
                         f"--snapshot={snapshot}", "--verbose", f"--file={target}",
                         f"--dbname={uri}"],
                        env, "dumping contents of table", len(tables) + 1, progress)
    return tables, revisions


def _app_version() -> str:
    try:
        return metadata.version("crunchtime")
    except metadata.PackageNotFoundError:
        return "unknown"


def take_backup(path: Path, progress: Progress = lambda *args: None) -> BackupSummary:
    """Write the backup archive to `path` (replaced at the end, never left half written)."""
    kind = database_kind()
    path = Path(path).resolve()
    if not path.parent.is_dir():
        raise BackupRefused(words.tool_failed("backup", f"{path.parent}: no such folder"))
    with tempfile.TemporaryDirectory(prefix=".crunchtime-backup-", dir=path.parent) as work:
        dump = Path(work) / DATABASE_FILES[kind]
        db.session.remove()
        copy = _copy_sqlite if kind == "sqlite" else _dump_postgresql
        tables, revisions = copy(dump, progress)
        manifest = Manifest(kind, revisions, _app_version(),
                            datetime.now(UTC).isoformat(timespec="seconds"), tables)
        root = Path(current_app.config["UPLOAD_DIR"])
        sources = upload_files(root)
        total = dump.stat().st_size + sum(source.stat().st_size for source in sources)
        partial = Path(work) / "archive.tar"
        written = 0

        def advance(count: int) -> None:
            nonlocal written
            written += count
            progress("files", written, total)

        progress("files", 0, total)
        with tarfile.open(partial, "w", format=tarfile.PAX_FORMAT) as tar:
            manifest.files.append(add_file(tar, dump.name, dump, advance))
            for source in sources:
                relative = source.relative_to(root).as_posix()
                try:
                    manifest.files.append(add_file(tar, f"{UPLOADS}/{relative}", source, advance))
                except FileNotFoundError:  # deleted since it was listed: not in the snapshot
                    continue
            add_manifest(tar, manifest)
        with open(partial, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(partial, path)
    return BackupSummary(path, kind, sum(tables.values()), len(manifest.uploads),
                         path.stat().st_size)
