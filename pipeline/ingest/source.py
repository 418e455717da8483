"""Opening one input file: its format, its relative name, gzip, and bounded reads.

Readers raise `ReadProblem` for anything that ends the whole file (a broken archive, a
file too large to read); the dispatcher turns it into one Rejection, so readers stay short.
"""

from __future__ import annotations

import gzip
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from pipeline.ingest.records import RejectReason

_CHUNK = 1 << 20
#: gzip's own errors for a truncated or broken stream (BadGzipFile is an OSError).
GZIP_ERRORS: tuple[type[Exception], ...] = (gzip.BadGzipFile, EOFError, zlib.error)


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
            return gzip.open(self.path, "rb")  # type: ignore[return-value]
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
