"""A `.txt` file is one article; its metadata may sit in a `<stem>.meta.json` sidecar."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from pipeline.ingest.decode import DecodeFailure, decode_bytes, decode_raw
from pipeline.ingest.fields import build_article, describe
from pipeline.ingest.records import Article, Rejection
from pipeline.ingest.source import InputFile

#: How many raw bytes we read for one document: UTF-32 needs 4 per character, plus slack.
SINGLE_DOCUMENT_FACTOR = 4
_SLACK_BYTES = 1 << 20
#: Sidecars are small by nature; a larger one is ignored with a note.
MAX_SIDECAR_BYTES = 1 << 20


def single_document_limit(max_document_bytes: int) -> int:
    """Raw-byte cap for a file that holds one document (encoding and whitespace slack)."""
    return max_document_bytes * SINGLE_DOCUMENT_FACTOR + _SLACK_BYTES


def sidecar_path(path: Path) -> Path:
    """`a.txt` and `a.txt.gz` both have their metadata in `a.meta.json`."""
    name = path.name
    if name.lower().endswith(".gz"):
        name = name[: -len(".gz")]
    stem = name.rsplit(".", 1)[0]
    return path.with_name(f"{stem}.meta.json")


def read_sidecar(path: Path) -> tuple[dict[str, object], tuple[str, ...]]:
    """The sidecar's metadata and notes on why any of it was ignored; never raises."""
    if not path.is_file():
        return {}, ()
    try:
        data = path.read_bytes()[: MAX_SIDECAR_BYTES + 1]
    except OSError as exc:
        return {}, (f"sidecar {path.name}: unreadable ({exc.strerror or exc})",)
    if len(data) > MAX_SIDECAR_BYTES:
        return {}, (f"sidecar {path.name}: larger than {MAX_SIDECAR_BYTES:,} bytes, ignored",)
    decoded = decode_raw(data)
    if isinstance(decoded, DecodeFailure):
        return {}, (f"sidecar {path.name}: {decoded.message}",)
    try:
        meta = json.loads(decoded.text)
    except json.JSONDecodeError as exc:
        return {}, (f"sidecar {path.name}: invalid JSON: {exc}",)
    if not isinstance(meta, dict):
        return {}, (f"sidecar {path.name}: {describe(meta)}, expected a JSON object",)
    meta.pop("text", None)  # the text is the .txt file's, never the sidecar's
    return meta, ()


def read_text_file(src: InputFile, max_document_bytes: int) -> Iterator[Article | Rejection]:
    """One Article (or Rejection) for the whole file, with sidecar metadata if present."""
    data = src.read_bytes(single_document_limit(max_document_bytes))
    decoded = decode_bytes(data)
    if isinstance(decoded, DecodeFailure):
        yield Rejection(src.input_path, "file", decoded.reason, decoded.message, len(data))
        return
    meta, notes = read_sidecar(sidecar_path(src.path))
    yield build_article(
        {**meta, "text": decoded.text},
        input_path=src.input_path,
        locator="file",
        encoding=decoded.encoding,
        max_document_bytes=max_document_bytes,
        extra_notes=notes,
    )
