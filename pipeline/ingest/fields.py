"""One parsed record (a dict from JSON, CSV or Parquet) to an Article or a Rejection.

The `text` field decides acceptance; metadata never does. A metadata value of the wrong
type or an unparseable date is set to None and explained in `Article.notes`, so a messy
date never costs the research dataset a whole article.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date

from pipeline.ingest.dates import coerce_date
from pipeline.ingest.decode import normalize_text
from pipeline.ingest.records import Article, Rejection, RejectReason

#: Strings that real corpora use for "no value" (compared case-insensitively, stripped).
NULL_STRINGS = frozenset({"", "none", "null", "nan"})
#: Fields that may carry the publication date, first present wins.
DATE_FIELDS = ("published_at", "date", "publish_date")
_STRING_FIELDS = ("title", "source", "url", "author", "language")


def describe(value: object) -> str:
    """A short human description of a value's type and content, for messages."""
    kind = {
        bool: "a bool",
        int: "an int",
        float: "a float",
        list: "a list",
        dict: "an object",
        str: "a string",
    }.get(type(value), f"a {type(value).__name__}")
    shown = repr(value)
    if len(shown) > 40:
        shown = shown[:37] + "..."
    return f"{kind} ({shown})"


def is_null(value: object) -> bool:
    """True for None, float NaN and the placeholder strings ("None", "null", "NaN", "")."""
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and value.strip().lower() in NULL_STRINGS


def check_text(
    record: Mapping[str, object], prefix: str, max_document_bytes: int
) -> str | tuple[RejectReason, str]:
    """The record's normalized text, or the reason and message why it has none usable."""
    if "text" not in record:
        return RejectReason.MISSING_TEXT, f"{prefix}no `text` field"
    value = record["text"]
    if value is None:
        return RejectReason.NULL_TEXT, f"{prefix}text is null"
    if not isinstance(value, str):
        return RejectReason.NON_STRING_TEXT, f"{prefix}text is {describe(value)}, expected a string"
    text = normalize_text(value)
    if not text:
        return RejectReason.EMPTY_TEXT, f"{prefix}text is empty or whitespace only"
    if text.lower() in NULL_STRINGS:
        return RejectReason.NULL_TEXT, f"{prefix}text is the placeholder string {text!r}"
    # Cheap bound first: a str of n characters is at most 4n UTF-8 bytes.
    size = len(text) if len(text) * 4 <= max_document_bytes else len(text.encode("utf-8"))
    if size > max_document_bytes:
        return (
            RejectReason.TOO_LARGE,
            f"{prefix}text is {size:,} bytes, above the limit of {max_document_bytes:,}",
        )
    return text


def _string_field(name: str, value: object, notes: list[str]) -> str | None:
    if is_null(value):
        return None
    if isinstance(value, str):
        return value.strip()
    if name == "author" and isinstance(value, list) and all(isinstance(v, str) for v in value):
        return ", ".join(v.strip() for v in value if v.strip()) or None
    notes.append(f"{name}: expected a string, got {describe(value)}")
    return None


def _date_field(record: Mapping[str, object], notes: list[str]) -> date | None:
    for name in DATE_FIELDS:
        if name not in record:
            continue
        value = record[name]
        if is_null(value):
            continue
        parsed = coerce_date(value)
        if parsed is None:
            shown = repr(value) if isinstance(value, str) else describe(value)
            notes.append(f"published_at: could not parse {shown} (from `{name}`)")
        return parsed
    return None


def _record_id(value: object, notes: list[str]) -> str | None:
    if is_null(value):
        return None
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    notes.append(f"id: expected a string or int, got {describe(value)}")
    return None


def build_article(
    record: Mapping[str, object],
    *,
    input_path: str,
    locator: str,
    encoding: str,
    max_document_bytes: int,
    extra_notes: tuple[str, ...] = (),
) -> Article | Rejection:
    """Validate `text`, coerce the metadata, and return exactly one Article or Rejection."""
    prefix = "" if locator == "file" else f"{locator}: "
    checked = check_text(record, prefix, max_document_bytes)
    if isinstance(checked, tuple):
        reason, message = checked
        return Rejection(input_path, locator, reason, message)
    notes = list(extra_notes)
    strings = {name: _string_field(name, record.get(name), notes) for name in _STRING_FIELDS}
    return Article(
        text=checked,
        input_path=input_path,
        locator=locator,
        title=strings["title"],
        source=strings["source"],
        url=strings["url"],
        author=strings["author"],
        published_at=_date_field(record, notes),
        language=strings["language"],
        source_record_id=_record_id(record.get("id"), notes),
        encoding=encoding,
        notes=tuple(notes),
    )
