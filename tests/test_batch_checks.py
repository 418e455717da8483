"""Ingested frames are Pandera-checked as they are written, and the staged check uses that."""

from __future__ import annotations

import json
from pathlib import Path

import dagster as dg
import polars as pl
import pyarrow as pa

from assets.staged import check_parts
from pipeline import incremental
from pipeline.batch_checks import check_into, schema_failures
from pipeline.extract_task import segment_extract_tables
from pipeline.schemas import TABLES, polars_schema
from pipeline.stage_rows import BATCH_TABLES, segment_extract
from pipeline.stages import batch_schemas
from pipeline.staging import INGEST_TABLES, Staging
from tests.corpus_sample import real_articles


def _staged(tmp_path: Path, n: int) -> tuple[Staging, incremental.StageOutcome]:
    raw = tmp_path / "raw"
    raw.mkdir()
    path = raw / "a.jsonl"
    lines = (json.dumps({"text": r["text"], "title": r.get("title")}) for r in real_articles(n))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    staging = Staging(tmp_path / "staging")
    return staging, incremental.ingest(staging, "k", path, raw, 5_000_000)


def _results(staging: Staging, table: str, checked: dict) -> list:
    return list(check_parts(staging, table, ["k"], 1, 0, checked))


def test_a_bad_frame_is_caught_and_the_first_failure_is_kept() -> None:
    documents = pl.DataFrame(
        {"doc_id": ["0123456789abcdef"], "text": [real_articles(1)[0]["text"]], "title": [None]},
        schema={"doc_id": pl.String, "text": pl.String, "title": pl.String},
    )
    claims = segment_extract(batch_schemas(), documents)[BATCH_TABLES.index("claims")]
    assert claims.height > 0
    failures: dict[str, pl.DataFrame] = {}
    check_into(failures, "claims", claims)
    assert failures == {}
    check_into(failures, "claims", claims.with_columns(pl.lit("rumour").alias("kind")))
    first = failures["claims"]
    assert "rumour" in str(first.to_dicts())
    check_into(failures, "claims", claims.with_columns(pl.lit(-1).alias("start")))
    assert failures["claims"] is first


def test_ingest_reports_its_checks_and_the_staged_check_trusts_them(tmp_path: Path) -> None:
    staging, outcome = _staged(tmp_path, 30)
    assert not outcome.skipped
    assert outcome.checked == dict.fromkeys(INGEST_TABLES)  # checked while written, all passed

    # passed while written: the ledger records the part as it is on disk
    results = _results(staging, "documents", {"k": outcome.checked})
    assert results[-1].passed
    assert staging.validated("documents") == {"k": staging.fingerprint("documents", "k")}

    # a failure found as it was written fails the blocking check; the part leaves the ledger
    cases = pl.DataFrame({"failure_case": ["-1"]})
    check = _results(staging, "documents", {"k": {"documents": cases}})[-1]
    assert isinstance(check, dg.AssetCheckResult) and not check.passed
    assert check.metadata["n_failure_cases"].value == 1
    assert staging.validated("documents") == {}

    # extraction's parts are checked as the run process writes them, too
    extracted = incremental.extract(staging, "k")
    assert not extracted.skipped and extracted.checked == dict.fromkeys(BATCH_TABLES)
    assert _results(staging, "claims", {"k": extracted.checked})[-1].passed

    # a part not checked as it was written (changed on disk since) is read back and checked
    part = staging.part_path("claims", "k")
    pl.read_parquet(part).with_columns(pl.lit("rumour").alias("kind")).write_parquet(part)
    assert not _results(staging, "claims", {"k": {}})[-1].passed


