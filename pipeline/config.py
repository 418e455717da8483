"""Paths and limits in one place, so the CLI, Dagster and tests agree on them."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_INPUT_DIR = REPO_ROOT / "data" / "raw"
DEFAULT_WAREHOUSE_DIR = REPO_ROOT / "data" / "warehouse"
DEFAULT_DAGSTER_HOME = REPO_ROOT / ".dagster"

#: Documents larger than this (in bytes of decoded UTF-8 text) are rejected, not processed.
DEFAULT_MAX_DOCUMENT_BYTES = 5_000_000
#: Input files larger than this (compressed size on disk) are rejected before being read.
DEFAULT_MAX_FILE_BYTES = 2_000_000_000


@dataclass(frozen=True, slots=True)
class Settings:
    """Where a run reads and writes, and the limits it enforces."""

    input_dir: Path = DEFAULT_INPUT_DIR
    warehouse_dir: Path = DEFAULT_WAREHOUSE_DIR
    max_document_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES
    #: fsspec base URL the consolidated Parquet is mirrored to (`pipeline.object_store`); "" = off
    parquet_url: str = ""

    @property
    def parquet_dir(self) -> Path:
        return self.warehouse_dir / "parquet"

    @property
    def staging_dir(self) -> Path:
        return self.warehouse_dir / "staging"

    @property
    def duckdb_path(self) -> Path:
        return self.warehouse_dir / "claimbank.duckdb"

    @classmethod
    def from_env(cls) -> Settings:
        """Settings from CLAIMBANK_INPUT / CLAIMBANK_WAREHOUSE (falling back to the repo's data/),
        CLAIMBANK_MAX_DOCUMENT_BYTES and CLAIMBANK_PARQUET_URL."""
        return cls(
            input_dir=Path(os.environ.get("CLAIMBANK_INPUT", DEFAULT_INPUT_DIR)).resolve(),
            warehouse_dir=Path(
                os.environ.get("CLAIMBANK_WAREHOUSE", DEFAULT_WAREHOUSE_DIR)
            ).resolve(),
            max_document_bytes=int(
                os.environ.get("CLAIMBANK_MAX_DOCUMENT_BYTES", DEFAULT_MAX_DOCUMENT_BYTES)
            ),
            parquet_url=parquet_url_from_env(),
        )


def parquet_url_from_env() -> str:
    """The mirror's base URL from CLAIMBANK_PARQUET_URL ("" when unset: no mirror step)."""
    return os.environ.get("CLAIMBANK_PARQUET_URL", "").strip()
