"""Stage 2: segments and sentences, then claims and quantities, in one pass per document.

One asset, not two: segmenting in the worker that extracts means a text is read and shipped
to a pool worker once and its sentences go straight to the extractor instead of being
written, read back and shipped again (see benchmarks/results/NOTES.md). Each of the four
tables is still its own staged asset with its own blocking Pandera check.
"""

from collections.abc import Iterator

import dagster as dg

from assets.partitions import input_files, single_run
from assets.resources import ClaimbankSettings
from assets.staged import run_stage, staged_check_specs, staged_specs
from pipeline import incremental
from pipeline.incremental import StageOutcome
from pipeline.schemas import table_description
from pipeline.staging import EXTRACT_TABLES, SEGMENT_TABLES, Staging

TABLES = SEGMENT_TABLES + EXTRACT_TABLES


@dg.multi_asset(
    name="extract",
    specs=[
        *staged_specs(
            SEGMENT_TABLES,
            {t: table_description(t) for t in SEGMENT_TABLES},
            ["documents"],
            "segment",
        ),
        *staged_specs(
            EXTRACT_TABLES,
            {t: table_description(t) for t in EXTRACT_TABLES},
            ["documents", "sentences"],
            "extract",
        ),
    ],
    check_specs=staged_check_specs(TABLES),
    partitions_def=input_files,
    backfill_policy=single_run,
    description="Split every document into segments and sentences, then extract claims with "
    "their cue, stance, source and speaker, and quantities.",
)
def extract(
    context: dg.AssetExecutionContext, settings: ClaimbankSettings
) -> Iterator[dg.MaterializeResult | dg.AssetCheckResult]:
    def steps(staging: Staging, keys: list[str]) -> Iterator[StageOutcome | None]:
        staged = {k for k in keys if staging.state(k)}  # a gone file has no state: no rows
        outcomes = incremental.extract_many(staging, [k for k in keys if k in staged])
        return (next(outcomes) if k in staged else None for k in keys)

    yield from run_stage(context, settings, "extract", TABLES, steps)
