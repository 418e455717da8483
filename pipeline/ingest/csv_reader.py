"""CSV with a header row: one article per data row, parsed by the csv module.

The file is decoded whole (CSV exports are often Latin-1 or cp1252), its line ends are
normalized first, and quoted fields may span lines: `row N` counts data rows, not lines.
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Iterator

from pipeline.config import DEFAULT_MAX_FILE_BYTES
from pipeline.ingest.decode import DecodeFailure, decode_raw
from pipeline.ingest.fields import build_article
from pipeline.ingest.records import Article, Rejection, RejectReason
from pipeline.ingest.source import InputFile

# One field may hold a whole article; the document limit is enforced per record instead.
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


def _normalize(text: str) -> str:
    """Line ends and NULs, as for any text; the csv module rejects NUL bytes."""
    return text.replace("\x00", "").replace("\r\n", "\n").replace("\r", "\n")


def read_csv(src: InputFile, max_document_bytes: int) -> Iterator[Article | Rejection]:
    """One Article or Rejection per data row; a header without `text` rejects the file."""
    data = src.read_bytes(DEFAULT_MAX_FILE_BYTES)
    if not data.strip():
        yield Rejection(src.input_path, "file", RejectReason.EMPTY, "file is empty", len(data))
        return
    decoded = decode_raw(data)
    if isinstance(decoded, DecodeFailure):
        yield Rejection(src.input_path, "file", decoded.reason, decoded.message, len(data))
        return
    reader = csv.reader(io.StringIO(_normalize(decoded.text).lstrip("\ufeff"), newline=""))
    header = [name.strip().lower() for name in next(reader, [])]
    if "text" not in header:
        yield Rejection(
            src.input_path,
            "file",
            RejectReason.MISSING_TEXT,
            f"header has no `text` column (columns: {', '.join(header) or 'none'})",
        )
        return
    number = 0
    while True:
        number += 1
        locator = f"row {number}"
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield Rejection(
                src.input_path, locator, RejectReason.MALFORMED_RECORD, f"{locator}: {exc}"
            )
            continue
        problem = _shape_problem(row, len(header))
        if problem is not None:
            yield Rejection(
                src.input_path, locator, RejectReason.MALFORMED_RECORD, f"{locator}: {problem}"
            )
            continue
        # Reversed, so that with a repeated column name the first column wins.
        record = dict(zip(reversed(header), reversed(row), strict=True))
        yield build_article(
            record,
            input_path=src.input_path,
            locator=locator,
            encoding=decoded.encoding,
            max_document_bytes=max_document_bytes,
        )


def _shape_problem(row: list[str], width: int) -> str | None:
    if not row or not any(field.strip() for field in row):
        return "blank row"
    if len(row) < width:
        return f"{len(row)} fields, the header has {width} (short row)"
    if len(row) > width:
        return f"{len(row)} fields, the header has {width} (extra fields)"
    return None
