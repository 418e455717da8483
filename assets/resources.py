"""Where a run reads and writes, as a Dagster resource over `pipeline.config.Settings`."""

from __future__ import annotations

from pathlib import Path

import dagster as dg

from pipeline.config import Settings
from pipeline.partitions import scan_inputs
from pipeline.staging import Staging


class ClaimbankSettings(dg.ConfigurableResource):
    """Input and warehouse folders, size limit, mirror URL; defaults come from the environment."""

    input_dir: str = str(Settings.from_env().input_dir)
    warehouse_dir: str = str(Settings.from_env().warehouse_dir)
    max_document_bytes: int = Settings.from_env().max_document_bytes
    parquet_url: str = Settings.from_env().parquet_url

    def settings(self) -> Settings:
        return Settings(
            input_dir=Path(self.input_dir).resolve(),
            warehouse_dir=Path(self.warehouse_dir).resolve(),
            max_document_bytes=self.max_document_bytes,
            parquet_url=self.parquet_url,
        )

    def staging(self) -> Staging:
        return Staging(self.settings().staging_dir)

    def inputs(self) -> dict[str, Path]:
        """Input files by partition key; a missing input folder is an error, not an empty run."""
        root = self.settings().input_dir
        if not root.is_dir():
            raise dg.Failure(f"input folder {root} does not exist or is not a folder")
        return scan_inputs(root)
