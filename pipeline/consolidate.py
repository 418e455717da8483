"""Consolidate and check one partition, in a pool worker when several partitions changed.

Why in the pool: a full run rewrites every partition, and reading, deduplicating, sorting,
checking and writing them one after another kept one core busy and the other idle for the
whole `tables` step (its Pandera, reference and round-trip checks alone are ~40% of it).
Partitions are independent once the plan is made, so two workers take one each.

A task names files, not frames: the plan's owners and speaker map are written once to a
scratch folder and each worker reads the rows of its partition from them, so the whole
owners table is not pickled once per partition.
"""

from __future__ import annotations

import multiprocessing
import shutil
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

import polars as pl

from pipeline.batch_checks import schema_failures
from pipeline.consolidation_pool import ConsolidationPool
from pipeline.integrity import REFERENCES, Reference, reference_failures, span_round_trip_failures
from pipeline.parallel import ordered_map
from pipeline.reconcile import unaccounted
from pipeline.schemas import polars_schema
from pipeline.staging import STAGED_TABLES, Staging
from pipeline.warehouse import (
    Plan,
    partition_frames,
    plan,
    scan_table,
    write_partition,
    write_speakers,
)

#: Failing rows kept per partition and check: enough to show, bounded in memory.
MAX_FAILURE_ROWS = 1_000
ROUND_TRIP = "round_trip"
RECONCILED = "reconciled"


def reference_label(ref: Reference) -> str:
    return f"{ref.child}.{ref.column} → {ref.parent}.{ref.key}"


@dataclass(frozen=True, slots=True)
class PartitionTask:
    key: str
    staging_root: Path
    parquet_dir: Path
    plan_dir: Path
    expected: bool  # the partition's input file exists: it must have a ledger row


@dataclass(slots=True)
class PartitionResult:
    """What checking one partition found; its files were written only if `passed`."""

    key: str
    passed: bool = True
    #: table -> Pandera failure cases
    schema_failures: dict[str, pl.DataFrame] = field(default_factory=dict)
    #: reference label, ROUND_TRIP or RECONCILED -> failing rows (at most MAX_FAILURE_ROWS)
    failures: dict[str, pl.DataFrame] = field(default_factory=dict)
    #: table -> first rows, for the asset's preview
    previews: dict[str, pl.DataFrame] = field(default_factory=dict)


#: Tables whose consolidated rows are their staged part's rows, filtered, deduplicated on the
#: model's unique keys (`warehouse.UNIQUE_KEYS`) and sorted: every check of their Pandera
#: model is per row or on those keys, so on a part that passed it, it cannot fail again.
#: Claims too: the one column consolidation changes is `speaker_id` (merged ids,
#: `speaker_table.remap`), which the model checks for its dtype alone (nullable, no checks,
#: in no dataframe check), so `check_partition` compares the frame's schema with the model's
#: instead (~0.3-0.6 s of the workers' CPU at 100k documents).
SUBSET_TABLES = frozenset(STAGED_TABLES)


def passed_parts(staging: Staging, key: str) -> frozenset[str]:
    """SUBSET_TABLES whose staged part, as it is on disk now, passed its staged Pandera check."""
    return frozenset(
        t
        for t in SUBSET_TABLES
        if staging.validated(t).get(key) == staging.fingerprint(t, key) != "missing"
    )


def check_partition(
    key: str,
    frames: dict[str, pl.DataFrame],
    speakers: pl.DataFrame,
    all_docs: pl.DataFrame,
    expected: bool,
    checked: frozenset[str] = frozenset(),
) -> PartitionResult:
    """Every blocking check on one partition's consolidated tables.

    `checked`: tables not validated with Pandera again (see `passed_parts`) when their
    columns and dtypes are the model's.

    Document-bound rows never leave the partition that owns their document, so offsets and
    the references between segments, sentences, claims, quantities and input files are
    checked on the partition's own frames; references to `documents` against every owned
    document (`all_docs`: a duplicate's `document_sources` row points at another partition),
    `claims.speaker_id` against the whole speakers table.
    """
    result = PartitionResult(key)
    for name, frame in frames.items():
        if frame.height:
            result.previews[name] = frame.head(5)
        if name in checked and frame.schema == polars_schema(name):
            continue
        cases = schema_failures(name, frame)
        if cases is not None:
            result.schema_failures[name] = cases
            result.passed = False
    scope = {**frames, "speakers": speakers, "documents": all_docs}
    found = reference_failures(scope)
    checks = {reference_label(r): found[reference_label(r)] for r in REFERENCES}
    checks[ROUND_TRIP] = span_round_trip_failures(frames)
    checks[RECONCILED] = unaccounted(frames, {key} if expected else set())
    for name, rows in checks.items():
        if rows.height:
            result.failures[name] = rows.head(MAX_FAILURE_ROWS)
            result.passed = False
    return result


