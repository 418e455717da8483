"""`.json` files: JSON Lines, unless the file is one multi-line JSON document.

A pretty-printed array or object would otherwise become one MALFORMED_RECORD per line.
An array yields one record per element (`item N`); an object is one record (`file`).
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from pipeline.ingest.decode import DecodeFailure, decode_raw
from pipeline.ingest.fields import build_article, describe
from pipeline.ingest.jsonl_reader import read_jsonl
from pipeline.ingest.records import Article, Rejection, RejectReason
from pipeline.ingest.source import InputFile, ReadProblem
from pipeline.ingest.text_reader import single_document_limit

#: A whole-document JSON file is parsed in memory; larger ones are read as JSON Lines.
_WHOLE_FILE_FACTOR = 16


def _whole_document(src: InputFile, max_document_bytes: int) -> object | None:
    """The file's single JSON value if it spans several lines, else None (read as lines)."""
    limit = single_document_limit(max_document_bytes) * _WHOLE_FILE_FACTOR
    if not src.compressed and src.path.stat().st_size > limit:
        return None
    try:
        data = src.read_bytes(limit)
    except ReadProblem:
        return None  # too large or broken: the streaming reader reports it line by line
    decoded = decode_raw(data)
    if isinstance(decoded, DecodeFailure) or "\n" not in decoded.text.strip():
        return None
    try:
        return json.loads(decoded.text)
    except json.JSONDecodeError:
        return None


def _item(value: object, src: InputFile, locator: str, max_bytes: int) -> Article | Rejection:
    if not isinstance(value, dict):
        prefix = "" if locator == "file" else f"{locator}: "
        return Rejection(
            src.input_path,
            locator,
            RejectReason.NOT_AN_OBJECT,
            f"{prefix}{describe(value)}, expected a JSON object",
        )
    return build_article(
        value,
        input_path=src.input_path,
        locator=locator,
        encoding="utf-8",
        max_document_bytes=max_bytes,
    )


def read_json(src: InputFile, max_document_bytes: int) -> Iterator[Article | Rejection]:
    """Records from a `.json` file: array items, one object, or JSON Lines."""
    document = _whole_document(src, max_document_bytes)
    if isinstance(document, list):
        for number, value in enumerate(document, start=1):
            yield _item(value, src, f"item {number}", max_document_bytes)
    elif document is not None:
        yield _item(document, src, "file", max_document_bytes)
    else:
        yield from read_jsonl(src, max_document_bytes)
