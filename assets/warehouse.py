"""Stage 4: consolidate the staged parts into one checked Parquet file per table, then DuckDB.

The Parquet tables pass every blocking check (Pandera per table, references between tables,
offsets against the text) before the single DuckDB writer runs.
"""

from collections.abc import Iterator

import dagster as dg
import polars as pl

from assets.checks import rows_check, schema_check_spec, validate_table
from assets.metadata import table_metadata
from assets.resources import ClaimbankSettings
from assets.staged import report, staged_key
from pipeline.integrity import REFERENCES, reference_failures, span_round_trip_failures
from pipeline.reconcile import unaccounted
from pipeline.schemas import TABLES, table_description
from pipeline.staging import STAGED_TABLES
from pipeline.warehouse import consolidate, load_duckdb, write_tables

ROUND_TRIP_CHECK = "offsets_round_trip"
RECONCILED_CHECK = "every_input_accounted_for"


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
    description="Deduplicate and sort the staged parts of every current input file into one "
    "Parquet file per table (zstd), and build the cross-document speakers table.",
)
def tables(
    context: dg.AssetExecutionContext, settings: ClaimbankSettings
) -> Iterator[dg.MaterializeResult | dg.AssetCheckResult]:
    cfg = settings.settings()
    staging = settings.staging()
    inputs = settings.inputs()
    for stale in set(staging.keys()) - set(inputs):
        staging.drop(stale)  # input file deleted since it was staged
    frames = consolidate(staging, inputs)
    report(context, "tables: " + ", ".join(f"{n} {f.height}" for n, f in frames.items()))
    write_tables(frames, cfg.parquet_dir)
    for name, frame in frames.items():
        yield dg.MaterializeResult(
            asset_key=dg.AssetKey(name),
            metadata=table_metadata(name, frame, path=str(cfg.parquet_dir / f"{name}.parquet")),
        )
    yield from check_tables(frames, set(inputs))


def check_tables(
    frames: dict[str, pl.DataFrame], expected_keys: set[str]
) -> Iterator[dg.AssetCheckResult]:
    """All blocking checks over the consolidated tables."""
    for name, frame in frames.items():
        yield validate_table(name, frame, dg.AssetKey(name))
    failures = reference_failures(frames)
    for ref in REFERENCES:
        label = f"{ref.child}.{ref.column} → {ref.parent}.{ref.key}"
        yield rows_check(
            dg.AssetKey(ref.child),
            _reference_check_name(ref.column, ref.parent),
            failures[label],
            f"{label} missing",
        )
    yield rows_check(
        dg.AssetKey("claims"),
        ROUND_TRIP_CHECK,
        span_round_trip_failures(frames),
        "stored span differs from the document text",
    )
    yield rows_check(
        dg.AssetKey("input_files"),
        RECONCILED_CHECK,
        unaccounted(frames, expected_keys),
        "input file whose records are not all accounted for",
    )


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
    counts = load_duckdb(cfg.parquet_dir, cfg.duckdb_path)
    report(context, f"duckdb: wrote {cfg.duckdb_path}")
    return dg.MaterializeResult(
        metadata={"path": str(cfg.duckdb_path), **{f"rows/{t}": n for t, n in counts.items()}}
    )
