"""The one place that composes Claimbank's Dagster definitions."""

import dagster as dg

from assets.executor import choose_executor
from assets.extract import extract
from assets.ingest import ingest
from assets.jobs import claimbank_job
from assets.lock import RunSettings
from assets.mirror import mirror_assets
from assets.release import release
from assets.schedules import daily_refresh
from assets.sensors import new_input_files
from assets.warehouse import claimbank_duckdb, tables

defs = dg.Definitions(
    assets=[ingest, extract, tables, claimbank_duckdb, release, *mirror_assets()],
    jobs=[claimbank_job],
    sensors=[new_input_files],
    schedules=[daily_refresh],
    resources={"settings": RunSettings()},  # holds the warehouse lock in a run
    executor=choose_executor(),
)
