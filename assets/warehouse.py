"""Stage 4: consolidate the staged parts into checked Parquet per table and file, then DuckDB.

Only partitions whose inputs changed are rewritten and checked (see `pipeline/warehouse.py`);
they pass every blocking check (Pandera per table, references between tables, offsets against
the text, the reconciliation ledger) before the single DuckDB writer updates the catalog.
"""

from collections.abc import Iterator

import dagster as dg
import polars as pl

from assets.checks import rows_check, schema_check_name, schema_check_spec, validate_table
from assets.metadata import table_metadata
from assets.resources import ClaimbankSettings
from assets.staged import report, staged_key
from pipeline.catalog import update_duckdb
from pipeline.integrity import REFERENCES, reference_failures, span_round_trip_failures
from pipeline.reconcile import unaccounted
from pipeline.schemas import TABLES, polars_schema, table_description
from pipeline.staging import STAGED_TABLES
from pipeline.warehouse import (
    Plan,
    changed_partitions,
    count_rows,
    partition_tables,
    plan,
    read_state,
    remove_partition,
    write_partition,
    write_speakers,
    write_state,
)

ROUND_TRIP_CHECK = "offsets_round_trip"
RECONCILED_CHECK = "every_input_accounted_for"
#: Failing rows kept per partition and check: enough to show, bounded in memory.
MAX_FAILURE_ROWS = 1_000


def _reference_check_name(column: str, parent: str) -> str:
    return f"{column}_in_{parent}"


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
    the_plan = plan(staging, inputs)
    changed, removed = changed_partitions(cfg.parquet_dir, the_plan)
    report(
        context,
        f"tables: {len(changed)} of {len(inputs)} files to consolidate, {len(removed)} removed",
    )
    for key in removed:
        remove_partition(cfg.parquet_dir, key)
    write_speakers(the_plan.speakers, cfg.parquet_dir)
    checks = ChecksAccumulator(set(inputs), the_plan)
    passed: list[str] = []
    for key in changed:
        frames = partition_tables(staging, key, the_plan)
        if checks.add(key, frames):  # checked before written: no unchecked row reaches Parquet
            write_partition(frames, cfg.parquet_dir, key)
            passed.append(key)
    checks.add_speakers()
    state = {k: v for k, v in read_state(cfg.parquet_dir).items() if k in the_plan.signatures}
    write_state(cfg.parquet_dir, state | {k: the_plan.signatures[k] for k in passed})
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


class ChecksAccumulator:
    """The blocking checks, run per rewritten partition and reported once per check.

    Document-bound rows never leave the partition that owns their document, so offsets and
    the references between segments, sentences, claims, quantities and input files are checked
    on the partition's own frames. References to `documents` are checked against every owned
    document of the warehouse (a duplicate's `document_sources` row points at another
    partition), `claims.speaker_id` against the whole speakers table. Unchanged partitions
    passed when they were written and are not read again.
    """

    def __init__(self, expected_keys: set[str], the_plan: Plan) -> None:
        self.expected_keys = expected_keys
        self.all_docs = the_plan.owners.select("doc_id")
        self.speakers = the_plan.speakers
        self.schema: dict[str, dg.AssetCheckResult] = {}
        self.failures: dict[str, list[pl.DataFrame]] = {}
        self.previews: dict[str, pl.DataFrame] = {"speakers": the_plan.speakers.head(5)}

    def _fail(self, check: str, rows: pl.DataFrame) -> bool:
        if rows.height:
            self.failures.setdefault(check, []).append(rows.head(MAX_FAILURE_ROWS))
        return not rows.height

    def add(self, key: str, frames: dict[str, pl.DataFrame]) -> bool:
        """Check one partition's tables; True when every check passed."""
        ok = True
        for name, frame in frames.items():
            if name not in self.previews and frame.height:
                self.previews[name] = frame.head(5)
            result = validate_table(name, frame, dg.AssetKey(name))
            if not result.passed:
                self.schema.setdefault(name, result)
                ok = False
        scope = {**frames, "speakers": self.speakers, "documents": self.all_docs}
        failures = reference_failures(scope)
        for ref in REFERENCES:
            label = f"{ref.child}.{ref.column} → {ref.parent}.{ref.key}"
            ok &= self._fail(_reference_check_name(ref.column, ref.parent), failures[label])
        ok &= self._fail(ROUND_TRIP_CHECK, span_round_trip_failures(frames))
        ok &= self._fail(RECONCILED_CHECK, unaccounted(frames, {key} & self.expected_keys))
        return ok

    def add_speakers(self) -> None:
        result = validate_table("speakers", self.speakers, dg.AssetKey("speakers"))
        if not result.passed:
            self.schema.setdefault("speakers", result)

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
    "rebuilt by a single writer into a temporary file that replaces the old one atomically.",
)
def claimbank_duckdb(
    context: dg.AssetExecutionContext, settings: ClaimbankSettings
) -> dg.MaterializeResult:
    cfg = settings.settings()
    counts, rewritten = update_duckdb(cfg.parquet_dir, cfg.duckdb_path)
    report(context, f"duckdb: wrote {cfg.duckdb_path} ({rewritten} partitions updated)")
    return dg.MaterializeResult(
        metadata={
            "path": str(cfg.duckdb_path),
            "partitions_updated": rewritten,
            **{f"rows/{t}": n for t, n in counts.items()},
        }
    )
