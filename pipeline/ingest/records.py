"""What ingest yields: a good record becomes an Article, a bad one a Rejection. Nothing else."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class RejectReason(StrEnum):
    """Why an input file or record did not become a document (the quarantine's reason codes)."""

    EMPTY = "empty"  # zero bytes, or only whitespace after decoding
    BINARY = "binary"  # not text in any encoding we accept
    UNDECODABLE = "undecodable"  # looked like text but no encoding decoded it
    UNSUPPORTED_TYPE = "unsupported_type"  # file extension we do not read (.pdf, .docx, ...)
    MALFORMED_RECORD = "malformed_record"  # a JSONL line / CSV or Parquet row that does not parse
    NOT_AN_OBJECT = "not_an_object"  # a JSONL line that parses but is not a JSON object
    MISSING_TEXT = "missing_text"  # record without a `text` field / column
    NULL_TEXT = "null_text"  # `text` is null
    EMPTY_TEXT = "empty_text"  # `text` is empty or whitespace only
    NON_STRING_TEXT = "non_string_text"  # `text` is a number, list, object ...
    TOO_LARGE = "too_large"  # document (or file) above the configured size limit
    CORRUPT_ARCHIVE = "corrupt_archive"  # truncated or broken gzip
    NO_ARTICLE_TEXT = "no_article_text"  # HTML page from which no main text could be extracted
    UNREADABLE = "unreadable"  # OS error while reading (permissions, vanished file, ...)


def make_doc_id(text: str) -> str:
    """Stable id of a document: the same normalized text always gets the same id."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Article:
    """One good input record, decoded and normalized. `text` is what every offset points into."""

    text: str
    input_path: str  # relative to the input folder, POSIX separators
    locator: str  # where in the file: "file", "line 12", "row 3"
    title: str | None = None
    source: str | None = None  # outlet
    url: str | None = None
    author: str | None = None
    published_at: date | None = None
    language: str | None = None
    source_record_id: str | None = None  # the record's own `id`, if it had one
    encoding: str = "utf-8"  # the encoding the bytes were decoded from
    notes: tuple[str, ...] = field(default=())  # metadata problems that were nulled, not rejected

    @property
    def doc_id(self) -> str:
        return make_doc_id(self.text)


@dataclass(frozen=True, slots=True)
class Rejection:
    """One input file or record that could not become a document, and exactly why."""

    input_path: str
    locator: str
    reason: RejectReason
    message: str
    size_bytes: int | None = None
