"""Consolidating partitions on the pool: the same files as one by one, and checks that bite."""

from __future__ import annotations

import os
from pathlib import Path

import polars as pl

from assets.staged import check_parts
from pipeline.config import Settings
from pipeline.consolidate import (
    ROUND_TRIP,
    SUBSET_TABLES,
    check_partition,
    consolidate_many,
    consolidate_written,
    passed_parts,
    plan_dir,
    plan_on_disk,
)
from pipeline.integrity import (
    REFERENCES,
    missing_references,
    reference_failures,
    span_round_trip_failures,
)
from pipeline.parallel import init_worker, spawn_pool
from pipeline.staging import STAGED_TABLES, Staging
from pipeline.warehouse import (
    Plan,
    _first_per_key,
    _owned_rows,
    consolidate,
    part_file,
    partition_tables,
    plan,
    table_files,
    write_partition,
    write_speakers,
)
from tests.corpus_sample import write_sample
from tests.test_warehouse import stage_all


def _settings(tmp_path: Path) -> Settings:
    settings = Settings(input_dir=tmp_path / "raw", warehouse_dir=tmp_path / "warehouse")
    write_sample(settings.input_dir, 12, per_file=4, n_txt=2)
    return settings


def planned_with_serial_files(tmp_path: Path) -> tuple[Staging, list[str], Plan, Path]:
    """A staged sample, its plan, and its partitions consolidated one by one in `serial`:
    the reference every other way of consolidating must match byte for byte."""
    staging, inputs = stage_all(_settings(tmp_path))
    keys = sorted(inputs)
    the_plan = plan(staging, keys)
    serial = tmp_path / "serial"
    write_speakers(the_plan.speakers, serial)
    for key in keys:
        write_partition(partition_tables(staging, key, the_plan), serial, key)
    return staging, keys, the_plan, serial


def assert_same_files(serial: Path, other: Path, keys: list[str]) -> None:
    """Eight tables per partition and the speakers, the same files with the same bytes."""
    files = sorted(p.relative_to(serial) for p in serial.rglob("*.parquet"))
    assert len(files) == 8 * len(keys) + 1
    assert files == sorted(p.relative_to(other) for p in other.rglob("*.parquet"))
    assert all((serial / f).read_bytes() == (other / f).read_bytes() for f in files)


def test_pool_writes_the_same_files_as_one_by_one(tmp_path: Path) -> None:
    staging, keys, the_plan, serial = planned_with_serial_files(tmp_path)
    pooled = tmp_path / "pooled"
    write_speakers(the_plan.speakers, pooled)
    results = list(consolidate_many(staging, pooled, the_plan, keys, set(keys)))
    assert [r.key for r in results] == keys and all(r.passed for r in results)
    assert results[0].previews["claims"].height == 5
    assert_same_files(serial, pooled, keys)
    assert not (staging.root / "_plan").exists()  # the scratch plan is removed


def test_a_plan_left_on_disk_consolidates_the_same_files(tmp_path: Path) -> None:
    staging, keys, the_plan, serial = planned_with_serial_files(tmp_path)
    with spawn_pool(1, init_worker, (os.getpid(),)) as worker:
        # what a pool worker hands back to the run process
        light = worker.submit(plan_on_disk, staging, keys).result()
    assert light.owners.is_empty() and light.speaker_map.is_empty()
    assert light.owners.schema == the_plan.owners.schema
    assert light.speakers.equals(the_plan.speakers) and light.signatures == the_plan.signatures
    assert (plan_dir(staging) / "owners.parquet").exists()
    pooled = tmp_path / "pooled"
    write_speakers(the_plan.speakers, pooled)
    results = list(consolidate_written(staging, pooled, keys, set(keys)))
    assert [r.key for r in results] == keys and all(r.passed for r in results)
    assert_same_files(serial, pooled, keys)
    assert not plan_dir(staging).exists()


