"""Blocking checks: Pandera per table, referential integrity and offset round trips across tables.

A failed check carries its failure cases (as a markdown table) in its metadata, and because the
checks are blocking, nothing downstream (ultimately DuckDB) runs on bad data.
"""

from __future__ import annotations

import dagster as dg
import polars as pl
from pandera.errors import SchemaError, SchemaErrors

from assets.metadata import markdown_preview
from pipeline.schemas import TABLES

MAX_CASES = 20


def schema_check_name(table: str) -> str:
    return f"{table}_schema"


def schema_check_spec(table: str, asset_key: dg.AssetKey) -> dg.AssetCheckSpec:
    return dg.AssetCheckSpec(
        schema_check_name(table),
        asset=asset_key,
        blocking=True,
        description=f"Pandera model `{TABLES[table].__name__}`: dtypes, keys, enums, spans.",
    )


def failure_result(
    asset_key: dg.AssetKey, check_name: str, cases: pl.DataFrame, summary: str
) -> dg.AssetCheckResult:
    return dg.AssetCheckResult(
        asset_key=asset_key,
        check_name=check_name,
        passed=False,
        severity=dg.AssetCheckSeverity.ERROR,
        metadata={
            "summary": summary,
            "n_failure_cases": cases.height,
            "failure_cases": dg.MetadataValue.md(markdown_preview(cases, MAX_CASES)),
        },
    )


def validate_table(table: str, frame: pl.DataFrame, asset_key: dg.AssetKey) -> dg.AssetCheckResult:
    """Run the table's Pandera model eagerly (data checks included) over the frame."""
    name = schema_check_name(table)
    try:
        TABLES[table].validate(frame, lazy=True)
    except SchemaErrors as errors:
        return failure_result(asset_key, name, errors.failure_cases, f"{table}: schema violated")
    except SchemaError as error:
        cases = pl.DataFrame({"error": [str(error)]})
        return failure_result(asset_key, name, cases, f"{table}: schema violated")
    return dg.AssetCheckResult(
        asset_key=asset_key, check_name=name, passed=True, metadata={"rows_checked": frame.height}
    )


def rows_check(
    asset_key: dg.AssetKey, check_name: str, failures: pl.DataFrame, what: str
) -> dg.AssetCheckResult:
    """Pass when `failures` is empty; otherwise show the offending rows."""
    if failures.height:
        return failure_result(asset_key, check_name, failures, f"{failures.height} rows: {what}")
    return dg.AssetCheckResult(asset_key=asset_key, check_name=check_name, passed=True)
