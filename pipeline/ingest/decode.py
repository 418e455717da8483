"""Bytes to text: pick the encoding, refuse binary, normalize line ends.

Every character offset downstream points into the text this module returns, so the
normalization is deliberately minimal: NUL bytes go, CR/CRLF become LF, and the whole
document is stripped at its edges. Nothing else changes (no Unicode normalization).
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

import charset_normalizer

from pipeline.ingest.records import RejectReason

#: BOMs checked longest first, so UTF-32-LE is not mistaken for UTF-16-LE.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

#: File signatures of common binary formats that may hide behind a text suffix.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or DOCX/XLSX)"),
    (b"\x1f\x8b", "gzip data"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x7fELF", "an executable"),
    (b"\xd0\xcf\x11\xe0", "an OLE document (old Office format)"),
)

#: Control bytes that never occur in real text (tab, LF, VT, FF, CR and ESC are allowed).
_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x1B), *range(0x1C, 0x20), 0x7F])
_SAMPLE_BYTES = 65_536
#: Below this share of non-ASCII bytes, non-UTF-8 text is read as Western (Latin-1/cp1252):
#: charset detection guesses wildly (cp932, cp1250) when only a few bytes are non-ASCII.
MAX_WESTERN_HIGH_RATIO = 0.10
#: Above this share of control bytes in the sample, the data is not text.
MAX_CONTROL_RATIO = 0.05


@dataclass(frozen=True, slots=True)
class Decoded:
    """Normalized text and the name of the encoding it came from."""

    text: str
    encoding: str


@dataclass(frozen=True, slots=True)
class DecodeFailure:
    """Why bytes could not become text (a reason code and a human message)."""

    reason: RejectReason
    message: str


def bom_encoding(data: bytes) -> tuple[str, int] | None:
    """The encoding announced by a byte-order mark at the start of `data`, and the BOM's length."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name, len(bom)
    return None


def binary_signature(data: bytes) -> str | None:
    """Why `data` looks binary (a known file signature or too many control bytes), or None."""
    for magic, label in _MAGIC:
        if data.startswith(magic):
            return f"looks like {label}, not text"
    sample = data[:_SAMPLE_BYTES]
    if not sample:
        return None
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    ratio = controls / len(sample)
    if ratio > MAX_CONTROL_RATIO:
        return f"{ratio:.0%} of the first {len(sample):,} bytes are control bytes; looks binary"
    return None


def normalize_text(text: str) -> str:
    """Drop NULs, turn CRLF and CR into LF, strip the document's edges; nothing else."""
    if "\x00" in text:
        text = text.replace("\x00", "")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.strip()


def decode_raw(data: bytes, declared: str | None = None) -> Decoded | DecodeFailure:
    """Decode bytes without normalizing (for formats like CSV that parse the raw text).

    `declared` is an encoding the file names itself (an HTML `<meta charset>`); it is
    tried after UTF-8 and before any guessing.
    """
    bom = bom_encoding(data)
    if bom is not None:
        encoding, skip = bom
        try:
            return Decoded(data[skip:].decode(encoding), encoding)
        except UnicodeDecodeError as exc:
            return DecodeFailure(
                RejectReason.UNDECODABLE, f"starts with a {encoding} byte-order mark but {exc}"
            )
    signature = binary_signature(data)
    if signature is not None:
        return DecodeFailure(RejectReason.BINARY, signature)
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    if declared is not None:
        try:
            return Decoded(data.decode(declared), codecs.lookup(declared).name)
        except (LookupError, UnicodeDecodeError):
            pass
    western = _decode_western(data)
    if western is not None:
        return western
    match = charset_normalizer.from_bytes(data).best()
    if match is None:
        return DecodeFailure(
            RejectReason.UNDECODABLE, "not valid UTF-8 and no other encoding fits the bytes"
        )
    return Decoded(str(match), match.encoding)


def decode_bytes(data: bytes) -> Decoded | DecodeFailure:
    """Decode and normalize one document's bytes; empty or whitespace-only text is EMPTY."""
    if not data:
        return DecodeFailure(RejectReason.EMPTY, "file is empty (0 bytes)")
    raw = decode_raw(data)
    if isinstance(raw, DecodeFailure):
        return raw
    text = normalize_text(raw.text)
    if not text:
        return DecodeFailure(
            RejectReason.EMPTY, f"only whitespace after decoding ({len(data):,} bytes)"
        )
    return Decoded(text, raw.encoding)


def _decode_western(data: bytes) -> Decoded | None:
    """Mostly-ASCII text that is not UTF-8 is, for English news, nearly always Latin-1/cp1252."""
    high = len(data) - len(data.translate(None, bytes(range(0x80, 0x100))))
    if high / len(data) > MAX_WESTERN_HIGH_RATIO:
        return None
    c1 = len(data) - len(data.translate(None, bytes(range(0x80, 0xA0))))
    encoding = "cp1252" if c1 else "latin-1"
    try:
        return Decoded(data.decode(encoding), encoding)
    except UnicodeDecodeError:
        return None