def test_a_plan_made_where_it_is_consolidated_stays_in_memory(tmp_path: Path) -> None:
    """A small increment plans and consolidates in the run process: no scratch files for one
    partition, the files after all when several go to the pool; the same bytes either way."""
    staging, keys, the_plan, serial = planned_with_serial_files(tmp_path)
    for chosen in (keys[:1], keys):
        light = plan_on_disk(staging, keys)
        assert light.owners.is_empty() and light.speaker_map.is_empty()
        assert light.signatures == the_plan.signatures
        assert not plan_dir(staging).exists()
        out = tmp_path / f"in-process-{len(chosen)}"
        # the speakers table written by the consolidation (behind one in-process partition)
        results = list(consolidate_written(staging, out, chosen, set(keys), None, light.speakers))
        assert [r.key for r in results] == chosen and all(r.passed for r in results)
        speakers = part_file(out, "speakers", "speakers").relative_to(out)
        assert (out / speakers).read_bytes() == (serial / speakers).read_bytes()
        for key in chosen:
            for table in STAGED_TABLES:
                name = part_file(out, table, key).relative_to(out)
                assert (out / name).read_bytes() == (serial / name).read_bytes()
        assert not plan_dir(staging).exists()


def test_a_shifted_span_fails_its_partition_which_is_not_written(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    staging, inputs = stage_all(settings)
    keys = sorted(inputs)
    bad = next(k for k in keys if staging.count("claims", k))
    part = staging.part_path("claims", bad)
    claims = pl.read_parquet(part)
    claims.with_columns(pl.col("cue_start") + 1, pl.col("cue_end") + 1).write_parquet(part)
    the_plan = plan(staging, keys)
    out = settings.parquet_dir
    write_speakers(the_plan.speakers, out)
    results = {r.key: r for r in consolidate_many(staging, out, the_plan, keys, set(keys))}
    assert not results[bad].passed
    assert results[bad].failures[ROUND_TRIP].height > 0
    assert all(r.passed for k, r in results.items() if k != bad)
    assert not part_file(out, "claims", bad).exists()
    assert len(table_files(out, "claims")) == len(keys) - 1


def test_parts_that_passed_are_not_checked_again_but_a_changed_part_is(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    staging, inputs = stage_all(settings)
    keys = sorted(inputs)
    for table in STAGED_TABLES:  # the staged checks of a run: each passing part is recorded
        results = list(check_parts(staging, table, keys, len(keys), 0))
        assert results[-1].passed
    assert all(passed_parts(staging, k) == SUBSET_TABLES for k in keys)
    assert "claims" in SUBSET_TABLES  # merged speaker ids: its schema is compared instead

    bad = keys[0]
    part = staging.part_path("segments", bad)
    pl.read_parquet(part).with_columns(pl.lit("rumour").alias("kind")).write_parquet(part)
    assert passed_parts(staging, bad) == SUBSET_TABLES - {"segments"}
    the_plan = plan(staging, keys)
    out = settings.parquet_dir
    write_speakers(the_plan.speakers, out)
    results = {r.key: r for r in consolidate_many(staging, out, the_plan, keys, set(keys))}
    assert not results[bad].passed and set(results[bad].schema_failures) == {"segments"}
    assert all(r.passed for k, r in results.items() if k != bad)


def test_a_passed_part_whose_schema_changed_is_checked_again(tmp_path: Path) -> None:
    """Claims get merged speaker ids: a frame that no longer has the model's dtypes (here a
    categorical column) is validated with Pandera again, and fails."""
    settings = _settings(tmp_path)
    staging, inputs = stage_all(settings)
    keys = sorted(inputs)
    the_plan = plan(staging, keys)
    key = next(k for k in keys if staging.count("claims", k))
    frames = partition_tables(staging, key, the_plan)
    speakers, docs = the_plan.speakers.select("speaker_id"), the_plan.owners.select("doc_id")
    ok = check_partition(key, frames, speakers, docs, True, SUBSET_TABLES)
    assert ok.passed and not ok.schema_failures
    changed = frames["claims"].with_columns(pl.col("rule").cast(pl.Categorical))
    bad = check_partition(key, {**frames, "claims": changed}, speakers, docs, True, SUBSET_TABLES)
    assert set(bad.schema_failures) == {"claims"} and not bad.passed


def test_skipped_joins_keep_their_semantics_when_they_would_drop_rows(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    staging, inputs = stage_all(settings)
    key = next(k for k in sorted(inputs) if staging.count("claims", k))
    claims = staging.read("claims", [key])
    owned = claims.select("doc_id").unique()
    assert _owned_rows(claims, owned["doc_id"].implode(), owned) is claims  # nothing dropped
    assert _first_per_key(claims, ["claim_id"]) is claims
    foreign = claims.head(2).with_columns(
        pl.Series("doc_id", ["ffffffffffffffff", None], pl.String)
    )
    mixed = pl.concat([claims.head(3), foreign, claims.head(1)])
    kept = _owned_rows(mixed, owned["doc_id"].implode(), owned)
    assert kept.equals(mixed.join(owned, on="doc_id", how="semi"))
    assert kept.height == 4  # the unknown and the null document are dropped
    deduplicated = _first_per_key(kept, ["claim_id"])
    assert deduplicated.equals(kept.unique("claim_id", keep="first", maintain_order=True))
    assert deduplicated.equals(claims.head(3))


def test_a_reference_check_returns_the_anti_join_rows_or_none(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    staging, inputs = stage_all(settings)
    key = next(k for k in sorted(inputs) if staging.count("quantities", k))
    tables = {t: staging.read(t, [key]) for t in ("quantities", "claims")}
    ref = next(r for r in REFERENCES if (r.child, r.column) == ("quantities", "claim_id"))
    assert tables["quantities"]["claim_id"].null_count() > 0  # nulls are allowed
    ok = missing_references(tables, ref)
    assert ok.is_empty() and ok.schema == tables["quantities"].schema
    orphan = tables["quantities"].head(2).with_columns(pl.lit("nowhere").alias("claim_id"))
    broken = {**tables, "quantities": pl.concat([tables["quantities"], orphan])}
    assert missing_references(broken, ref).equals(orphan)


def test_content_that_differs_from_its_spans_is_reported_for_one_and_several_spans(
    tmp_path: Path,
) -> None:
    settings = _settings(tmp_path)
    staging, inputs = stage_all(settings)
    tables = consolidate(staging, inputs)
    claims = tables["claims"]
    n_spans = claims["content_spans"].list.len()
    assert (n_spans == 1).any() and (n_spans > 1).any()  # both paths of the check are used
    assert span_round_trip_failures(tables).is_empty()
    several = claims.filter(n_spans > 1)["claim_id"][0]
    one = claims.filter(n_spans == 1)["claim_id"][-1]
    edited = claims.with_columns(
        pl.when(pl.col("claim_id").is_in([several, one]))
        .then(pl.col("content") + ".")
        .otherwise(pl.col("content"))
        .alias("content")
    )
    found = span_round_trip_failures({**tables, "claims": edited})
    content = found.filter(pl.col("span") == "claim content")
    order = claims.with_row_index().filter(pl.col("claim_id").is_in([several, one]))
    assert content["row_id"].to_list() == order["claim_id"].to_list()  # in claim order
    assert (content["stored"] == content["document_slice"] + ".").all()


def test_references_to_one_parent_checked_together_report_as_each_alone(tmp_path: Path) -> None:
    """`reference_failures` tests the five references to documents in one go; when one
    fails, every reference's rows are those `missing_references` finds for it alone."""
    settings = _settings(tmp_path)
    staging, inputs = stage_all(settings)
    tables = consolidate(staging, inputs)
    documents = [r for r in REFERENCES if r.parent == "documents"]
    assert len(documents) >= 2
    assert all(f.is_empty() for f in reference_failures(tables).values())
    kept = tables["documents"].filter(pl.int_range(pl.len()) % 3 != 0)
    broken = {**tables, "documents": kept}
    found = reference_failures(broken)
    for ref in REFERENCES:
        alone = missing_references(broken, ref)
        assert found[f"{ref.child}.{ref.column} → {ref.parent}.{ref.key}"].equals(alone)
    assert sum(found[f"{r.child}.doc_id → documents.doc_id"].height for r in documents) > 0
