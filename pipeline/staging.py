"""Per-input-file Parquet parts: what each partition produced, before tables are consolidated.

Layout: `<warehouse>/staging/<table>/<partition_key>.parquet`, plus a small JSON state per
partition that records which file content and which versions produced the parts, so an
unchanged file is not processed again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

import polars as pl

from pipeline.schemas import polars_schema
from pipeline.storage import read_json, write_json, write_parquet

INGEST_TABLES = ("input_files", "documents", "document_sources", "rejected_inputs")
SEGMENT_TABLES = ("segments", "sentences")
EXTRACT_TABLES = ("claims", "quantities")
STAGED_TABLES = INGEST_TABLES + SEGMENT_TABLES + EXTRACT_TABLES


@dataclass(frozen=True, slots=True)
class PartitionState:
    """Fingerprint of what produced a partition's parts at each stage."""

    input_path: str
    file_sha256: str
    ingest_version: str | None = None
    segment_version: str | None = None
    extract_version: str | None = None


class Staging:
    def __init__(self, staging_dir: Path) -> None:
        self.root = staging_dir

    def part_path(self, table: str, key: str) -> Path:
        return self.root / table / f"{key}.parquet"

    def write(self, table: str, key: str, df: pl.DataFrame) -> None:
        write_parquet(df, self.part_path(table, key))

    def read(self, table: str, keys: Iterable[str]) -> pl.DataFrame:
        """All parts of `table` for `keys`; partitions without a part contribute nothing."""
        paths = [p for p in (self.part_path(table, k) for k in keys) if p.exists()]
        if not paths:
            return pl.DataFrame(schema=polars_schema(table))
        return pl.read_parquet(paths, schema=polars_schema(table))

    def keys(self) -> list[str]:
        """Partitions that have staged state."""
        state_dir = self.root / "_state"
        return sorted(p.stem for p in state_dir.glob("*.json")) if state_dir.exists() else []

    def state(self, key: str) -> PartitionState | None:
        data = read_json(self.root / "_state" / f"{key}.json")
        return PartitionState(**data) if isinstance(data, dict) else None

    def set_state(self, key: str, state: PartitionState) -> None:
        write_json(asdict(state), self.root / "_state" / f"{key}.json")

    def drop(self, key: str) -> None:
        """Forget a partition whose input file is gone: its rows leave the warehouse."""
        for table in STAGED_TABLES:
            self.part_path(table, key).unlink(missing_ok=True)
        (self.root / "_state" / f"{key}.json").unlink(missing_ok=True)
