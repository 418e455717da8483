"""The one job: every stage, from input files to DuckDB."""

import dagster as dg

from assets.extract import extract
from assets.ingest import ingest
from assets.mirror import mirror_assets
from assets.warehouse import claimbank_duckdb, tables

claimbank_job = dg.define_asset_job(
    "claimbank_job",
    # the Parquet mirror only when CLAIMBANK_PARQUET_URL is set (`assets.mirror`)
    selection=dg.AssetSelection.assets(ingest, extract, tables, claimbank_duckdb, *mirror_assets()),
    description="Ingest, segment and extract the requested input files, then rebuild the "
    "Parquet tables and DuckDB from every current input file (and mirror the Parquet to "
    "CLAIMBANK_PARQUET_URL when it is set).",
)


def partition_range_tags(keys: list[str]) -> dict[str, str]:
    """Tags that make one run cover the partitions first..last (a single-run backfill)."""
    return {
        "dagster/asset_partition_range_start": keys[0],
        "dagster/asset_partition_range_end": keys[-1],
    }
