"""Stages without Dagster on the real sample: Parquet tables, checks, DuckDB, integrity."""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl
import pytest

from pipeline import incremental
from pipeline.config import Settings
from pipeline.integrity import reference_failures, span_round_trip_failures
from pipeline.partitions import scan_inputs
from pipeline.schemas import TABLES
from pipeline.staging import Staging
from pipeline.warehouse import (
    consolidate,
    load_duckdb,
    partition_tables,
    plan,
    read_table,
    write_tables,
)
from tests.conftest import SEED_TEXT


def stage_all(settings: Settings) -> tuple[Staging, dict[str, Path]]:
    """Ingest, segment and extract every input file into staging, without Dagster."""
    staging = Staging(settings.staging_dir)
    inputs = scan_inputs(settings.input_dir)
    for key, path in inputs.items():
        incremental.ingest(staging, key, path, settings.input_dir, settings.max_document_bytes)
        incremental.extract(staging, key)
    return staging, inputs


def build(settings: Settings) -> dict[str, pl.DataFrame]:
    staging, inputs = stage_all(settings)
    frames = consolidate(staging, inputs)
    write_tables(frames, settings.parquet_dir)
    load_duckdb(settings.parquet_dir, settings.duckdb_path)
    return frames


def test_sample_tables_pass_every_check(sample_workspace: Settings) -> None:
    frames = build(sample_workspace)
    for name, model in TABLES.items():
        model.validate(frames[name], lazy=True)
    assert span_round_trip_failures(frames).is_empty()
    assert all(f.is_empty() for f in reference_failures(frames).values())
    doc = frames["documents"].row(0, named=True)
    assert doc["text"] == SEED_TEXT.read_text(encoding="utf-8").strip()
    assert str(doc["published_at"]) == "2022-09-10"
    assert frames["claims"].filter(pl.col("kind") != "author").height >= 15
    speakers = set(frames["speakers"]["canonical_name"])
    assert not any("Baerbock" in s for s in speakers)


def test_duckdb_has_every_table_and_the_enriched_view(sample_workspace: Settings) -> None:
    frames = build(sample_workspace)
    con = duckdb.connect(str(sample_workspace.duckdb_path), read_only=True)
    try:
        for name, frame in frames.items():
            assert con.execute(f"select count(*) from {name}").fetchone()[0] == frame.height
        row = con.execute(
            "select count(*) from claims_enriched where published_at = date '2022-09-10'"
        ).fetchone()
        assert row[0] == frames["claims"].height
    finally:
        con.close()


def test_same_article_in_two_files_is_one_document_with_two_sources(workspace: Settings) -> None:
    text = SEED_TEXT.read_text(encoding="utf-8")
    (workspace.input_dir / "a.txt").write_text(text, encoding="utf-8")
    (workspace.input_dir / "b.txt").write_text(text.replace("\n", "\r\n"), encoding="utf-8")
    frames = build(workspace)
    assert frames["documents"].height == 1
    assert frames["document_sources"]["input_path"].to_list() == ["a.txt", "b.txt"]
    assert frames["claims"]["claim_id"].is_unique().all()


def test_round_trip_check_catches_a_shifted_span(sample_workspace: Settings) -> None:
    frames = build(sample_workspace)
    claims = frames["claims"]
    shifted = claims.with_columns(
        pl.when(pl.int_range(pl.len()) == 0)
        .then(pl.col("cue_start") + 1)
        .otherwise(pl.col("cue_start"))
        .alias("cue_start")
    )
    bad = span_round_trip_failures({**frames, "claims": shifted})
    assert bad.height >= 1
    assert bad["span"].to_list()[0] in {"claim cue", "claim content span"}


def test_dangling_reference_is_reported(sample_workspace: Settings) -> None:
    frames = build(sample_workspace)
    orphan = frames["quantities"].head(1).with_columns(pl.lit("ffffffffffffffff").alias("doc_id"))
    failures = reference_failures(
        {**frames, "quantities": pl.concat([frames["quantities"], orphan])}
    )
    assert failures["quantities.doc_id → documents.doc_id"].height == 1


def test_unchanged_file_is_not_processed_again(sample_workspace: Settings) -> None:
    build(sample_workspace)
    staging = Staging(sample_workspace.staging_dir)
    ((key, path),) = scan_inputs(sample_workspace.input_dir).items()
    assert incremental.ingest(staging, key, path, sample_workspace.input_dir, 10**7).skipped
    assert incremental.extract(staging, key).skipped
    path.write_text(path.read_text() + "\nAn official said more was coming.\n")
    assert not incremental.ingest(staging, key, path, sample_workspace.input_dir, 10**7).skipped
    assert not incremental.extract(staging, key).skipped


def test_read_table_of_missing_file_is_empty_with_schema(tmp_path) -> None:
    frame = read_table(tmp_path, "claims")
    assert frame.is_empty() and "content_spans" in frame.columns


@pytest.mark.parametrize("table", list(TABLES))
def test_every_column_is_documented(table: str) -> None:
    schema = TABLES[table].to_schema()
    assert schema.columns, table
    assert all(col.description for col in schema.columns.values()), table


def test_data_dictionary_is_current() -> None:
    from pipeline.docs import DOC_PATH, render

    assert DOC_PATH.read_text(encoding="utf-8") == render(), "run: python -m pipeline.docs"


def test_a_partition_is_rewritten_when_another_file_changes_its_speakers(
    workspace: Settings,
) -> None:
    # the surname alone merges into the one full name of the corpus, found in another file
    (workspace.input_dir / "a.txt").write_text(
        "Mr. Hartley said on Tuesday that the economy was growing faster than expected.\n"
    )
    (workspace.input_dir / "b.txt").write_text(
        "Thomas Hartley said on Monday that his campaign would release a new tax plan.\n"
    )
    staging, inputs = stage_all(workspace)
    first, second = sorted(inputs)
    alone, both = plan(staging, [first]), plan(staging, [first, second])
    assert alone.signatures[first] != both.signatures[first]
    full_name = both.speakers.filter(pl.col("canonical_name") == "Thomas Hartley")
    assert full_name["n_documents"].to_list() == [2]
    claims = partition_tables(staging, first, both)["claims"].filter(pl.col("kind") != "author")
    assert claims["speaker_id"].to_list() == full_name["speaker_id"].to_list()
