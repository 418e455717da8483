"""JSON Lines: one article per line, streamed, each line decoded on its own.

Lines are split on b"\\n" only (never on U+2028 or other Unicode breaks), so `line N`
matches what `wc -l` and editors count. A truncated gzip keeps every line read before
the break and adds one CORRUPT_ARCHIVE rejection.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import BinaryIO

from pipeline.ingest.decode import DecodeFailure, binary_signature, bom_encoding, decode_raw
from pipeline.ingest.fields import build_article, describe
from pipeline.ingest.records import Article, Rejection, RejectReason
from pipeline.ingest.source import GZIP_ERRORS, InputFile, ReadProblem, gzip_message
from pipeline.ingest.text_reader import single_document_limit

_UTF8_BOM = b"\xef\xbb\xbf"
_SKIP_CHUNK = 1 << 20
_HEAD_BYTES = 4096
#: UTF-16/32 JSON Lines are decoded whole; allow this many single-document caps.
_WIDE_FILE_FACTOR = 16


def _lines(stream: BinaryIO, cap: int) -> Iterator[bytes | None]:
    """Raw lines without their line end; None for a line longer than `cap` (skipped unread)."""
    while line := stream.readline(cap):
        if len(line) >= cap and not line.endswith(b"\n"):
            while (rest := stream.readline(_SKIP_CHUNK)) and not rest.endswith(b"\n"):
                pass
            yield None
            continue
        yield line.rstrip(b"\n").removesuffix(b"\r")


def _wide_lines(stream: BinaryIO, cap: int) -> Iterator[bytes | None]:
    """UTF-16/32 files cannot be split as bytes: decode whole, re-encode each line as UTF-8."""
    limit = cap * _WIDE_FILE_FACTOR
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise ReadProblem(
            RejectReason.TOO_LARGE, f"UTF-16/32 JSON Lines file is above {limit:,} bytes"
        )
    decoded = decode_raw(data)
    if isinstance(decoded, DecodeFailure):
        raise ReadProblem(decoded.reason, decoded.message)
    text = decoded.text.removesuffix("\n")
    for line in text.split("\n"):
        yield line.removesuffix("\r").encode("utf-8")


def _parse_line(
    raw: bytes, locator: str, src: InputFile, max_document_bytes: int
) -> Article | Rejection:
    try:
        text, encoding = raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        decoded = decode_raw(raw)
        if isinstance(decoded, DecodeFailure):
            return Rejection(
                src.input_path, locator, decoded.reason, f"{locator}: {decoded.message}"
            )
        text, encoding = decoded.text, decoded.encoding
    try:
        record = json.loads(text)
    except json.JSONDecodeError as exc:
        return Rejection(
            src.input_path, locator, RejectReason.MALFORMED_RECORD, f"{locator}: {exc}", len(raw)
        )
    if not isinstance(record, dict):
        return Rejection(
            src.input_path,
            locator,
            RejectReason.NOT_AN_OBJECT,
            f"{locator}: {describe(record)}, expected a JSON object",
            len(raw),
        )
    return build_article(
        record,
        input_path=src.input_path,
        locator=locator,
        encoding=encoding,
        max_document_bytes=max_document_bytes,
    )


def read_jsonl(src: InputFile, max_document_bytes: int) -> Iterator[Article | Rejection]:
    """One Article or Rejection per line; a whitespace-only file is one EMPTY rejection."""
    cap = single_document_limit(max_document_bytes)
    pending_blank: list[int] = []  # blank lines are reported once the file proves non-empty
    seen_content = False
    number = 0
    try:
        with src.open() as stream:
            head = stream.peek(_HEAD_BYTES)[:_HEAD_BYTES]  # type: ignore[attr-defined]
            bom = bom_encoding(head)
            wide = bom is not None and bom[0] != "utf-8-sig"
            if not wide and (signature := binary_signature(head)):
                raise ReadProblem(RejectReason.BINARY, signature)
            for number, raw in enumerate((_wide_lines if wide else _lines)(stream, cap), start=1):
                locator = f"line {number}"
                if raw is None:
                    seen_content = True
                    yield Rejection(
                        src.input_path,
                        locator,
                        RejectReason.TOO_LARGE,
                        f"{locator}: line is longer than the read limit of {cap:,} bytes",
                    )
                    continue
                if number == 1:
                    raw = raw.removeprefix(_UTF8_BOM)
                if not raw.strip():
                    pending_blank.append(number)
                    continue
                seen_content = True
                for blank in pending_blank:
                    yield _blank(src, blank)
                pending_blank.clear()
                yield _parse_line(raw, locator, src, max_document_bytes)
    except GZIP_ERRORS as exc:
        for blank in pending_blank:
            yield _blank(src, blank)
        yield Rejection(
            src.input_path,
            f"line {number + 1}",
            RejectReason.CORRUPT_ARCHIVE,
            f"{gzip_message(exc)} (after {number:,} complete lines)",
        )
        return
    if not seen_content:
        message = "file is empty (0 bytes)" if number == 0 else f"only whitespace ({number} lines)"
        yield Rejection(src.input_path, "file", RejectReason.EMPTY, message)
        return
    for blank in pending_blank:
        yield _blank(src, blank)


def _blank(src: InputFile, number: int) -> Rejection:
    locator = f"line {number}"
    return Rejection(
        src.input_path, locator, RejectReason.MALFORMED_RECORD, f"{locator}: blank line"
    )
