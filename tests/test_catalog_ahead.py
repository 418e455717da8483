"""The DuckDB update a small `claimbank run` starts once the tables passed their checks."""

from __future__ import annotations

import threading
from pathlib import Path

import dagster as dg
import duckdb
import polars as pl
import pytest

from assets.runner import run_pipeline
from assets.warehouse import ChecksAccumulator
from pipeline import catalog_ahead
from pipeline.catalog import load_duckdb
from pipeline.config import Settings
from pipeline.consolidate import consolidate_many
from pipeline.layout import TABLE_NAMES
from pipeline.warehouse import plan, write_speakers
from tests.corpus_sample import write_sample
from tests.test_warehouse import stage_all


def _duckdb_metadata(dagster_home: Path) -> dict[str, object]:
    with dg.DagsterInstance.get() as instance:
        event = instance.get_latest_materialization_event(dg.AssetKey("claimbank_duckdb"))
    assert event is not None and event.asset_materialization is not None
    return {k: v.value for k, v in event.asset_materialization.metadata.items()}


def _differences(a: Path, b: Path) -> dict[str, int]:
    """Rows of each table in one catalog and not the other (both ways), by table."""
    con = duckdb.connect()
    try:
        con.execute(f"ATTACH '{a}' AS a (READ_ONLY)")
        con.execute(f"ATTACH '{b}' AS b (READ_ONLY)")
        out = {}
        for t in TABLE_NAMES:
            one = f"SELECT * FROM a.{t} EXCEPT ALL SELECT * FROM b.{t}"
            other = f"SELECT * FROM b.{t} EXCEPT ALL SELECT * FROM a.{t}"
            out[t] = sum(
                con.execute(f"SELECT count(*) FROM ({q})").fetchone()[0] for q in (one, other)
            )
        return out
    finally:
        con.close()


def test_a_small_run_updates_duckdb_ahead_and_its_step_reports_that_update(
    tmp_path: Path,
) -> None:
    settings = Settings(input_dir=tmp_path / "raw", warehouse_dir=tmp_path / "warehouse")
    write_sample(settings.input_dir, 6, per_file=4, n_txt=0)
    home = tmp_path / "dagster"
    run_pipeline(settings, home)
    # two new files are consolidated on the pool: its catalog is built in a fresh process
    assert _duckdb_metadata(home)["updated_ahead"] is False
    # one more file: updated in place, ahead of the step, to what a fresh build gives
    write_sample(settings.input_dir / "more", 3, per_file=3, n_txt=0, offset=6)
    run_pipeline(settings, home)
    metadata = _duckdb_metadata(home)
    assert metadata["updated_ahead"] is True and metadata["partitions_updated"] == 1
    fresh = tmp_path / "fresh.duckdb"
    counts = load_duckdb(settings.parquet_dir, fresh)
    assert {t: metadata[f"rows/{t}"] for t in TABLE_NAMES} == counts
    assert counts["documents"] == 9 and counts["claims"] > 0
    assert _differences(settings.duckdb_path, fresh) == dict.fromkeys(TABLE_NAMES, 0)
    # the run waited for it: nothing of it is left running or held
    assert not [t for t in threading.enumerate() if t.name == "claimbank-duckdb-ahead"]
    assert catalog_ahead.take(settings.duckdb_path) is None


def test_nothing_starts_ahead_unless_this_process_s_run_asked_for_that_file(
    tmp_path: Path,
) -> None:
    parquet, path = tmp_path / "parquet", tmp_path / "claimbank.duckdb"
    assert not catalog_ahead.start(parquet, path)  # a step run by the UI: its own update
    catalog_ahead.wanted(tmp_path / "other.duckdb")
    assert not catalog_ahead.start(parquet, path)
    catalog_ahead.settle()
    assert not catalog_ahead.start(tmp_path / "parquet", tmp_path / "other.duckdb")
    assert catalog_ahead.take(path) is None and not path.exists()


def test_an_update_started_ahead_raises_its_error_in_the_step_that_takes_it(
    tmp_path: Path,
) -> None:
    parquet, path = tmp_path / "parquet", tmp_path / "claimbank.duckdb"
    parquet.write_text("")  # a file where the Parquet folder should be: the update fails
    catalog_ahead.wanted(path)
    try:
        assert catalog_ahead.start(parquet, path)
        with pytest.raises(NotADirectoryError):
            catalog_ahead.take(path)
    finally:
        catalog_ahead.settle()
    assert not path.exists()


def test_a_partition_failing_a_blocking_check_stops_the_update_ahead(tmp_path: Path) -> None:
    """The tables step starts the update only when every check passed (`all_passed`)."""
    settings = Settings(input_dir=tmp_path / "raw", warehouse_dir=tmp_path / "warehouse")
    write_sample(settings.input_dir, 8, per_file=4, n_txt=0)
    staging, inputs = stage_all(settings)
    keys = sorted(inputs)
    the_plan = plan(staging, keys)
    write_speakers(the_plan.speakers, settings.parquet_dir)
    passing = ChecksAccumulator(the_plan)
    for result in consolidate_many(staging, settings.parquet_dir, the_plan, keys, set(keys)):
        passing.add(result)
    passing.add_speakers()
    assert passing.all_passed()
    assert all(r.passed for r in passing.results())

    bad = next(k for k in keys if staging.count("claims", k))
    part = staging.part_path("claims", bad)
    claims = pl.read_parquet(part)
    claims.with_columns(pl.col("cue_start") + 1, pl.col("cue_end") + 1).write_parquet(part)
    the_plan = plan(staging, keys)
    failing = ChecksAccumulator(the_plan)
    out = tmp_path / "second"
    write_speakers(the_plan.speakers, out)
    for result in consolidate_many(staging, out, the_plan, keys, set(keys)):
        failing.add(result)
    failing.add_speakers()
    assert not failing.all_passed()
    assert not all(r.passed for r in failing.results())
