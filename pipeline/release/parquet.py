"""One Parquet file per public table: zstd, statistics, fixed row groups, sorted rows.

Equal frames give equal bytes (polars writes no timestamps), which is what makes a release
reproducible. No partitioning: every public table of a 1,000-article release is a few MB, one
file per table keeps the Hugging Face configs, Croissant and the DuckDB views one path each; the
files carry min/max statistics per row group, so filters on the sort keys still skip data.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl

from pipeline.release.public import PUBLIC_TABLES, public_columns, public_frame
from pipeline.warehouse import read_table

COMPRESSION = "zstd"
COMPRESSION_LEVEL = 9
#: Rows per row group; wide text tables get smaller groups so one group stays well under 128 MB.
ROW_GROUP_ROWS = 100_000
TEXT_ROW_GROUP_ROWS = 10_000
DATA_DIR = "data"


class StaleWarehouse(ValueError):
    """The warehouse tables lack columns of the current schema."""


@dataclass(frozen=True, slots=True)
class TableFile:
    table: str
    path: str  # relative to the release folder, '/'-separated
    rows: int


def relative_path(table: str) -> str:
    return f"{DATA_DIR}/{table}.parquet"


def write_table(frame: pl.DataFrame, path: Path, has_text: bool) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.write_parquet(
        path,
        compression=COMPRESSION,
        compression_level=COMPRESSION_LEVEL,
        row_group_size=TEXT_ROW_GROUP_ROWS if has_text else ROW_GROUP_ROWS,
        statistics=True,
    )


def write_public_tables(
    parquet_dir: Path, out_dir: Path, include_text: bool
) -> tuple[list[TableFile], dict[str, pl.DataFrame]]:
    """Write every public table from the warehouse Parquet; returns the files and the frames."""
    files: list[TableFile] = []
    frames: dict[str, pl.DataFrame] = {}
    for table in PUBLIC_TABLES:
        source = read_table(parquet_dir, table)
        missing = [c.name for c in public_columns(table, include_text) if c.name not in source]
        if missing:
            raise StaleWarehouse(
                f"{table} in {parquet_dir} lacks {', '.join(missing)}: the warehouse was built "
                "by an older version; run `claimbank run` again"
            )
        frame = public_frame(source, table, include_text)
        rel = relative_path(table)
        write_table(frame, out_dir / rel, has_text="text" in frame.columns)
        files.append(TableFile(table, rel, frame.height))
        frames[table] = frame
    return files, frames
