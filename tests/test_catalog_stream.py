"""The DuckDB build streamed beside consolidation: the same catalog as the build from the finished
Parquet files, row for row in the same order, and none at all unless every partition passed.

Real articles in six input files, consolidated as a run writes them (`test_catalog_build`).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import polars as pl
import pytest

from assets.warehouse import stream_catalog
from pipeline.catalog import INTERNAL, load_duckdb
from pipeline.catalog_stream import CatalogStream, StreamedBuild, adopt, streamed_path
from pipeline.schemas import TABLES
from pipeline.warehouse import read_state, table_files, write_state
from tests.test_catalog_build import in_rowid_order, parquet_dir  # noqa: F401 (fixture)


def with_bookkeeping(path: Path) -> dict[str, pl.DataFrame]:
    tables = in_rowid_order(path)
    con = duckdb.connect(str(path), read_only=True)
    try:
        tables["partitions"] = con.sql(f"select * from {INTERNAL}.partitions order by rowid").pl()
        tables["view"] = con.sql("select * from claims_enriched order by claim_id").pl()
    finally:
        con.close()
    return tables


def assert_same(built: Path, expected: Path) -> None:
    got, want = with_bookkeeping(built), with_bookkeeping(expected)
    assert set(got) == set(want)
    for name, frame in want.items():
        assert got[name].equals(frame), name
    assert got["claims"].height > 100


def keys_of(folder: Path) -> list[str]:
    return [p.stem for p in table_files(folder, "documents")]


@pytest.fixture
def warehouse(parquet_dir: Path, tmp_path: Path) -> Path:  # noqa: F811
    """A copy of the consolidated warehouse (a test may change its state) and its rebuild."""
    copy = tmp_path / "warehouse" / "parquet"
    shutil.copytree(parquet_dir, copy)
    load_duckdb(copy, tmp_path / "rebuilt.duckdb")
    return copy


def test_partitions_appended_in_key_order_build_the_same_catalog(
    warehouse: Path, tmp_path: Path
) -> None:
    keys = keys_of(warehouse)
    assert len(keys) == 6
    build = StreamedBuild(tmp_path / "s.duckdb", warehouse)
    for chunk in (keys[:1], keys[1:4], keys[4:]):  # a loader that lags appends several at once
        build.append(chunk)
    counts = build.finish(read_state(warehouse))
    assert_same(tmp_path / "s.duckdb", tmp_path / "rebuilt.duckdb")
    assert counts == {t: len(in_rowid_order(tmp_path / "s.duckdb")[t]) for t in TABLES}


def test_a_streamed_run_is_adopted_only_after_every_partition_passed(
    warehouse: Path, tmp_path: Path
) -> None:
    catalog = warehouse.parent / "claimbank.duckdb"
    keys = keys_of(warehouse)
    with CatalogStream(warehouse, catalog) as stream:
        stream.start()
        stream.expect(keys, ready=keys[2:3])  # one partition unchanged since the last run
        for key in reversed(keys[3:]):  # ahead of their turn: held back until keys[:2] passed
            stream.passed(key)
        for key in keys[:2]:
            stream.passed(key)
        assert stream.finish(read_state(warehouse))
    assert not catalog.exists()  # only claimbank_duckdb puts it in place
    adopted = adopt(warehouse, catalog)
    assert adopted is not None
    counts, partitions = adopted
    assert partitions == len(keys)
    assert counts["claims"] == len(in_rowid_order(tmp_path / "rebuilt.duckdb")["claims"])
    assert_same(catalog, tmp_path / "rebuilt.duckdb")
    assert sorted(p.name for p in catalog.parent.iterdir()) == ["claimbank.duckdb", "parquet"]


def test_a_failed_partition_leaves_no_streamed_catalog(warehouse: Path) -> None:
    catalog = warehouse.parent / "claimbank.duckdb"
    keys = keys_of(warehouse)
    with CatalogStream(warehouse, catalog) as stream:
        stream.start()
        stream.expect(keys)
        for key in keys[:-1]:  # the last one failed its checks: never handed over
            stream.passed(key)
        assert not stream.finish(read_state(warehouse))
    assert not streamed_path(catalog).exists()
    assert adopt(warehouse, catalog) is None
    with CatalogStream(warehouse, catalog) as stream:  # a step that raised: abandoned on exit
        stream.start()
        stream.expect(keys, ready=keys)
    assert not streamed_path(catalog).exists()
    assert sorted(p.name for p in catalog.parent.iterdir()) == ["parquet"]


def test_a_streamed_catalog_of_another_state_is_not_adopted(warehouse: Path) -> None:
    catalog = warehouse.parent / "claimbank.duckdb"
    keys = keys_of(warehouse)
    build = StreamedBuild(streamed_path(catalog), warehouse)
    build.append(keys)
    state = read_state(warehouse)
    build.finish(state)
    write_state(warehouse, {**state, keys[0]: "another signature"})
    assert adopt(warehouse, catalog) is None
    assert not streamed_path(catalog).exists()
    assert not catalog.exists()


def test_a_loader_that_fails_leaves_no_file_and_the_run_goes_on(warehouse: Path) -> None:
    """A file DuckDB cannot read (here a claims file that is not Parquet) fails the loader:
    `finish` says so, nothing is left, and `claimbank_duckdb` builds as before."""
    catalog = warehouse.parent / "claimbank.duckdb"
    keys = keys_of(warehouse)
    (warehouse / "claims" / f"{keys[1]}.parquet").write_bytes(b"not parquet")
    with CatalogStream(warehouse, catalog) as stream:
        stream.start()
        stream.expect(keys, ready=keys)
        assert not stream.finish(read_state(warehouse))
    assert sorted(p.name for p in catalog.parent.iterdir()) == ["parquet"]
    assert adopt(warehouse, catalog) is None


def test_the_stream_is_on_unless_switched_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CLAIMBANK_STREAM_CATALOG", raising=False)
    assert stream_catalog()
    monkeypatch.setenv("CLAIMBANK_STREAM_CATALOG", "0")
    assert not stream_catalog()
