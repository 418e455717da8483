"""Stage 3: claims (quotes, reported speech, speakers, stance) and quantities."""

from collections.abc import Iterator

import dagster as dg

from assets.partitions import input_files, single_run
from assets.resources import ClaimbankSettings
from assets.staged import run_stage, staged_check_specs, staged_specs
from pipeline import incremental
from pipeline.incremental import StageOutcome
from pipeline.schemas import table_description
from pipeline.staging import EXTRACT_TABLES, Staging


@dg.multi_asset(
    name="extract",
    specs=staged_specs(
        EXTRACT_TABLES,
        {t: table_description(t) for t in EXTRACT_TABLES},
        ["documents", "sentences"],
        "extract",
    ),
    check_specs=staged_check_specs(EXTRACT_TABLES),
    partitions_def=input_files,
    backfill_policy=single_run,
    description="Extract claims with their cue, stance, source and speaker, and quantities.",
)
def extract(
    context: dg.AssetExecutionContext, settings: ClaimbankSettings
) -> Iterator[dg.MaterializeResult | dg.AssetCheckResult]:
    def step(staging: Staging, key: str) -> StageOutcome | None:
        return incremental.extract(staging, key) if staging.state(key) else None

    yield from run_stage(context, settings, "extract", EXTRACT_TABLES, step)