def consolidate_partition(task: PartitionTask) -> PartitionResult:
    """Consolidate, check and (if every check passed) write one partition's tables."""
    owners, mapping = _plan_frames(task.plan_dir)
    staging = Staging(task.staging_root)
    checked = passed_parts(staging, task.key)  # before reading: the parts' state now
    frames = partition_frames(
        staging,
        task.key,
        owners.filter(pl.col("owner") == task.key).select("doc_id"),
        mapping.filter(pl.col("_key") == task.key).collect(),
    )
    kept = _kept.get(task.plan_dir)
    if kept is not None:  # in the process that planned: its speakers table, being written
        speakers = kept.speakers.select("speaker_id")
    else:
        speakers = scan_table(task.parquet_dir, "speakers").select("speaker_id").collect()
    all_docs = owners.select("doc_id")
    result = check_partition(task.key, frames, speakers, all_docs, task.expected, checked)
    if result.passed:  # checked before written: no unchecked row reaches Parquet
        write_partition(frames, task.parquet_dir, task.key)
    return result


def plan_dir(staging: Staging) -> Path:
    """The scratch folder of the plan's owners and speaker map, read by consolidating workers."""
    return staging.root / "_plan"


def write_plan(the_plan: Plan, folder: Path) -> Plan:
    """Write the plan's owners and speaker map to `folder`; the plan without those two frames.

    They grow with the corpus (250k documents: 246k owners, ~450k speaker-map rows) and only
    the consolidating workers need them, one partition's rows each. The returned plan keeps
    the speakers and signatures, with empty (same-schema) owners and speaker map.
    """
    _kept.pop(folder, None)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    the_plan.owners.write_parquet(folder / "owners.parquet", compression="lz4")
    the_plan.speaker_map.write_parquet(folder / "speaker_map.parquet", compression="lz4")
    return replace(
        the_plan, owners=the_plan.owners.clear(), speaker_map=the_plan.speaker_map.clear()
    )


def plan_on_disk(staging: Staging, keys: list[str], parquet_dir: Path | None = None) -> Plan:
    """`plan` with its large frames left in `plan_dir` (see `write_plan`), for a pool worker.

    Returned by pickle from a worker, the whole plan made a transient copy in the run process
    that was the run's peak at 250k documents (739 MB against 594 MB held after it).

    Outside a pool worker (a run that started no pool: a small increment) the process that
    plans is the one that consolidates, so the frames are kept in its memory instead, and
    written only if the consolidation goes to a pool after all (`consolidate_written`):
    writing and reading back the files cost a one-file increment into 100k documents ~70 ms
    of CPU on its critical path.
    """
    the_plan = plan(staging, keys, parquet_dir)
    if multiprocessing.parent_process() is not None:  # a pool worker: the run process reads
        return write_plan(the_plan, plan_dir(staging))
    folder = plan_dir(staging)
    shutil.rmtree(folder, ignore_errors=True)
    _kept[folder] = the_plan
    return replace(
        the_plan, owners=the_plan.owners.clear(), speaker_map=the_plan.speaker_map.clear()
    )


#: Plan frames `plan_on_disk` kept in this process instead of writing them, by `plan_dir`.
_kept: dict[Path, Plan] = {}


def _plan_frames(folder: Path) -> tuple[pl.DataFrame, pl.LazyFrame]:
    """The plan's owners and speaker map: kept in this process, or as `write_plan` wrote them."""
    kept = _kept.get(folder)
    if kept is not None:
        return kept.owners, kept.speaker_map.lazy()
    return pl.read_parquet(folder / "owners.parquet"), pl.scan_parquet(
        folder / "speaker_map.parquet"
    )


def consolidate_many(
    staging: Staging,
    parquet_dir: Path,
    the_plan: Plan,
    keys: Sequence[str],
    expected_keys: set[str],
) -> Iterator[PartitionResult]:
    """`consolidate_partition` over `keys`, in input order, on the pool when there are 2+.

    The speakers table must be written first: workers check claims against it.
    """
    write_plan(the_plan, plan_dir(staging))
    yield from consolidate_written(staging, parquet_dir, keys, expected_keys)


def consolidate_written(
    staging: Staging,
    parquet_dir: Path,
    keys: Sequence[str],
    expected_keys: set[str],
    pool: ConsolidationPool | None = None,
    speakers: pl.DataFrame | None = None,
) -> Iterator[PartitionResult]:
    """`consolidate_many` once `write_plan` has written the plan; removes it at the end.

    Two or more partitions go to `pool` when it was started (a full run), else to the shared
    pool; results come back in input order. `speakers`: the plan's speakers table, written
    here (workers check claims against the file): on a thread while one partition is
    consolidated in this process (~15-20 ms of a one-file increment), else first.
    """
    folder = plan_dir(staging)
    writing = ThreadPoolExecutor(1, thread_name_prefix="speakers-write")
    try:
        tasks = [
            PartitionTask(key, staging.root, parquet_dir, folder, key in expected_keys)
            for key in keys
        ]
        if len(tasks) >= 2 and folder in _kept:  # other processes read it: the files after all
            write_plan(_kept[folder], folder)
        if speakers is not None:
            written = writing.submit(write_speakers, speakers, parquet_dir)
            if len(tasks) >= 2 or folder not in _kept:
                written.result()
        if pool is not None and pool.started and len(tasks) >= 2:
            yield from pool.map(consolidate_partition, tasks)
        else:
            yield from ordered_map(consolidate_partition, tasks, parallel=len(tasks) >= 2)
        if speakers is not None:
            written.result()
    finally:
        writing.shutdown(wait=True)  # no write left running (on an error too)
        _kept.pop(folder, None)
        shutil.rmtree(folder, ignore_errors=True)
