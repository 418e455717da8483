"""Per-input-file Parquet parts: what each partition produced, before tables are consolidated.

Layout: `<warehouse>/staging/<table>/<partition_key>.parquet`, plus a small JSON state per
partition that records which file content and which versions produced the parts, so an
unchanged file is not processed again.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.heap import return_freed_memory
from pipeline.schemas import polars_schema
from pipeline.storage import (
    PARQUET_COMPRESSION,
    ROW_GROUP_SIZE,
    atomic_path,
    read_json,
    write_json,
    write_parquet,
)

#: Documents per batch in ingest and segmentation: memory per file stays flat at any file size.
BATCH_DOCS = 5_000
#: Staged parts are lz4-compressed: they are scratch, written once by the run process and read
#: once or twice (the extract step, `tables`), so the codec is CPU on both sides. Extraction's
#: four parts of 8 real 500-document batches: written in 9.5-11.0 ms per batch instead of
#: 12.2-12.3 (zstd level 1), every staged part of 25k documents read in 0.17 s instead of
#: 0.24-0.27; 1.6x zstd's bytes. Uncompressed parts were faster still (6.0 ms, 0.12 s) but
#: 3.4x the bytes, and polars reads them memory-mapped, zero-copy: reading every part of
#: 25k documents held 55 MB more resident memory, which would land on the `tables` step's
#: peak. The consolidated tables keep zstd.
STAGING_COMPRESSION = "lz4"
#: Staged parts are written without dictionary encoding: their largest columns (texts, ids)
#: are nearly all distinct, so pyarrow's default dictionary attempt was pure cost before it
#: fell back to plain pages. Extraction's four parts: 32 -> 26 ms of the run process's CPU per
#: 500-document batch, and 7% smaller. (The consolidated tables keep their own settings.)
STAGING_DICTIONARY = False
#: Staged parts carry no column statistics: no reader of a part filters on a column (they
#: read whole parts, project columns or count rows from the footer), and a part's row groups
#: are batches in input order, which min/max could not prune anyway. Computing min/max of
#: every column (texts included) cost the run process ~1.5 ms per 500-document extraction
#: batch (four parts; ~0.3 s at 100k documents), plus ingest's documents parts.
STAGING_STATISTICS = False
#: Rows per Pandera check of extraction's frames as the run process writes them: few calls
#: (~10 ms each), and a chunk held meanwhile is a fraction of what a read-back check held.
#: (100k-row chunks cost ~40% less Pandera CPU on real batches, but held ~45 MB more in the
#: run process over the 25k corpus: 326 -> 370 MB peak; not worth ~0.25 s at 100k.)
CHECK_ROWS = 50_000

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
    #: "size:mtime_ns" of the file when it was hashed: unchanged, the hash need not be redone
    file_stat: str | None = None


class PartWriter:
    """Appends frames of one table to one Parquet part, one row group per frame (or less).

    `check_rows` > 0: the frames are also Pandera-checked as they are written, `check_rows`
    rows at a time (`failures`), so the staged check need not read the part back. Chunks of
    tens of thousands of rows, not one per frame: Pandera costs ~10 ms per call whatever
    the rows, and extraction writes 500-document frames. A failing chunk stops the checks.
    """

    def __init__(self, table: str, tmp: Path, check_rows: int = 0) -> None:
        self.table = table
        self.tmp = tmp
        self.rows = 0
        self.check_rows = check_rows
        #: Pandera failure cases of the first failing chunk; None: every chunk passed
        self.failures: pl.DataFrame | None = None
        self._unchecked: list[pa.Table] = []
        self._unchecked_rows = 0
        self._writer: pq.ParquetWriter | None = None

    def write(self, frame: pl.DataFrame | pa.Table) -> None:
        """Append a frame, or the Arrow table of one (what extraction's workers send back)."""
        arrow = frame if isinstance(frame, pa.Table) else frame.to_arrow()
        if arrow.num_rows == 0:
            return
        if self._writer is None:
            self._writer = pq.ParquetWriter(
                self.tmp,
                arrow.schema,
                compression=STAGING_COMPRESSION,
                use_dictionary=STAGING_DICTIONARY,
                write_statistics=STAGING_STATISTICS,
            )
        self._writer.write_table(arrow, row_group_size=min(ROW_GROUP_SIZE, arrow.num_rows))
        self.rows += arrow.num_rows
        if self.check_rows:
            self._unchecked.append(arrow)
            self._unchecked_rows += arrow.num_rows
            if self._unchecked_rows >= self.check_rows:
                self.check()

    def check(self) -> None:
        """Check the frames written since the last check (called by `close` for the rest)."""
        if self._unchecked and self.failures is None:
            from pipeline.batch_checks import schema_failures  # Pandera: only where checked

            frame = pl.from_arrow(pa.concat_tables(self._unchecked))
            assert isinstance(frame, pl.DataFrame)
            self.failures = schema_failures(self.table, frame)
        if self._unchecked:
            self._unchecked.clear()
            return_freed_memory()  # the held tables' buffers (see `pipeline.heap`)
        self._unchecked_rows = 0

    def close(self) -> None:
        if self._writer is None:  # no rows: an empty part that still carries the schema
            write_empty = pl.DataFrame(schema=polars_schema(self.table))
            write_empty.write_parquet(self.tmp, compression=PARQUET_COMPRESSION)
        else:
            self._writer.close()


class Staging:
    def __init__(self, staging_dir: Path) -> None:
        self.root = staging_dir

    def part_path(self, table: str, key: str) -> Path:
        return self.root / table / f"{key}.parquet"

    def write(self, table: str, key: str, df: pl.DataFrame) -> None:
        write_parquet(df, self.part_path(table, key))

    @contextlib.contextmanager
    def writer(self, table: str, key: str, check_rows: int = 0) -> Iterator[PartWriter]:
        """Stream frames into a part; it replaces the old part only when the block succeeds.

        `check_rows` > 0: Pandera-check the frames too, in chunks of that many rows (the
        verdict is in the writer's `failures` once the block is done; see `PartWriter`).
        """
        with atomic_path(self.part_path(table, key)) as tmp:
            part = PartWriter(table, tmp, check_rows)
            try:
                yield part
                part.check()
            finally:
                part.close()

    def batches(
        self, table: str, key: str, rows: int, columns: Sequence[str] | None = None
    ) -> Iterator[pl.DataFrame]:
        """The part of `table` for `key` in frames of at most `rows` rows (empty if no part).

        `columns`: only these are read (a stage that needs ids and offsets skips the text).
        """
        path = self.part_path(table, key)
        if not path.exists():
            return
        parquet = pq.ParquetFile(path)
        selected = list(columns) if columns is not None else None
        for batch in parquet.iter_batches(batch_size=rows, columns=selected):
            frame = pl.from_arrow(batch)
            assert isinstance(frame, pl.DataFrame)
            yield frame

    def count(self, table: str, key: str) -> int:
        """Rows in a part, from its footer: no data is read."""
        path = self.part_path(table, key)
        return pq.ParquetFile(path).metadata.num_rows if path.exists() else 0

    def read(self, table: str, keys: Iterable[str]) -> pl.DataFrame:
        """All parts of `table` for `keys`; partitions without a part contribute nothing."""
        paths = [p for p in (self.part_path(table, k) for k in keys) if p.exists()]
        if not paths:
            return pl.DataFrame(schema=polars_schema(table))
        return pl.read_parquet(paths, schema=polars_schema(table))

    def head(self, table: str, keys: Sequence[str], rows: int) -> pl.DataFrame:
        """The first `rows` rows of the first of `keys`' parts: a preview that reads only them.

        (A lazy scan stops at the first page of each column; a batch decoded the whole first
        row group: 7 previews of a one-file increment's parts 21-93 -> 7-17 ms.)
        """
        for key in keys[:1]:
            path = self.part_path(table, key)
            if path.exists():
                return pl.scan_parquet(path, schema=polars_schema(table)).head(rows).collect()
        return pl.DataFrame(schema=polars_schema(table))

    def fingerprint(self, table: str, key: str) -> str:
        """Size and mtime of a part: what the validation ledger keeps of a part that passed."""
        path = self.part_path(table, key)
        if not path.exists():
            return "missing"
        stat = path.stat()
        return f"{stat.st_size}:{stat.st_mtime_ns}"

    def validated_path(self, table: str) -> Path:
        """The ledger of parts of `table` that passed their checks (key -> fingerprint)."""
        return self.root / "_validated" / f"{table}.json"

    def validated(self, table: str) -> dict[str, str]:
        data = read_json(self.validated_path(table))
        return data if isinstance(data, dict) else {}

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
