"""The backup archive: one tar file holding the database copy, the uploaded files and, last,
`manifest.json`, which lists every file with its size and sha256. Reading an archive checks
all of it against the manifest before anything is restored."""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from crunchtime.errors import InvalidInput
from crunchtime.services.operations import words

FORMAT = "crunchtime-backup"
FORMAT_VERSION = 1
ROOT = "crunchtime-backup"
MANIFEST = "manifest.json"
UPLOADS = "uploads"
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
CHUNK_BYTES = 1024 * 1024

# (stage, done, total): "database" in tables or steps, "files" and "verify" in bytes.
Progress = Callable[[str, int, int], None]


class BackupRefused(InvalidInput):
    """A backup or restore that cannot go ahead; nothing was changed."""

    code = "backup_refused"


@dataclass(frozen=True)
class Entry:
    """A file of the archive: `path` relative to its root (database file, uploads/...)."""

    path: str
    size: int
    sha256: str


@dataclass
class Manifest:
    database: str
    alembic_revisions: list[str]
    app_version: str
    created_at: str
    tables: dict[str, int]
    files: list[Entry] = field(default_factory=list)
    format: str = FORMAT
    format_version: int = FORMAT_VERSION

    @property
    def database_entry(self) -> Entry:
        return next(entry for entry in self.files if entry.path == DATABASE_FILES[self.database])

    @property
    def uploads(self) -> list[Entry]:
        return [entry for entry in self.files if entry.path.startswith(UPLOADS + "/")]

    def to_json(self) -> bytes:
        return json.dumps(asdict(self), indent=1, sort_keys=True).encode()


def member_name(path: str) -> str:
    return f"{ROOT}/{path}"


def safe_relative(path: str) -> bool:
    """A path that stays inside its folder once extracted: no "..", not absolute."""
    parts = PurePosixPath(path).parts
    return bool(parts) and not path.startswith("/") and ".." not in parts and "\\" not in path


class HashingReader:
    """Reads a file for tarfile while hashing it and reporting the bytes read."""

    def __init__(self, raw: BinaryIO, on_bytes: Callable[[int], None]):
        self.raw, self.on_bytes, self.hash = raw, on_bytes, hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.raw.read(size)
        self.hash.update(data)
        self.on_bytes(len(data))
        return data


def add_file(tar: tarfile.TarFile, path: str, source: Path,
             on_bytes: Callable[[int], None]) -> Entry:
    """Stream `source` into the archive as `path`; its entry, hashed on the way."""
    with open(source, "rb") as raw:
        info = tar.gettarinfo(fileobj=raw, arcname=member_name(path))
        info.uid = info.gid = 0
        info.uname = info.gname = ""
        reader = HashingReader(raw, on_bytes)
        tar.addfile(info, reader)
    return Entry(path, info.size, reader.hash.hexdigest())


def add_manifest(tar: tarfile.TarFile, manifest: Manifest) -> None:
    data = manifest.to_json()
    info = tarfile.TarInfo(member_name(MANIFEST))
    info.size, info.mode, info.mtime = len(data), 0o644, int(time.time())
    tar.addfile(info, io.BytesIO(data))


def _parse_manifest(raw: bytes, name: str) -> Manifest:
    try:
        data = json.loads(raw)
        found_format, version = data.get("format"), data.get("format_version")
    except (ValueError, AttributeError):
        raise BackupRefused(words.not_a_backup(name)) from None
    if found_format != FORMAT:
        raise BackupRefused(words.not_a_backup(name))
    if version != FORMAT_VERSION:
        raise BackupRefused(words.other_format(version, FORMAT_VERSION))
    try:
        files = [Entry(str(item["path"]), int(item["size"]), str(item["sha256"]))
                 for item in data["files"]]
        manifest = Manifest(
            database=str(data["database"]), alembic_revisions=list(data["alembic_revisions"]),
            app_version=str(data["app_version"]), created_at=str(data["created_at"]),
            tables={str(k): int(v) for k, v in data["tables"].items()}, files=files)
        manifest.database_entry  # noqa: B018 -- refuses a manifest without its database
    except (KeyError, TypeError, ValueError, StopIteration):
        raise BackupRefused(words.damaged_backup(name, words.unreadable_manifest())) from None
    return manifest


def read_archive(path: Path) -> tuple[Manifest, dict[str, tarfile.TarInfo]]:
    """The manifest of the archive at `path` and its members by manifest path, once every
    member is checked to be a listed regular file of the listed size (nothing is extracted)."""
    name = path.name
    try:
        with tarfile.open(path, "r:*") as tar:
            members = tar.getmembers()
            by_name = {member.name: member for member in members}
            manifest_member = by_name.get(member_name(MANIFEST))
            if manifest_member is None or not manifest_member.isreg():
                raise BackupRefused(words.not_a_backup(name))
            manifest = _parse_manifest(tar.extractfile(manifest_member).read(), name)
    except (tarfile.TarError, OSError, EOFError):
        raise BackupRefused(words.not_a_backup(name)) from None
    listed = {member_name(entry.path): entry for entry in manifest.files}
    problems = [member.name for member in members
                if member.name != member_name(MANIFEST) and member.name not in listed]
    problems += [entry.path for entry in manifest.files if not safe_relative(entry.path)
                 or member_name(entry.path) not in by_name
                 or not by_name[member_name(entry.path)].isreg()
                 or by_name[member_name(entry.path)].size != entry.size]
    if problems:
        raise BackupRefused(words.damaged_backup(name, words.unexpected_files(problems)))
    return manifest, {entry.path: by_name[member_name(entry.path)] for entry in manifest.files}


def file_sha256(path: Path, on_bytes: Callable[[int], None] = lambda n: None) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK_BYTES):
            digest.update(chunk)
            on_bytes(len(chunk))
    return digest.hexdigest()
