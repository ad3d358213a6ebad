"""Raw captures as WARC/1.1 (warcio): writing one file per crawl, reading one record back.

Records are gzip-compressed one member each, so any record can be read alone from its
(file, offset, length) — which is what each article row stores.
"""

from __future__ import annotations

import gzip
import io
import os
import uuid
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from archive.errors import ArchiveError

__all__ = ["GZIP_LEVEL", "CaptureRef", "CapturedResponse", "WarcFile", "read_response"]

# Level of each record's gzip member; the crawl sets it from MUNI_WARC_GZIP_LEVEL. Levels 1-3
# are compressed with ISA-L (python-isal) when installed, which is a plain gzip member that any
# reader reads: at level 1, 0.13 ms for an 85 KB portal page, where zlib's level 1 takes 0.72
# (and its level 6 1.96) for a member 4 % larger. 0 stores, 4-9 are zlib's slower levels.
# Any level reads back the same.
GZIP_LEVEL = 1
# Hop-by-hop framing already undone by the HTTP client: the stored payload is not chunked.
_FRAMING_HEADERS = {"transfer-encoding"}


@dataclass(frozen=True)
class CaptureRef:
    file: str  # relative to the archive's folder, e.g. "warc/crawl-0001-20240108T0930Z.warc.gz"
    offset: int
    length: int
    record_id: str


@dataclass(frozen=True)
class CapturedResponse:
    url: str
    status: int
    headers: list[tuple[str, str]]
    body: bytes  # payload with content and transfer encodings undone
    date: str
    record_id: str

    def header(self, name: str) -> str | None:
        lowered = name.lower()
        return next((v for k, v in self.headers if k.lower() == lowered), None)


_isal_gzip: ModuleType | None
try:  # ISA-L's gzip: a compiled library with wheels for the usual platforms; zlib otherwise
    from isal import igzip as _isal_gzip
except ImportError:  # pragma: no cover - an install without python-isal
    _isal_gzip = None

_ISAL_LEVELS = range(1, 4)


def _compress(data: bytes, level: int) -> bytes:
    """One gzip member of ``data``."""
    if _isal_gzip is not None and level in _ISAL_LEVELS:
        return _isal_gzip.compress(data, compresslevel=level, mtime=0)
    return gzip.compress(data, compresslevel=level, mtime=0)


def _decompress(member: bytes) -> bytes:
    """The bytes of one gzip member (what a record's (offset, length) points to)."""
    if _isal_gzip is not None:
        return _isal_gzip.decompress(member)
    return gzip.decompress(member)


