"""A ZIP archive written as it is sent: members are copied chunk by chunk and each chunk is
handed on at once, so memory stays flat whatever the size of the archive (pure)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import BinaryIO

CHUNK_BYTES = 256 * 1024


@dataclass(frozen=True)
class ZipMember:
    """One file of the archive: its path inside it, and either its bytes or an opener."""

    path: str
    modified: datetime
    data: bytes | None = None
    opener: Callable[[], BinaryIO] | None = None
    size: int | None = None


class _Sink(io.RawIOBase):
    """Collects what zipfile writes until the generator hands it on (not seekable)."""

    def __init__(self) -> None:
        self.pending = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.pending += data
        return len(data)

    def drain(self) -> bytes:
        chunk = bytes(self.pending)
        self.pending.clear()
        return chunk


def _info(member: ZipMember) -> zipfile.ZipInfo:
    stamp = member.modified.timetuple()[:6]
    info = zipfile.ZipInfo(member.path, date_time=max(stamp, (1980, 1, 1, 0, 0, 0)))
    info.compress_type = zipfile.ZIP_STORED  # deliverables are already compressed formats
    info.external_attr = 0o644 << 16
    size = len(member.data) if member.data is not None else member.size
    if size is not None:
        info.file_size = size  # lets zipfile decide on ZIP64 before writing
    return info


def _copy(member: ZipMember, target, sink: _Sink) -> Iterator[bytes]:
    if member.data is not None:
        target.write(member.data)
        yield sink.drain()
        return
    with member.opener() as source:
        while chunk := source.read(CHUNK_BYTES):
            target.write(chunk)
            if len(sink.pending) >= CHUNK_BYTES:
                yield sink.drain()


def _archive_chunks(members: Iterable[ZipMember]) -> Iterator[bytes]:
    sink = _Sink()
    with zipfile.ZipFile(sink, mode="w", compression=zipfile.ZIP_STORED,
                         allowZip64=True) as archive:
        for member in members:
            with archive.open(_info(member), mode="w") as target:
                yield from _copy(member, target, sink)
            yield sink.drain()
    yield sink.drain()


def stream_zip(members: Iterable[ZipMember]) -> Iterator[bytes]:
    """The archive's bytes, chunk after chunk; `members` may be a lazy iterable."""
    return (chunk for chunk in _archive_chunks(members) if chunk)
