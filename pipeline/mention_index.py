"""Distinct speaker mentions per partition, kept beside the staged parts between runs.

The cross-document speaker merge needs every partition's mentions (`speaker_table.mentions`),
but a run that adds one file changes one partition's claims. Reading every claims part again
made the `tables` step of a one-file increment follow the warehouse (~1 s at 100k documents).
Each partition's mentions are therefore stored once, in `staging/_mentions/<key>.parquet`,
with the size and mtime of the claims part they came from (the fingerprint the validation
ledger uses): a run re-reads the claims of a partition only when that part changed, and the
merge reads the small mention files of the others.

The stored rows are exactly what `mentions` gives for the partition's claims, with no owner
filter: which partition owns a document is decided per run (`pipeline.warehouse.plan`).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import polars as pl
import pyarrow.parquet as pq

from pipeline.schemas import polars_schema
from pipeline.speaker_table import MENTION_COLUMNS, mentions
from pipeline.staging import Staging
from pipeline.storage import atomic_path

INDEX_DIR = "_mentions"
#: Parquet key-value metadata: the fingerprint of the claims part the rows were read from.
SOURCE_META = b"claimbank.claims_part"
#: Bump when `mentions` or its columns change: every index is then rebuilt from the claims.
INDEX_VERSION = "1"


def index_path(staging: Staging, key: str) -> Path:
    return staging.root / INDEX_DIR / f"{key}.parquet"


@cache
def _columns() -> str:
    schema = polars_schema("claims")
    return ",".join(f"{c}:{schema[c]}" for c in MENTION_COLUMNS)


def source(staging: Staging, key: str) -> str:
    """What the stored rows depend on: the claims part, and the columns they are grouped by."""
    return f"{INDEX_VERSION}|{_columns()}|{staging.fingerprint('claims', key)}"


def _stored_source(path: Path) -> str | None:
    try:
        meta = pq.read_schema(path).metadata or {}
    except (FileNotFoundError, OSError, ValueError):
        return None
    value = meta.get(SOURCE_META)
    return value.decode() if value is not None else None


def _from_claims(staging: Staging, key: str) -> pl.DataFrame:
    """The partition's distinct mentions, read from its claims part."""
    path = staging.part_path("claims", key)
    schema = polars_schema("claims")
    if not path.exists():
        claims = pl.LazyFrame(schema={c: schema[c] for c in MENTION_COLUMNS})
    else:
        claims = pl.scan_parquet(path, schema=schema).select(MENTION_COLUMNS)
    # sorted: the same claims always give the same file
    return mentions(claims).collect().sort(MENTION_COLUMNS, nulls_last=True)


def _write(rows: pl.DataFrame, path: Path, source: str) -> None:
    table = rows.to_arrow()
    table = table.replace_schema_metadata({**(table.schema.metadata or {}), SOURCE_META: source})
    with atomic_path(path) as tmp:
        pq.write_table(table, tmp, compression="zstd")


def partition_mentions(staging: Staging, key: str) -> pl.DataFrame:
    """The distinct mentions of one partition's claims, from its index when still current.

    A stale or missing index is rebuilt from the claims part and stored (atomically: a killed
    run leaves the old index, whose fingerprint no longer matches, or the new one).
    """
    path = index_path(staging, key)
    current = source(staging, key)
    if _stored_source(path) == current:
        return pl.read_parquet(path)
    rows = _from_claims(staging, key)
    _write(rows, path, current)
    return rows


def prune(staging: Staging) -> None:
    """Drop the indexes of partitions whose claims part is gone (their input file was deleted)."""
    folder = staging.root / INDEX_DIR
    if not folder.is_dir():
        return
    for path in folder.glob("*.parquet"):
        if not staging.part_path("claims", path.stem).exists():
            path.unlink(missing_ok=True)
