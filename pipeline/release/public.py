"""Which tables and columns a release publishes: the public schema, derived from the Pandera models.

Public: documents, document_sources, segments, sentences, claims, speakers, quantities. Not
public: `input_files` and `rejected_inputs`, the ledger of the builder's own input folder (local
paths, file hashes, error messages that may quote the input); the card reports their counts.
Article text belongs to its publisher, so the `text` columns of documents, segments and sentences
are dropped unless the release is cut with `include_text`; offsets and `text_sha256` stay, so a
user who holds the articles can restore every span.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from pipeline.schemas import SORT_KEYS, column_docs, polars_schema, table_description

#: Bump the major on a removed or retyped column, the minor on an added column or table.
SCHEMA_VERSION = "1.0.0"

#: Public tables in the order a reader follows an article; the first is the card's default.
PUBLIC_TABLES: tuple[str, ...] = (
    "claims",
    "documents",
    "document_sources",
    "speakers",
    "quantities",
    "segments",
    "sentences",
)

#: Publisher text: present only in releases cut with include_text.
TEXT_COLUMNS: dict[str, tuple[str, ...]] = {
    "documents": ("text",),
    "segments": ("text",),
    "sentences": ("text",),
}

#: Internal bookkeeping that means nothing outside the builder's Dagster instance.
INTERNAL_COLUMNS: dict[str, tuple[str, ...]] = {"document_sources": ("partition_key",)}


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    dtype: pl.DataType
    type_name: str
    nullable: bool
    description: str


def _dropped(table: str, include_text: bool) -> set[str]:
    dropped = set(INTERNAL_COLUMNS.get(table, ()))
    if not include_text:
        dropped |= set(TEXT_COLUMNS.get(table, ()))
    return dropped


def public_columns(table: str, include_text: bool) -> list[Column]:
    """The published columns of a table with their docs, in the model's order."""
    dtypes = polars_schema(table)
    dropped = _dropped(table, include_text)
    return [
        Column(name, dtypes[name], type_name, nullable, description)
        for name, type_name, nullable, description in column_docs(table)
        if name not in dropped
    ]


def public_frame(frame: pl.DataFrame, table: str, include_text: bool) -> pl.DataFrame:
    """The table as published: public columns in model order, rows sorted by the table's keys."""
    names = [c.name for c in public_columns(table, include_text)]
    return frame.select(names).sort(SORT_KEYS[table], nulls_last=True, maintain_order=True)


def public_schema(include_text: bool = True) -> dict[str, dict[str, str]]:
    """table -> column -> polars type: what the committed schema snapshot records."""
    return {
        table: {c.name: str(c.dtype) for c in public_columns(table, include_text)}
        for table in PUBLIC_TABLES
    }


def description(table: str) -> str:
    return table_description(table)


def sort_keys(table: str) -> list[str]:
    return list(SORT_KEYS[table])
