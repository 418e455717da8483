"""Stage 2: titles, headings, paragraphs and sentences with offsets into the document text."""

from collections.abc import Iterator

import dagster as dg

from assets.partitions import input_files, single_run
from assets.resources import ClaimbankSettings
from assets.staged import run_stage, staged_check_specs, staged_specs
from pipeline import incremental
from pipeline.incremental import StageOutcome
from pipeline.schemas import table_description
from pipeline.staging import SEGMENT_TABLES, Staging


@dg.multi_asset(
    name="segment",
    specs=staged_specs(
        SEGMENT_TABLES, {t: table_description(t) for t in SEGMENT_TABLES}, ["documents"], "segment"
    ),
    check_specs=staged_check_specs(SEGMENT_TABLES),
    partitions_def=input_files,
    backfill_policy=single_run,
    description="Split every document into segments and sentences.",
)
def segment(
    context: dg.AssetExecutionContext, settings: ClaimbankSettings
) -> Iterator[dg.MaterializeResult | dg.AssetCheckResult]:
    def steps(staging: Staging, keys: list[str]) -> Iterator[StageOutcome | None]:
        staged = {k for k in keys if staging.state(k)}  # a gone file has no state: no rows
        outcomes = incremental.segment_many(staging, [k for k in keys if k in staged])
        return (next(outcomes) if k in staged else None for k in keys)

    yield from run_stage(context, settings, "segment", SEGMENT_TABLES, steps)
