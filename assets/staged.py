"""What the three per-file stages share: loop over the run's partitions, then check their parts."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Mapping, Sequence

import dagster as dg
import polars as pl

from assets.checks import failure_result, schema_check_name, schema_check_spec, validate_table
from assets.metadata import PREVIEW_ROWS, table_metadata
from assets.resources import ClaimbankSettings
from pipeline.incremental import StageOutcome
from pipeline.staging import Staging
from pipeline.storage import write_json

PROGRESS_EVERY = 25
#: Rows per Pandera validation: checks stream over a part instead of loading a whole file.
VALIDATE_ROWS = 200_000
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
    steps: Callable[[Staging, list[str]], Iterator[StageOutcome | None]],
) -> Iterator[dg.MaterializeResult | dg.AssetCheckResult]:
    """Apply `steps` to the run's partitions, log progress, then validate what was staged.

    `steps` gets every key at once and yields one outcome per key, in order (None: nothing
    to stage), so a stage can stream the batches of all files through one process pool.
    """
    staging = settings.staging()
    keys = list(context.partition_keys)
    processed = skipped = 0
    done_keys: list[str] = []
    checked: dict[str, dict[str, pl.DataFrame | None]] = {}
    for i, outcome in enumerate(steps(staging, keys), start=1):
        if outcome is not None:
            done_keys.append(outcome.key)
            checked[outcome.key] = outcome.checked
            skipped += outcome.skipped
            processed += not outcome.skipped
        if i % PROGRESS_EVERY == 0 or i == len(keys):
            report(context, f"{stage}: {i}/{len(keys)} files ({skipped} unchanged, skipped)")
    for table in tables:
        yield from check_parts(staging, table, done_keys, processed, skipped, checked)


def check_parts(
    staging: Staging,
    table: str,
    keys: Sequence[str],
    processed: int,
    skipped: int,
    checked: Mapping[str, Mapping[str, pl.DataFrame | None]] | None = None,
) -> Iterator[dg.MaterializeResult | dg.AssetCheckResult]:
    """Validate each file's part on its own, in batches, if it changed since it last passed.

    Per part, because the same article in two files is staged twice (the tables keep it
    once). A part that passed and is unchanged since (same size and mtime) is not read again,
    so a run that adds one file validates one file, not the warehouse. Nor is a part this
    run checked frame by frame as it wrote it (`checked`: key -> table -> failure cases, None
    when it passed; see `pipeline.batch_checks`).
    """
    ledger_path = staging.validated_path(table)
    ledger = staging.validated(table)
    rows = 0
    failed: dg.AssetCheckResult | None = None
    preview = None
    for key in keys:
        rows += staging.count(table, key)
        fingerprint = staging.fingerprint(table, key)
        written = (checked or {}).get(key, {})
        if table in written:
            cases = written[table]
            if cases is None:
                ledger[key] = fingerprint
            else:
                ledger.pop(key, None)
                failed = failed or failure_result(
                    staged_key(table), schema_check_name(table), cases, f"{table}: schema violated"
                )
            continue
        if ledger.get(key) == fingerprint:
            continue
        ledger[key] = fingerprint
        for frame in staging.batches(table, key, VALIDATE_ROWS):
            preview = frame if preview is None else preview
            result = validate_table(table, frame, staged_key(table))
            if not result.passed:
                ledger.pop(key)
                failed = failed or result
                break
    write_json(ledger, ledger_path)
    if preview is None:
        preview = staging.head(table, keys[:1], PREVIEW_ROWS)
    metadata = table_metadata(
        table, preview.head(5), files_processed=processed, files_unchanged=skipped
    )
    yield dg.MaterializeResult(
        asset_key=staged_key(table), metadata={**metadata, "dagster/row_count": rows}
    )
    yield failed or dg.AssetCheckResult(
        asset_key=staged_key(table),
        check_name=schema_check_name(table),
        passed=True,
        metadata={"rows_checked": rows},
    )