def test_a_part_writer_checks_its_frames_in_chunks_and_keeps_the_first_failure(
    tmp_path: Path,
) -> None:
    staging, _ = _staged(tmp_path, 12)
    documents = staging.read("documents", ["k"]).select("doc_id", "text", "title")
    claims = segment_extract(batch_schemas(), documents)[BATCH_TABLES.index("claims")]
    assert claims.height > 4
    halves = claims.head(claims.height // 2), claims.tail(claims.height - claims.height // 2)

    with staging.writer("claims", "k", check_rows=claims.height) as writer:
        for half in halves:
            writer.write(half)
    assert writer.rows == claims.height and writer.failures is None

    # the bad rows are in the last chunk, checked when the block ends
    bad = halves[1].with_columns(pl.lit("rumour").alias("kind"))
    with staging.writer("claims", "k", check_rows=claims.height) as writer:
        writer.write(halves[0])
        assert writer.failures is None  # not a whole chunk yet: not checked yet
        writer.write(bad)
    assert writer.failures is not None and "rumour" in str(writer.failures.to_dicts())

    # chunk by chunk: the first failing chunk's cases are kept, later chunks are not checked
    negative = halves[1].with_columns(pl.lit(-1, dtype=pl.Int64).alias("start"))
    with staging.writer("claims", "k", check_rows=1) as writer:
        writer.write(bad)
        writer.write(negative)
    assert writer.failures is not None and "rumour" in str(writer.failures.to_dicts())
    assert staging.count("claims", "k") == 2 * halves[1].height

    # no checks asked: none made
    with staging.writer("claims", "k") as writer:
        writer.write(bad)
    assert writer.failures is None


def test_a_part_writer_takes_the_workers_arrow_tables_as_it_takes_frames(tmp_path: Path) -> None:
    """Workers send Arrow tables back: the parts and the checks are those of the frames."""
    staging, _ = _staged(tmp_path, 12)
    documents = staging.read("documents", ["k"]).select("doc_id", "text", "title")
    frames = segment_extract(batch_schemas(), documents)
    tables = segment_extract_tables(batch_schemas(), documents)
    for table, frame, arrow in zip(BATCH_TABLES, frames, tables, strict=True):
        assert isinstance(arrow, pa.Table) and frame.height > 0
        with staging.writer(table, "k", check_rows=1) as writer:
            writer.write(frame)
        from_frame = staging.part_path(table, "k").read_bytes()
        with staging.writer(table, "k", check_rows=1) as writer:
            writer.write(arrow)
        assert writer.failures is None and writer.rows == frame.height
        assert staging.part_path(table, "k").read_bytes() == from_frame
        assert staging.read(table, ["k"]).equals(frame)

    claims = tables[BATCH_TABLES.index("claims")]
    kind = claims.schema.get_field_index("kind")
    bad = claims.set_column(kind, "kind", pa.array(["rumour"] * claims.num_rows, pa.large_string()))
    with staging.writer("claims", "k", check_rows=claims.num_rows) as writer:
        writer.write(claims)
        writer.write(bad)
    assert writer.failures is not None and "rumour" in str(writer.failures.to_dicts())


def test_an_empty_frame_of_the_models_schema_passes_pandera_so_it_is_not_validated() -> None:
    """Why `check_into` skips such frames: Pandera passes them for every table."""
    for table in TABLES:
        assert schema_failures(table, pl.DataFrame(schema=polars_schema(table))) is None, table


def test_an_empty_frame_with_other_columns_is_still_validated() -> None:
    failures: dict[str, pl.DataFrame] = {}
    check_into(failures, "rejected_inputs", pl.DataFrame(schema={"input_path": pl.String}))
    assert "rejected_inputs" in failures
    check_into(failures, "documents", pl.DataFrame(schema=polars_schema("documents")))
    assert "documents" not in failures


def test_staged_parts_carry_no_statistics_and_read_back_the_same(tmp_path: Path) -> None:
    """No reader filters a staged part on a column, so its writer spends nothing on min/max."""
    import pyarrow.parquet as pq

    staging, _ = _staged(tmp_path, 12)
    documents = staging.read("documents", ["k"]).select("doc_id", "text", "title")
    for table, frame in zip(BATCH_TABLES, segment_extract(batch_schemas(), documents), strict=True):
        with staging.writer(table, "k") as writer:
            writer.write(frame)
        meta = pq.ParquetFile(staging.part_path(table, "k")).metadata
        columns = [meta.row_group(0).column(i) for i in range(meta.num_columns)]
        assert not any(c.is_stats_set for c in columns), table
        assert staging.read(table, ["k"]).equals(frame)
    meta = pq.ParquetFile(staging.part_path("documents", "k")).metadata
    assert not meta.row_group(0).column(0).is_stats_set  # ingest's parts too
