"""What the three per-file stages share: loop over the run's partitions, then check their parts."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence

import dagster as dg

from assets.checks import schema_check_spec, validate_table
from assets.metadata import table_metadata
from assets.resources import ClaimbankSettings
from pipeline.incremental import StageOutcome
from pipeline.staging import Staging
from pipeline.warehouse import UNIQUE_KEYS

PROGRESS_EVERY = 25
progress_log = logging.getLogger("claimbank.progress")


def report(context: dg.AssetExecutionContext, message: str) -> None:
    """Progress for the Dagster UI and for the terminal of `claimbank run`."""
    context.log.info(message)
    progress_log.info(message)


def staged_key(table: str) -> dg.AssetKey:
    return dg.AssetKey(["staging", table])


def staged_specs(
    tables: Sequence[str], description: dict[str, str], deps: Sequence[str], group: str
) -> list[dg.AssetSpec]:
    from assets.partitions import input_files

    return [
        dg.AssetSpec(
            staged_key(t),
            description=description[t],
            deps=[staged_key(d) for d in deps],
            partitions_def=input_files,
            group_name=group,
            kinds={"polars", "parquet"},
        )
        for t in tables
    ]


def staged_check_specs(tables: Sequence[str]) -> list[dg.AssetCheckSpec]:
    return [schema_check_spec(t, staged_key(t)) for t in tables]


def run_stage(
    context: dg.AssetExecutionContext,
    settings: ClaimbankSettings,
    stage: str,
    tables: Sequence[str],
    step: Callable[[Staging, str], StageOutcome | None],
) -> Iterator[dg.MaterializeResult | dg.AssetCheckResult]:
    """Apply `step` to every partition of the run, log progress, then validate what was staged."""
    staging = settings.staging()
    keys = list(context.partition_keys)
    processed = skipped = 0
    done_keys: list[str] = []
    for i, key in enumerate(keys, start=1):
        outcome = step(staging, key)
        if outcome is not None:
            done_keys.append(key)
            skipped += outcome.skipped
            processed += not outcome.skipped
        if i % PROGRESS_EVERY == 0 or i == len(keys):
            report(context, f"{stage}: {i}/{len(keys)} files ({skipped} unchanged, skipped)")
    for table in tables:
        # The same article in two files is staged twice; the tables keep it once (as here).
        frame = staging.read(table, done_keys).unique(
            UNIQUE_KEYS[table], keep="first", maintain_order=True
        )
        yield dg.MaterializeResult(
            asset_key=staged_key(table),
            metadata=table_metadata(
                table, frame, files_processed=processed, files_unchanged=skipped
            ),
        )
        yield validate_table(table, frame, staged_key(table))
