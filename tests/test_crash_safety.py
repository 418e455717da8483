"""SIGKILL `claimbank run` at seeded points, re-run, and get the same warehouse as without kills.

Kill points are chosen by phase (after a progress line of a stage, plus a seeded delay), so they
land in ingest, extraction, the Parquet tables and the DuckDB build whatever the machine's speed.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import threading
import time
from pathlib import Path

import dagster as dg
import duckdb
import polars as pl
import pytest

from assets.runner import run_pipeline
from pipeline.config import Settings
from pipeline.schemas import TABLES
from pipeline.warehouse import read_table
from tests.conftest import REPO, run_command
from tests.corpus_sample import write_sample

#: Progress lines that start each phase (printed on stderr by `claimbank run`).
PHASES = ("input files under", "ingest:", "segment:", "extract:", "tables:", "duckdb:")


def run_and_kill(settings: Settings, home: Path, phase: str, delay: float) -> bool:
    """Start a run, SIGKILL it `delay` seconds after its first `phase` line; True if killed."""
    process = subprocess.Popen(
        run_command(settings, home),
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    killed = threading.Event()

    def watch() -> None:
        assert process.stderr is not None
        for line in process.stderr:
            if phase in line and not killed.is_set():
                time.sleep(delay)
                if process.poll() is None:
                    os.kill(process.pid, signal.SIGKILL)
                    killed.set()
        # drain until the pipe closes

    reader = threading.Thread(target=watch, daemon=True)
    reader.start()
    process.wait(timeout=600)
    reader.join(timeout=10)
    return killed.is_set()


def tables_of(settings: Settings) -> dict[str, pl.DataFrame]:
    return {t: read_table(settings.parquet_dir, t) for t in TABLES}


def _difference(table: str, got: dict, expected: dict) -> str:
    """Which columns differ, for a readable failure."""
    a, b = got[table], expected[table]
    if a.shape != b.shape:
        return f"{table}: shape {a.shape} != {b.shape}"
    columns = [c for c in a.columns if not a[c].equals(b[c])]
    return f"{table}: columns differ: {columns}"


def duckdb_counts(settings: Settings) -> dict[str, int]:
    con = duckdb.connect(str(settings.duckdb_path), read_only=True)
    try:
        return {t: con.execute(f"select count(*) from {t}").fetchone()[0] for t in TABLES}
    finally:
        con.close()


def assert_readable(settings: Settings) -> None:
    """Whatever a kill left must be whole: every Parquet file and DuckDB open and read."""
    for path in settings.warehouse_dir.rglob("*.parquet"):
        pl.read_parquet(path)
    if settings.duckdb_path.exists():
        duckdb_counts(settings)


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("crash") / "raw"
    write_sample(root, 40, per_file=10, n_txt=2)
    return root


def test_killed_runs_then_a_rerun_give_the_uninterrupted_warehouse(
    sample: Path, tmp_path: Path
) -> None:
    reference = Settings(input_dir=sample, warehouse_dir=tmp_path / "reference")
    run_pipeline(reference, tmp_path / "home-reference")

    crashed = Settings(input_dir=sample, warehouse_dir=tmp_path / "crashed")
    home = tmp_path / "home-crashed"
    rng = random.Random(6)
    kills = 0
    for phase in rng.sample(PHASES, 3):
        kills += run_and_kill(crashed, home, phase, rng.uniform(0.0, 0.3))
        assert_readable(crashed)
    assert kills >= 2  # the runs really died mid-way
    run_pipeline(crashed, home)  # the re-run, in-process

    expected, got = tables_of(reference), tables_of(crashed)
    for table in TABLES:
        assert got[table].equals(expected[table]), _difference(table, got, expected)
    assert duckdb_counts(crashed) == duckdb_counts(reference)
    leftovers = [p for p in crashed.warehouse_dir.rglob(".*") if p.name != ".claimbank.lock"]
    assert leftovers == []  # no temp files or WAL of the killed writers remain
    with dg.DagsterInstance.from_config(str(home)) as instance:
        statuses = [r.status for r in instance.get_runs()]
    assert statuses[0] == dg.DagsterRunStatus.SUCCESS  # newest first
    assert set(statuses) <= {dg.DagsterRunStatus.SUCCESS, dg.DagsterRunStatus.FAILURE}, statuses
