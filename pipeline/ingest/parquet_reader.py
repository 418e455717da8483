"""Parquet: one article per row, read with polars in slices so rows stream out."""

from __future__ import annotations

import io
from collections.abc import Iterator

import polars as pl

from pipeline.config import DEFAULT_MAX_FILE_BYTES
from pipeline.ingest.fields import build_article
from pipeline.ingest.records import Article, Rejection, RejectReason
from pipeline.ingest.source import InputFile

_SLICE_ROWS = 10_000


def _load(src: InputFile) -> pl.DataFrame | Rejection:
    source: io.BytesIO | str = (
        io.BytesIO(src.read_bytes(DEFAULT_MAX_FILE_BYTES)) if src.compressed else str(src.path)
    )
    try:
        return pl.read_parquet(source)
    except (pl.exceptions.PolarsError, OSError, ValueError) as exc:
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return Rejection(
            src.input_path,
            "file",
            RejectReason.MALFORMED_RECORD,
            f"not a readable Parquet file: {first_line}",
        )


def read_parquet(src: InputFile, max_document_bytes: int) -> Iterator[Article | Rejection]:
    """One Article or Rejection per row; a file without a `text` column is one rejection."""
    frame = _load(src)
    if isinstance(frame, Rejection):
        yield frame
        return
    names = {column: column.strip().lower() for column in frame.columns}
    if "text" not in names.values():
        yield Rejection(
            src.input_path,
            "file",
            RejectReason.MISSING_TEXT,
            f"no `text` column (columns: {', '.join(frame.columns) or 'none'})",
        )
        return
    frame = frame.rename(names) if len(set(names.values())) == len(names) else frame
    number = 0
    for chunk in frame.iter_slices(_SLICE_ROWS):
        for row in chunk.iter_rows(named=True):
            number += 1
            yield build_article(
                row,
                input_path=src.input_path,
                locator=f"row {number}",
                encoding="utf-8",
                max_document_bytes=max_document_bytes,
            )
