"""Reconcile records seen with records accounted for: nothing may go missing silently.

The `input_files` ledger is written by ingest from what the readers yielded. Every later step
(staging, consolidation, a crash, a hand-edited part) could lose rows; this compares the
ledger's counts with the rows the tables really hold, per input file.
"""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

#: The shape of a reconciliation failure: one row per input file that does not add up.
FAILURE_SCHEMA = {
    "partition_key": pl.String,
    "input_path": pl.String,
    "problem": pl.String,
}


def _counts(frame: pl.DataFrame, name: str) -> pl.DataFrame:
    return frame.group_by("partition_key").agg(pl.len().cast(pl.Int64).alias(name))


def unaccounted(frames: dict[str, pl.DataFrame], expected_keys: Iterable[str]) -> pl.DataFrame:
    """Input files whose records are not all accounted for, with what is wrong; empty if none.

    Checks: every current input file has a ledger row; its `n_records` equals
    `n_documents + n_rejected`; and `document_sources` / `rejected_inputs` hold exactly that many
    rows for it (a lost or extra row shows up here even when every other check passes).
    """
    ledger = frames["input_files"]
    expected = sorted(set(expected_keys))
    problems: list[dict[str, str | None]] = [
        {"partition_key": key, "input_path": None, "problem": "no input_files row"}
        for key in sorted(set(expected) - set(ledger["partition_key"]))
    ]
    joined = (
        ledger.join(_counts(frames["document_sources"], "sources"), "partition_key", "left")
        .join(_counts(frames["rejected_inputs"], "rejections"), "partition_key", "left")
        .with_columns(pl.col("sources", "rejections").fill_null(0))
    )
    for row in joined.iter_rows(named=True):
        found = []
        if row["n_records"] != row["n_documents"] + row["n_rejected"]:
            found.append(
                f"n_records {row['n_records']} != n_documents {row['n_documents']}"
                f" + n_rejected {row['n_rejected']}"
            )
        if row["sources"] != row["n_documents"]:
            found.append(
                f"{row['sources']} document_sources rows, ledger says {row['n_documents']}"
            )
        if row["rejections"] != row["n_rejected"]:
            found.append(
                f"{row['rejections']} rejected_inputs rows, ledger says {row['n_rejected']}"
            )
        if found:
            problems.append(
                {
                    "partition_key": row["partition_key"],
                    "input_path": row["input_path"],
                    "problem": "; ".join(found),
                }
            )
    ledger_keys = set(ledger["partition_key"])
    for table in ("document_sources", "rejected_inputs"):
        for key in sorted(set(frames[table]["partition_key"]) - ledger_keys):
            problems.append(
                {"partition_key": key, "input_path": None, "problem": f"{table} rows, no ledger"}
            )
    return pl.DataFrame(problems, schema=FAILURE_SCHEMA)
