"""Stage 1: read each input file into documents, their sources, and the quarantine."""

from collections.abc import Iterator

import dagster as dg

from assets.partitions import input_files, single_run
from assets.resources import ClaimbankSettings
from assets.staged import run_stage, staged_check_specs, staged_specs
from pipeline import incremental
from pipeline.incremental import StageOutcome
from pipeline.schemas import table_description
from pipeline.staging import INGEST_TABLES, Staging


@dg.multi_asset(
    name="ingest",
    specs=staged_specs(
        INGEST_TABLES, {t: table_description(t) for t in INGEST_TABLES}, [], "ingest"
    ),
    check_specs=staged_check_specs(INGEST_TABLES),
    partitions_def=input_files,
    backfill_policy=single_run,
    description="Decode every record of an input file: good ones become documents, "
    "bad ones rows of rejected_inputs.",
)
def ingest(
    context: dg.AssetExecutionContext, settings: ClaimbankSettings
) -> Iterator[dg.MaterializeResult | dg.AssetCheckResult]:
    inputs = settings.inputs()
    cfg = settings.settings()

    def step(staging: Staging, key: str) -> StageOutcome | None:
        path = inputs.get(key)
        if path is None:  # the file is gone: its rows leave the warehouse (documented)
            staging.drop(key)
            return None
        return incremental.ingest(staging, key, path, cfg.input_dir, cfg.max_document_bytes)

    def steps(staging: Staging, keys: list[str]) -> Iterator[StageOutcome | None]:
        return (step(staging, key) for key in keys)

    yield from run_stage(context, settings, "ingest", INGEST_TABLES, steps)
