"""Pandera checks of staged frames where they are built, before they are written.

Why: checking a part after it is written means reading it back. Ingest checks each batch of
documents (the texts) before writing it instead, so the staged check does not decompress every
text again; it reads back only parts not checked as they were written.

Extraction's frames are checked by the run process as it writes them, in chunks of 50k rows
(`pipeline.staging.PartWriter`), not per 500-document batch in the pool workers: Pandera has a
fixed cost per `validate` call (~10 ms), and at 25k documents the workers spent ~4 s more CPU
checking batches than the run process saved by not reading parts back (~1.5 s;
benchmarks/results/NOTES.md).
"""

from __future__ import annotations

import polars as pl
from pandera.errors import SchemaError, SchemaErrors

from pipeline.schemas import TABLES, polars_schema

#: table -> Pandera failure cases of the first failing frame (a passing table has no entry)
Failures = dict[str, pl.DataFrame]


def schema_failures(table: str, frame: pl.DataFrame) -> pl.DataFrame | None:
    """Pandera failure cases of the table's model on `frame` (data checks included); None: ok."""
    try:
        TABLES[table].validate(frame, lazy=True)
    except SchemaErrors as errors:
        return errors.failure_cases
    except SchemaError as error:
        return pl.DataFrame({"error": [str(error)]})
    return None


def check_into(failures: Failures, table: str, frame: pl.DataFrame) -> None:
    """Check `frame`; keep its failure cases unless `table` already failed.

    An empty frame with exactly the model's columns and dtypes is not validated: every check
    of a model is per row or over its rows, so it cannot fail (tested for every table), and
    ingest checked an empty `rejected_inputs` per batch (~3.5 ms a call).
    """
    if table in failures or (frame.is_empty() and frame.schema == polars_schema(table)):
        return
    cases = schema_failures(table, frame)
    if cases is not None:
        failures[table] = cases
