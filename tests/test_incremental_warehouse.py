"""Incremental consolidation: a run rewrites only the partitions that changed (Parquet, DuckDB).

Each step runs the real pipeline through Dagster on real articles, then compares the updated
warehouse with one rebuilt from scratch: the catalog updated by delete+insert must hold exactly
the rows a full rebuild gives.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import polars as pl
import pytest

from assets.runner import run_pipeline
from pipeline.catalog import INTERNAL, load_duckdb, update_duckdb
from pipeline.config import Settings
from pipeline.schemas import SORT_KEYS, TABLES
from pipeline.warehouse import read_state, read_table, table_files
from tests.corpus_sample import real_articles, write_sample


def catalog_tables(path: Path) -> dict[str, pl.DataFrame]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return {t: con.sql(f"select * from {t}").pl().sort(SORT_KEYS[t]) for t in TABLES}
    finally:
        con.close()


def mtimes(settings: Settings) -> dict[Path, int]:
    return {p: p.stat().st_mtime_ns for t in TABLES for p in table_files(settings.parquet_dir, t)}


def assert_catalog_matches_rebuild(settings: Settings, tmp: Path) -> None:
    rebuilt = tmp / "rebuilt.duckdb"
    rebuilt.unlink(missing_ok=True)
    load_duckdb(settings.parquet_dir, rebuilt)
    updated, fresh = catalog_tables(settings.duckdb_path), catalog_tables(rebuilt)
    for table in TABLES:
        assert updated[table].equals(fresh[table]), table
        assert updated[table].equals(read_table(settings.parquet_dir, table)), table


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, Path]:
    root = tmp_path_factory.mktemp("incremental")
    settings = Settings(input_dir=root / "raw", warehouse_dir=root / "warehouse")
    write_sample(settings.input_dir, 8, per_file=3, n_txt=2)
    run_pipeline(settings, root / "dagster")
    return settings, root


def test_adding_a_file_rewrites_only_its_partition(warehouse) -> None:
    settings, root = warehouse
    before = mtimes(settings)
    documents_before = read_table(settings.parquet_dir, "documents").height
    new = settings.input_dir / "zz-new.txt"
    new.write_text(real_articles(30)[29]["text"], encoding="utf-8")
    run_pipeline(settings, root / "dagster")
    after = mtimes(settings)
    rewritten = {p for p, m in after.items() if before.get(p) != m}
    new_files = {p for p in rewritten if p.stem.startswith("zz-new")}
    assert rewritten - new_files == {settings.parquet_dir / "speakers" / "speakers.parquet"}
    assert {p.parent.name for p in new_files} == set(TABLES) - {"speakers"}
    assert read_table(settings.parquet_dir, "documents").height == documents_before + 1
    assert_catalog_matches_rebuild(settings, root)
    counts, updated = update_duckdb(settings.parquet_dir, settings.duckdb_path)
    assert updated == 0  # the catalog is already at the Parquet state: nothing to redo
    assert counts == {t: read_table(settings.parquet_dir, t).height for t in TABLES}


def test_a_duplicate_in_a_smaller_key_moves_the_document(warehouse) -> None:
    settings, root = warehouse
    original = settings.input_dir / "txt" / "a000.txt"
    copy = settings.input_dir / "aaa-copy.txt"  # its partition key sorts before txt/a000's
    shutil.copy(original, copy)
    run_pipeline(settings, root / "dagster")
    documents = read_table(settings.parquet_dir, "documents")
    assert documents["doc_id"].is_unique().all()
    sources = read_table(settings.parquet_dir, "document_sources")
    doc_id = sources.filter(pl.col("input_path") == "aaa-copy.txt")["doc_id"].item()
    assert sources.filter(pl.col("doc_id") == doc_id).height == 2
    owner = [p.stem for p in table_files(settings.parquet_dir, "documents")]
    holding = [
        stem
        for stem in owner
        if doc_id
        in set(pl.read_parquet(settings.parquet_dir / "documents" / f"{stem}.parquet")["doc_id"])
    ]
    assert len(holding) == 1 and holding[0].startswith("aaa-copy")
    assert_catalog_matches_rebuild(settings, root)


def test_deleting_files_removes_their_partitions(warehouse) -> None:
    settings, root = warehouse
    (settings.input_dir / "aaa-copy.txt").unlink()
    (settings.input_dir / "part000.jsonl").unlink()
    run_pipeline(settings, root / "dagster")
    assert not any("part000" in p.stem for p in mtimes(settings))
    assert not any("part000" in k or "aaa-copy" in k for k in read_state(settings.parquet_dir))
    paths = set(read_table(settings.parquet_dir, "input_files")["input_path"])
    assert "part000.jsonl" not in paths and "aaa-copy.txt" not in paths
    assert_catalog_matches_rebuild(settings, root)
    con = duckdb.connect(str(settings.duckdb_path), read_only=True)
    try:
        keys = {
            r[0] for r in con.execute(f"select partition_key from {INTERNAL}.partitions").fetchall()
        }
    finally:
        con.close()
    assert keys == set(read_state(settings.parquet_dir))
