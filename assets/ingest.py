"""Stage 1: read each input file into documents, their sources, and the quarantine."""

from collections.abc import Iterator
from pathlib import Path

import dagster as dg

from assets.partitions import input_files, single_run
from assets.resources import ClaimbankSettings
from assets.staged import run_stage, staged_check_specs, staged_specs
from pipeline import incremental, parallel, pool_warmup, prefetch
from pipeline.incremental import StageOutcome
from pipeline.schemas import table_description
from pipeline.staging import INGEST_TABLES, Staging

#: Input bytes to (re)process from which a run starts the pool's workers while it ingests:
#: well above two extraction batches of news text (~1.3 MB), so a one-file increment, which
#: extracts in-process, never starts a pool it would not use.
WARM_UP_BYTES = 8_000_000


def extraction_ahead(
    staging: Staging, inputs: dict[str, Path], keys: list[str], threshold: int = WARM_UP_BYTES
) -> bool:
    """Whether this run will extract enough to use the pool: `threshold` bytes of input files
    that are new, changed, or staged by older versions."""
    todo = 0
    for key in keys:
        path = inputs.get(key)
        if path is None or not incremental.stale(staging.state(key), path):
            continue
        try:
            todo += path.stat().st_size
        except OSError:
            continue
        if todo >= threshold:
            return True
    return False


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
    pooled = extraction_ahead(settings.staging(), inputs, list(context.partition_keys))
    if pooled:
        parallel.start_in_background(pool_warmup.warm_up)

    def step(staging: Staging, key: str) -> StageOutcome | None:
        path = inputs.get(key)
        if path is None:  # the file is gone: its rows leave the warehouse (documented)
            staging.drop(key)
            return None
        outcome = incremental.ingest(staging, key, path, cfg.input_dir, cfg.max_document_bytes)
        if pooled and not outcome.skipped and all(v is None for v in outcome.checked.values()):
            # the workers start on this file's first batches while the next file is read
            prefetch.ahead(staging, key, incremental.EXTRACT_BATCH_DOCS)
        return outcome

    def steps(staging: Staging, keys: list[str]) -> Iterator[StageOutcome | None]:
        return (step(staging, key) for key in keys)

    yield from run_stage(context, settings, "ingest", INGEST_TABLES, steps)