def _warc_date(moment: datetime | None) -> str:
    moment = moment or datetime.now(UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class WarcFile:
    """Appends request/response records to one WARC file, flushed record by record so a killed
    crawl loses at most the record being written."""

    def __init__(self, archive_folder: Path, relative_name: str, *, software: str = "muni-archive",
                 gzip_level: int = GZIP_LEVEL):
        if not 0 <= gzip_level <= 9:
            raise ValueError(f"gzip level {gzip_level} is not 0-9")
        self.gzip_level = gzip_level
        self.archive_folder = archive_folder
        self.relative_name = relative_name
        self.path = archive_folder / relative_name
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._stream: BinaryIO = self.path.open("ab")
        # Each record is written uncompressed into a buffer and appended as its own gzip
        # member: warcio's own gzip writer is fixed at level 9, on the crawl's hottest path.
        self._buffer = io.BytesIO()
        self._writer = WARCWriter(self._buffer, gzip=False, warc_version="WARC/1.1")
        if self._stream.tell() == 0:
            info = self._writer.create_warcinfo_record(
                self.path.name, {"software": software, "format": "WARC File Format 1.1"})
            self._write(info)

    def _write(self, record: object, gzip_level: int | None = None) -> tuple[int, int]:
        self._buffer.seek(0)
        self._buffer.truncate()
        self._writer.write_record(record)
        level = self.gzip_level if gzip_level is None else gzip_level
        member = _compress(self._buffer.getvalue(), level)
        offset = self._stream.tell()
        self._stream.write(member)
        self._stream.flush()
        return offset, len(member)

    def write_exchange(self, *, url: str, method: str, request_headers: list[tuple[str, str]],
                       status: int, reason: str, response_headers: list[tuple[str, str]],
                       body: bytes, fetched_at: datetime | None = None,
                       request_body: bytes = b"", gzip_level: int | None = None) -> CaptureRef:
        """Write the response (and the request that caused it); return where the response is.
        ``gzip_level`` (0-9) overrides the file's for these two records."""
        if gzip_level is not None and not 0 <= gzip_level <= 9:
            raise ValueError(f"gzip level {gzip_level} is not 0-9")
        date = _warc_date(fetched_at)
        response_id = f"<urn:uuid:{uuid.uuid4()}>"
        headers = [(k, v) for k, v in response_headers if k.lower() not in _FRAMING_HEADERS]
        if not any(k.lower() == "content-length" for k, _ in headers):
            headers.append(("Content-Length", str(len(body))))
        http_headers = StatusAndHeaders(f"{status} {reason or 'OK'}".strip(), headers,
                                        protocol="HTTP/1.1")
        response = self._writer.create_warc_record(
            # The length given, warcio writes straight through instead of spooling each record
            # to a temporary file to measure it.
            url, "response", payload=io.BytesIO(body), length=len(body),
            http_headers=http_headers,
            warc_headers_dict={"WARC-Date": date, "WARC-Record-ID": response_id})
        offset, length = self._write(response, gzip_level)
        path = url.split("://", 1)[-1].partition("/")[2]
        request_line = f"{method} /{path} HTTP/1.1"
        request = self._writer.create_warc_record(
            url, "request", payload=io.BytesIO(request_body), length=len(request_body),
            http_headers=StatusAndHeaders(request_line, request_headers, is_http_request=True),
            warc_headers_dict={"WARC-Date": date, "WARC-Concurrent-To": response_id})
        self._write(request, gzip_level)
        return CaptureRef(self.relative_name, offset, length, response_id)

    def close(self) -> None:
        if not self._stream.closed:
            self._stream.flush()
            os.fsync(self._stream.fileno())
            self._stream.close()


def read_response(archive_folder: Path, file: str, offset: int, length: int) -> CapturedResponse:
    """Read back one response record as stored in the archive's WARC files."""
    path = (archive_folder / file).resolve()
    if archive_folder.resolve() not in path.parents:
        raise ArchiveError(f"WARC path {file!r} points outside the archive")
    try:
        with path.open("rb") as stream:
            stream.seek(offset)
            chunk = stream.read(length)
    except OSError as exc:
        raise ArchiveError(f"Cannot read capture {file}@{offset}: {exc}") from exc
    if chunk[:2] == b"\x1f\x8b":
        # One gzip member, ungzipped here (ISA-L when installed: half zlib's time), and the
        # plain record read by warcio.
        try:
            chunk = _decompress(chunk)
        except (OSError, EOFError, zlib.error) as exc:
            raise ArchiveError(f"Capture {file}@{offset} is damaged: {exc}") from exc
    for record in ArchiveIterator(io.BytesIO(chunk)):
        if record.rec_type != "response":
            continue
        http = record.http_headers
        return CapturedResponse(
            url=record.rec_headers.get_header("WARC-Target-URI"),
            status=int(http.get_statuscode()),
            headers=list(http.headers),
            body=record.content_stream().read(),
            date=record.rec_headers.get_header("WARC-Date"),
            record_id=record.rec_headers.get_header("WARC-Record-ID"),
        )
    raise ArchiveError(f"No response record at {file}@{offset}")


def repair(path: Path) -> int:
    """Cut a WARC file back to its last complete record (a killed crawl can leave half of
    one at the end). Returns how many bytes were cut; every complete record is kept."""
    if not path.exists():
        return 0
    size = path.stat().st_size
    good_end = 0
    with path.open("rb") as stream:
        iterator = ArchiveIterator(stream)
        try:
            for record in iterator:
                record.content_stream().read()
                offset = iterator.get_record_offset()
                length = iterator.get_record_length()
                # A record is complete only if its gzip member ended inside the file.
                if offset + length > size:
                    break
                good_end = offset + length
        except Exception:
            pass
    if good_end < size:
        with path.open("r+b") as stream:
            stream.truncate(good_end)
    return size - good_end
