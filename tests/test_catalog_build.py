"""The DuckDB build loads tables concurrently: the same rows, in file order, however many loaders.

Real articles in several input files, consolidated into one Parquet file per table and
partition (the layout of a run), then built with one loader and with two.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import polars as pl
import pytest

from pipeline import catalog, incremental
from pipeline.catalog import INTERNAL, load_duckdb
from pipeline.config import Settings
from pipeline.layout import TABLE_NAMES
from pipeline.partitions import scan_inputs
from pipeline.schemas import TABLES, polars_schema
from pipeline.staging import Staging
from pipeline.warehouse import (
    partition_tables,
    plan,
    table_files,
    write_partition,
    write_speakers,
    write_state,
)
from tests.conftest import REPO
from tests.corpus_sample import write_sample


@pytest.fixture(scope="module")
def parquet_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Six partitions of real articles, consolidated as a run writes them."""
    root = tmp_path_factory.mktemp("catalog_build")
    settings = Settings(input_dir=root / "raw", warehouse_dir=root / "warehouse")
    write_sample(settings.input_dir, 14, per_file=3, n_txt=2)
    staging = Staging(settings.staging_dir)
    inputs = scan_inputs(settings.input_dir)
    for key, path in inputs.items():
        incremental.ingest(staging, key, path, settings.input_dir, settings.max_document_bytes)
        incremental.extract(staging, key)
    the_plan = plan(staging, inputs)
    write_speakers(the_plan.speakers, settings.parquet_dir)
    for key in sorted(inputs):
        write_partition(partition_tables(staging, key, the_plan), settings.parquet_dir, key)
    write_state(settings.parquet_dir, the_plan.signatures)
    return settings.parquet_dir


def in_rowid_order(path: Path) -> dict[str, pl.DataFrame]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        tables = {t: con.sql(f"select * from {t} order by rowid").pl() for t in TABLES}
        tables["partition_docs"] = con.sql(
            f"select * from {INTERNAL}.partition_docs order by rowid"
        ).pl()
        return tables
    finally:
        con.close()


def empty(table: str) -> pl.DataFrame:
    return pl.DataFrame(schema=polars_schema(table))


def in_file_order(parquet_dir: Path) -> dict[str, pl.DataFrame]:
    tables = {
        t: pl.read_parquet(files) if (files := table_files(parquet_dir, t)) else empty(t)
        for t in TABLES
    }
    tables["partition_docs"] = pl.concat(
        pl.read_parquet(p, columns=["doc_id"]).select(
            pl.lit(p.stem).alias("partition_key"), "doc_id"
        )
        for p in table_files(parquet_dir, "documents")
    )
    return tables


@pytest.mark.parametrize("loaders", [1, 2])
def test_every_table_holds_its_files_rows_in_file_order(
    parquet_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, loaders: int
) -> None:
    monkeypatch.setenv("CLAIMBANK_WORKERS", str(loaders))
    assert catalog.loaders() == loaders
    assert len(table_files(parquet_dir, "claims")) == 6
    counts = load_duckdb(parquet_dir, tmp_path / "c.duckdb")
    built, expected = in_rowid_order(tmp_path / "c.duckdb"), in_file_order(parquet_dir)
    for name, frame in expected.items():
        assert built[name].equals(frame), name
    assert counts == {t: expected[t].height for t in TABLES}
    assert counts["claims"] > 100


def test_a_build_out_of_memory_is_retried_without_the_limit(
    parquet_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLAIMBANK_WORKERS", "2")
    monkeypatch.setattr(catalog, "MEMORY_LIMIT", "1MB")
    with pytest.raises(duckdb.OutOfMemoryException):
        catalog._load(parquet_dir, tmp_path / "bounded.duckdb", bounded=True)
    assert not (tmp_path / "bounded.duckdb").exists()
    counts = load_duckdb(parquet_dir, tmp_path / "c.duckdb")
    built, expected = in_rowid_order(tmp_path / "c.duckdb"), in_file_order(parquet_dir)
    for name, frame in expected.items():
        assert built[name].equals(frame), name
    assert counts["claims"] == expected["claims"].height
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.duckdb"]


def test_a_table_without_files_is_created_empty_with_its_columns(
    parquet_dir: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "parquet"
    shutil.copytree(parquet_dir, copy)
    shutil.rmtree(copy / "rejected_inputs")
    counts = load_duckdb(copy, tmp_path / "c.duckdb")
    built = in_rowid_order(tmp_path / "c.duckdb")
    assert counts["rejected_inputs"] == 0
    assert built["rejected_inputs"].equals(empty("rejected_inputs"))
    assert built["claims"].equals(in_file_order(parquet_dir)["claims"])


def test_the_layout_names_every_table_in_schema_order() -> None:
    assert tuple(TABLES) == TABLE_NAMES


def test_the_build_process_loads_neither_pandera_nor_the_extractor(
    parquet_dir: Path, tmp_path: Path
) -> None:
    """The build runs in a fresh process that imports `pipeline.catalog` first (critical path)."""
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from pipeline.catalog import load_duckdb\n"
        "counts = load_duckdb(Path(sys.argv[1]), Path(sys.argv[2]))\n"
        "heavy = [m for m in ('pandera', 'pipeline.schemas', 'pipeline.extraction', 'dagster')"
        " if m in sys.modules]\n"
        "print(counts['claims'], heavy)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script, str(parquet_dir), str(tmp_path / "c.duckdb")],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    claims, heavy = out.stdout.split(maxsplit=1)
    assert heavy.strip() == "[]"
    assert int(claims) == in_file_order(parquet_dir)["claims"].height
