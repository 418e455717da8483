"""Crash-safe file writes: write to a temporary name in the same folder, then rename.

A reader (or a re-run after SIGKILL) sees either the old file or the new one, never half of one.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl

PARQUET_COMPRESSION = "zstd"
ROW_GROUP_SIZE = 64_000
#: What `atomic_path` names its temporary files (and DuckDB its write-ahead log next to one).
TEMP_PATTERNS = (".*.tmp", ".*.tmp.wal")


@contextlib.contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Yield a temporary path next to `path`; on success it replaces `path` atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_parquet(df: pl.DataFrame, path: Path) -> None:
    """Parquet, zstd, fixed row groups, written atomically: equal frames give equal bytes."""
    with atomic_path(path) as tmp:
        df.write_parquet(
            tmp, compression=PARQUET_COMPRESSION, row_group_size=ROW_GROUP_SIZE, statistics=True
        )


def write_json(data: Any, path: Path) -> None:
    with atomic_path(path) as tmp:
        tmp.write_text(json.dumps(data, indent=2, sort_keys=True, default=str) + "\n")


def read_json(path: Path) -> Any | None:
    try:
        return json.loads(path.read_text())
    except (FileNotFoundError, json.JSONDecodeError):
        return None


def remove_stale_temp_files(root: Path) -> list[Path]:
    """Delete temporary files a killed writer left under `root`; returns what was removed.

    Only safe while holding the warehouse lock (`pipeline.locking`): then no live writer
    owns any of them.
    """
    removed: list[Path] = []
    if not root.is_dir():
        return removed
    for pattern in TEMP_PATTERNS:
        for path in root.rglob(pattern):
            if path.is_file() and not path.is_symlink():
                path.unlink(missing_ok=True)
                removed.append(path)
    return sorted(removed)
