"""Opening one input file: its format, its relative name, gzip, and bounded reads.

Readers raise `ReadProblem` for anything that ends the whole file (a broken archive, a
file too large to read); the dispatcher turns it into one Rejection, so readers stay short.
"""

from __future__ import annotations

import gzip
import io
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from pipeline.ingest.records import RejectReason

_CHUNK = 1 << 20
#: gzip's own errors for a truncated or broken stream (BadGzipFile is an OSError).
GZIP_ERRORS: tuple[type[Exception], ...] = (gzip.BadGzipFile, EOFError, zlib.error)
_GZIP_WBITS = 16 + zlib.MAX_WBITS


class _GunzipRaw(io.RawIOBase):
    """Decompress gzip incrementally, handing out every byte before a break.

    `gzip.open` decompresses a whole buffer before it notices a truncated stream and then
    raises, so the complete lines of a small truncated file were lost. Here the bytes
    decompressed so far are returned first; only the next read raises EOFError. Several
    concatenated gzip members are read one after the other, as gzip(1) does.
    """

    def __init__(self, raw: BinaryIO) -> None:
        self._raw = raw
        self._inflater = zlib.decompressobj(_GZIP_WBITS)
        self._pending = b""
        self._started = False  # any input of the current member seen
        self._done = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
        while not self._pending and not self._done:
            self._fill()
        n = min(len(buffer), len(self._pending))
        buffer[:n] = self._pending[:n]
        self._pending = self._pending[n:]
        return n

    def _fill(self) -> None:
        """Inflate at most one chunk of output (a gzip bomb never fills memory at once)."""
        data = self._inflater.unconsumed_tail or self._raw.read(_CHUNK)
        if not data:
            self._done = True
            if self._started and not self._inflater.eof:
                raise EOFError("Compressed file ended before the end-of-stream marker was reached")
            return
        self._started = True
        self._pending += self._inflater.decompress(data, _CHUNK)
        if self._inflater.eof and (rest := self._inflater.unused_data):
            if not rest.strip(b"\x00"):  # zero padding after the last member, as gzip allows
                return
            if not rest.startswith(b"\x1f\x8b"):
                raise gzip.BadGzipFile("trailing garbage after the gzip stream")
            self._inflater = zlib.decompressobj(_GZIP_WBITS)
            self._pending += self._inflater.decompress(rest, _CHUNK)

    def close(self) -> None:
        self._raw.close()
        super().close()


class ReadProblem(Exception):
    """A problem that ends the reading of a whole file; becomes one Rejection."""

    def __init__(self, reason: RejectReason, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message


@dataclass(frozen=True, slots=True)
class InputFile:
    """One file to read: where it is, its name relative to the input root, and its format."""

    path: Path
    input_path: str
    kind: str  # the suffix without the dot and without `.gz`, lower-case ("" if none)
    compressed: bool

    @classmethod
    def at(cls, path: Path, root: Path) -> InputFile:
        """Describe `path` (which lies under `root`)."""
        try:
            relative = path.relative_to(root).as_posix()
        except ValueError:
            relative = path.as_posix()
        name = path.name.lower()
        compressed = name.endswith(".gz")
        if compressed:
            name = name[: -len(".gz")]
        kind = name.rsplit(".", 1)[1] if "." in name.lstrip(".") else ""
        return cls(path, relative, kind, compressed)

    def open(self) -> BinaryIO:
        """A binary stream of the (decompressed) content, read lazily."""
        if self.compressed:
            return io.BufferedReader(_GunzipRaw(self.path.open("rb")), _CHUNK)
        return self.path.open("rb")

    def read_bytes(self, limit: int) -> bytes:
        """The whole (decompressed) content, refusing more than `limit` bytes."""
        chunks: list[bytes] = []
        total = 0
        try:
            with self.open() as stream:
                while chunk := stream.read(_CHUNK):
                    total += len(chunk)
                    if total > limit:
                        what = "decompressed content" if self.compressed else "file"
                        raise ReadProblem(
                            RejectReason.TOO_LARGE,
                            f"{what} is above the read limit of {limit:,} bytes",
                        )
                    chunks.append(chunk)
        except GZIP_ERRORS as exc:
            raise ReadProblem(RejectReason.CORRUPT_ARCHIVE, gzip_message(exc)) from exc
        return b"".join(chunks)


def gzip_message(exc: Exception) -> str:
    """A readable message for a broken gzip stream."""
    detail = str(exc) or type(exc).__name__
    return f"broken gzip stream: {detail}"
