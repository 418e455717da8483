"""Stage 4: consolidate the staged parts into checked Parquet per table and file, then DuckDB.

Only partitions whose inputs changed are rewritten and checked (see `pipeline/warehouse.py`);
they pass every blocking check (Pandera per table, references between tables, offsets against
the text, the reconciliation ledger) before the single DuckDB writer updates the catalog.
"""

from collections.abc import Iterator

import dagster as dg
import polars as pl

from assets.checks import (
    failure_result,
    rows_check,
    schema_check_name,
    schema_check_spec,
    validate_table,
)
from assets.metadata import table_metadata
from assets.resources import ClaimbankSettings
from assets.staged import PROGRESS_EVERY, report, staged_key
from pipeline import catalog_ahead, summary
from pipeline.catalog import REBUILD_SHARE, update_duckdb
from pipeline.consolidate import (
    RECONCILED,
    ROUND_TRIP,
    PartitionResult,
    consolidate_written,
    plan_on_disk,
    reference_label,
)
from pipeline.consolidation_pool import ConsolidationPool
from pipeline.integrity import REFERENCES
from pipeline.parallel import last_on_fresh_worker, on_started_pool, pool_started
from pipeline.schemas import TABLES, polars_schema, table_description
from pipeline.staging import STAGED_TABLES
from pipeline.warehouse import (
    Plan,
    changed_partitions,
    count_rows,
    read_state,
    remove_partition,
    write_state,
)

ROUND_TRIP_CHECK = "offsets_round_trip"
RECONCILED_CHECK = "every_input_accounted_for"


def _reference_check_name(column: str, parent: str) -> str:
    return f"{column}_in_{parent}"


#: The check each kind of failure of `pipeline.consolidate` belongs to.
_CHECKS = {
    **{reference_label(r): _reference_check_name(r.column, r.parent) for r in REFERENCES},
    ROUND_TRIP: ROUND_TRIP_CHECK,
    RECONCILED: RECONCILED_CHECK,
}


def _check_specs() -> list[dg.AssetCheckSpec]:
    specs = [schema_check_spec(t, dg.AssetKey(t)) for t in TABLES]
    specs += [
        dg.AssetCheckSpec(
            _reference_check_name(r.column, r.parent),
            asset=dg.AssetKey(r.child),
            blocking=True,
            description=f"Every non-null {r.child}.{r.column} exists in {r.parent}.{r.key}.",
        )
        for r in REFERENCES
    ]
    specs.append(
        dg.AssetCheckSpec(
            ROUND_TRIP_CHECK,
            asset=dg.AssetKey("claims"),
            blocking=True,
            description="Every stored span (claims, sentences, segments, quantities) lies in its "
            "document and equals the document text at its offsets.",
        )
    )
    specs.append(
        dg.AssetCheckSpec(
            RECONCILED_CHECK,
            asset=dg.AssetKey("input_files"),
            blocking=True,
            description="Every input file has a ledger row and every record in it is a document "
            "source or a rejection.",
        )
    )
    return specs


@dg.multi_asset(
    name="tables",
    specs=[
        dg.AssetSpec(
            t,
            description=table_description(t),
            deps=[staged_key(s) for s in STAGED_TABLES],
            group_name="warehouse",
            kinds={"polars", "parquet"},
        )
        for t in TABLES
    ],
    check_specs=_check_specs(),
    description="Deduplicate and sort the staged parts of each changed input file into one "
    "Parquet file per table and file (zstd; a document seen in several files is kept by the "
    "smallest partition key), and build the cross-document speakers table.",
)
def tables(
    context: dg.AssetExecutionContext, settings: ClaimbankSettings
) -> Iterator[dg.MaterializeResult | dg.AssetCheckResult]:
    cfg = settings.settings()
    staging = settings.staging()
    inputs = settings.inputs()
    for stale in set(staging.keys()) - set(inputs):
        staging.drop(stale)  # input file deleted since it was staged
    with ConsolidationPool() as pool:
        if full_consolidation(set(read_state(cfg.parquet_dir)), set(inputs), pool_started()):
            pool.start()  # its workers import while the plan keeps one core busy
        # in a pool worker when the run started the pool: the speaker merge's transient memory
        # grows with the corpus (250k documents: 808 MB peak when it ran in the run process,
        # NOTES.md); the owners and speaker map stay on disk for the consolidating workers
        the_plan = on_started_pool(plan_on_disk, staging, list(inputs), cfg.parquet_dir)
        changed, removed = changed_partitions(cfg.parquet_dir, the_plan)
        report(
            context,
            f"tables: {len(changed)} of {len(inputs)} files to consolidate, {len(removed)} removed",
        )
        for key in removed:
            remove_partition(cfg.parquet_dir, key)
        checks = ChecksAccumulator(the_plan)
        passed: list[str] = []
        results = consolidate_written(  # writes the speakers table (the checks read it)
            staging, cfg.parquet_dir, changed, set(inputs), pool, the_plan.speakers
        )
        for i, result in enumerate(results, start=1):
            checks.add(result)
            if result.passed:
                passed.append(result.key)
            if i % PROGRESS_EVERY == 0:
                report(context, f"tables: {i}/{len(changed)} files consolidated")
    checks.add_speakers()
    state = {k: v for k, v in read_state(cfg.parquet_dir).items() if k in the_plan.signatures}
    write_state(cfg.parquet_dir, state | {k: the_plan.signatures[k] for k in passed})
    if checks.all_passed():  # DuckDB has all it reads: a small run updates it meanwhile
        catalog_ahead.start(cfg.parquet_dir, cfg.duckdb_path)
    counts = {t: count_rows(cfg.parquet_dir, t) for t in TABLES}
    report(context, "tables: " + ", ".join(f"{n} {c}" for n, c in counts.items()))
    for name in TABLES:
        preview = checks.previews.get(name, pl.DataFrame(schema=polars_schema(name)))
        yield dg.MaterializeResult(
            asset_key=dg.AssetKey(name),
            metadata={
                **table_metadata(name, preview, path=str(cfg.parquet_dir / name)),
                "dagster/row_count": counts[name],
                "partitions_rewritten": len(changed),
            },
        )
    yield from checks.results()


