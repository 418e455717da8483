"""Read an evaluation document exactly as ingest would, so gold offsets point into the same text.

Gold offsets are code-point indices into the decoded text; any difference in decoding (a BOM,
`\\r\\n`, stripped leading whitespace) would shift every span after it. So we use ingest's own
decoder, and refuse a document ingest would reject instead of guessing.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.ingest.decode import DecodeFailure, decode_bytes


def read_document(docs_dir: str | Path, doc: str) -> str:
    """The text of gold document `doc` (its file name inside `docs_dir`), decoded like ingest."""
    path = Path(docs_dir) / doc
    decoded = decode_bytes(path.read_bytes())
    if isinstance(decoded, DecodeFailure):
        raise ValueError(f"{path}: ingest would reject it ({decoded.reason}): {decoded.message}")
    return decoded.text
