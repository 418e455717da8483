"""Consolidate staged parts into one Parquet file per table, then load DuckDB from them.

Parquet is the source of truth; `claimbank.duckdb` is rebuilt from it by a single writer into
a temporary file that replaces the old one atomically, so a reader never sees half a warehouse
and a crash leaves the previous one intact.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import duckdb
import polars as pl

from pipeline.schemas import SORT_KEYS, TABLES, polars_schema
from pipeline.speaker_table import merge_speakers
from pipeline.staging import STAGED_TABLES, Staging
from pipeline.storage import atomic_path, write_parquet

#: Unique key per table: a row seen in two partitions (same article in two files) is kept once.
UNIQUE_KEYS: dict[str, list[str]] = {
    "input_files": ["input_path"],
    "documents": ["doc_id"],
    "document_sources": ["input_path", "locator"],
    "rejected_inputs": ["input_path", "locator"],
    "segments": ["segment_id"],
    "sentences": ["sentence_id"],
    "claims": ["claim_id"],
    "quantities": ["quantity_id"],
}

ENRICHED_VIEW = """
CREATE OR REPLACE VIEW claims_enriched AS
SELECT c.*, d.title, d.outlet, d.url, d.published_at, d.language,
       s.canonical_name AS speaker_canonical_name, s.n_documents AS speaker_n_documents
FROM claims c
JOIN documents d USING (doc_id)
LEFT JOIN speakers s USING (speaker_id)
"""


def consolidate(staging: Staging, keys: Iterable[str]) -> dict[str, pl.DataFrame]:
    """Every table over the given partitions: deduplicated, sorted, with the speakers table."""
    keys = sorted(keys)
    tables: dict[str, pl.DataFrame] = {}
    for table in STAGED_TABLES:
        frame = staging.read(table, keys)
        tables[table] = frame.unique(UNIQUE_KEYS[table], keep="first", maintain_order=True)
    # claims point at the speaker merged across documents; see pipeline/speaker_table.py
    tables["claims"], tables["speakers"] = merge_speakers(tables["claims"])
    return {name: tables[name].sort(SORT_KEYS[name]) for name in TABLES}


def parquet_path(parquet_dir: Path, table: str) -> Path:
    return parquet_dir / f"{table}.parquet"


def write_tables(tables: dict[str, pl.DataFrame], parquet_dir: Path) -> dict[str, Path]:
    paths = {}
    for name, frame in tables.items():
        paths[name] = parquet_path(parquet_dir, name)
        write_parquet(frame, paths[name])
    return paths


def read_table(parquet_dir: Path, table: str) -> pl.DataFrame:
    path = parquet_path(parquet_dir, table)
    if not path.exists():
        return pl.DataFrame(schema=polars_schema(table))
    return pl.read_parquet(path)


def load_duckdb(parquet_dir: Path, duckdb_path: Path) -> dict[str, int]:
    """Build the DuckDB file from the Parquet tables; returns row counts per table."""
    counts: dict[str, int] = {}
    with atomic_path(duckdb_path) as tmp:
        tmp.unlink()  # DuckDB wants to create the file itself
        con = duckdb.connect(str(tmp))
        try:
            con.execute("BEGIN TRANSACTION")
            for table in TABLES:
                source = parquet_path(parquet_dir, table).as_posix().replace("'", "''")
                con.execute(f"CREATE TABLE {table} AS SELECT * FROM read_parquet('{source}')")
                row = con.execute(f"SELECT count(*) FROM {table}").fetchone()
                counts[table] = int(row[0]) if row else 0
            con.execute(ENRICHED_VIEW)
            con.execute("COMMIT")
            con.execute("CHECKPOINT")
        finally:
            con.close()
    return counts