def full_consolidation(consolidated: set[str], inputs: set[str], pool_running: bool) -> bool:
    """Whether to consolidate on a `ConsolidationPool`: a run that started the extraction pool
    (a large one) with at least two partitions never consolidated and most of them new.

    Its workers' start (~0.7 s of CPU each) pays only when many partitions follow; an increment
    of one file (or a few) consolidates on the extraction pool, as before.
    """
    new = inputs - consolidated
    return pool_running and len(new) >= 2 and len(new) > REBUILD_SHARE * len(inputs)


class ChecksAccumulator:
    """The blocking checks, run per rewritten partition and reported once per check.

    Each partition is checked where it is consolidated (`pipeline.consolidate`, on the pool
    when several changed); unchanged partitions passed when they were written and are not
    read again.
    """

    def __init__(self, the_plan: Plan) -> None:
        self.speakers = the_plan.speakers
        self.schema: dict[str, dg.AssetCheckResult] = {}
        self.failures: dict[str, list[pl.DataFrame]] = {}
        self.previews: dict[str, pl.DataFrame] = {"speakers": the_plan.speakers.head(5)}

    def add(self, result: PartitionResult) -> None:
        """Collect one partition's previews and failures."""
        for name, preview in result.previews.items():
            self.previews.setdefault(name, preview)
        for name, cases in result.schema_failures.items():
            if name not in self.schema:
                self.schema[name] = failure_result(
                    dg.AssetKey(name),
                    schema_check_name(name),
                    cases,
                    f"{name}: schema violated",
                )
        for name, rows in result.failures.items():
            self.failures.setdefault(_CHECKS[name], []).append(rows)

    def add_speakers(self) -> None:
        result = validate_table("speakers", self.speakers, dg.AssetKey("speakers"))
        if not result.passed:
            self.schema.setdefault("speakers", result)

    def all_passed(self) -> bool:
        """Whether every check `results` reports passes (then nothing blocks the DuckDB step)."""
        return not self.schema and not any(self._rows(c).height for c in self.failures)

    def results(self) -> Iterator[dg.AssetCheckResult]:
        for name in TABLES:
            yield self.schema.get(name) or dg.AssetCheckResult(
                asset_key=dg.AssetKey(name), check_name=schema_check_name(name), passed=True
            )
        for ref in REFERENCES:
            check = _reference_check_name(ref.column, ref.parent)
            label = f"{ref.child}.{ref.column} → {ref.parent}.{ref.key}"
            yield rows_check(dg.AssetKey(ref.child), check, self._rows(check), f"{label} missing")
        yield rows_check(
            dg.AssetKey("claims"),
            ROUND_TRIP_CHECK,
            self._rows(ROUND_TRIP_CHECK),
            "stored span differs from the document text",
        )
        yield rows_check(
            dg.AssetKey("input_files"),
            RECONCILED_CHECK,
            self._rows(RECONCILED_CHECK),
            "input file whose records are not all accounted for",
        )

    def _rows(self, check: str) -> pl.DataFrame:
        parts = self.failures.get(check)
        return pl.concat(parts, how="diagonal_relaxed") if parts else pl.DataFrame()


@dg.asset(
    name="claimbank_duckdb",
    deps=[dg.AssetKey(t) for t in TABLES],
    pool="duckdb_writer",
    group_name="warehouse",
    kinds={"duckdb"},
    description="The DuckDB warehouse: one table per Parquet table and the claims_enriched view, "
    "kept by a single writer: a small change is applied in place in one transaction, a large one "
    "(or one while a reader holds the file) is built into a temporary file renamed over the old.",
)
def claimbank_duckdb(
    context: dg.AssetExecutionContext, settings: ClaimbankSettings
) -> dg.MaterializeResult:
    cfg = settings.settings()
    summary.start(cfg.parquet_dir)  # the tables are final: the run's summary reads them now
    # a small run of `claimbank run` started the update once the tables passed their checks
    ahead = catalog_ahead.take(cfg.duckdb_path)
    if ahead is not None:
        counts, rewritten = ahead
    else:
        # in a fresh process after a pooled run: the run process and the pool's workers may
        # still hold the plan's and the consolidation's memory (pipeline/parallel.py)
        counts, rewritten = last_on_fresh_worker(update_duckdb, cfg.parquet_dir, cfg.duckdb_path)
    report(context, f"duckdb: wrote {cfg.duckdb_path} ({rewritten} partitions updated)")
    return dg.MaterializeResult(
        metadata={
            "path": str(cfg.duckdb_path),
            "partitions_updated": rewritten,
            # started by the tables step once its checks passed (`pipeline.catalog_ahead`)
            "updated_ahead": ahead is not None,
            **{f"rows/{t}": n for t, n in counts.items()},
        }
    )
