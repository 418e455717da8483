"""The DuckDB catalog updated in place: one transaction, so a killed update leaves the old state.

The catalog is brought back to the previous run's file while the Parquet tables are already at
the next state; the update is then killed after its deletes and inserts but before COMMIT, and
the catalog must still hold exactly the previous rows (and the next update must finish it).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import duckdb
import polars as pl
import pytest

from assets.runner import run_pipeline
from pipeline.catalog import update_duckdb
from pipeline.config import Settings
from pipeline.schemas import SORT_KEYS, TABLES
from pipeline.warehouse import read_state, read_table
from tests.conftest import CLAIMBANK, REPO
from tests.corpus_sample import real_articles, write_sample

#: Applies the change in one open transaction, says so, then waits to be killed.
APPLY_AND_WAIT = """
import sys, time, duckdb
from pathlib import Path
from pipeline.catalog import _apply, _catalog_state, _config
from pipeline.warehouse import read_state
parquet_dir, path = Path(sys.argv[1]), sys.argv[2]
con = duckdb.connect(path, config=_config())
state = read_state(parquet_dir)
old = _catalog_state(con)
changed = sorted(k for k, sig in state.items() if old.get(k) != sig)
con.execute("BEGIN TRANSACTION")
_apply(con, parquet_dir, state, changed, sorted(set(old) - set(state)))
print(len(changed), flush=True)
time.sleep(600)
"""

#: Holds the catalog open read-only (a `claimbank sql` in progress) until killed.
HOLD_READ_ONLY = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
print(con.execute("select count(*) from documents").fetchone()[0], flush=True)
time.sleep(600)
"""


def catalog(path: Path) -> dict[str, pl.DataFrame]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        tables = {t: con.sql(f"select * from {t}").pl().sort(SORT_KEYS[t]) for t in TABLES}
        tables["_state"] = con.sql("select * from _claimbank.partitions").pl().sort("partition_key")
        return tables
    finally:
        con.close()


def same(a: dict[str, pl.DataFrame], b: dict[str, pl.DataFrame]) -> bool:
    return a.keys() == b.keys() and all(a[t].equals(b[t]) for t in a)


def start(script: str, *args: str) -> tuple[subprocess.Popen, str]:
    """A helper process running `script`; returns it with the first line it printed."""
    process = subprocess.Popen(
        [sys.executable, "-c", script, *args], cwd=REPO, stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    return process, process.stdout.readline().strip()


def stop(process: subprocess.Popen) -> None:
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=60)


@pytest.fixture(scope="module")
def two_states(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, Path, Path]:
    """A warehouse at state 2 (one file added) and a copy of its catalog at state 1."""
    root = tmp_path_factory.mktemp("inplace")
    settings = Settings(input_dir=root / "raw", warehouse_dir=root / "warehouse")
    write_sample(settings.input_dir, 6, per_file=3, n_txt=1)
    run_pipeline(settings, root / "dagster")
    old = root / "state1.duckdb"
    shutil.copyfile(settings.duckdb_path, old)
    (settings.input_dir / "zz-new.txt").write_text(real_articles(12)[11]["text"], "utf-8")
    run_pipeline(settings, root / "dagster")
    return settings, old, root


def back_to_state1(settings: Settings, old: Path) -> None:
    Path(f"{settings.duckdb_path}.wal").unlink(missing_ok=True)
    shutil.copyfile(old, settings.duckdb_path)


def test_a_killed_update_leaves_the_previous_catalog(two_states) -> None:
    settings, old, _ = two_states
    state2 = catalog(settings.duckdb_path)
    back_to_state1(settings, old)
    state1 = catalog(settings.duckdb_path)
    assert not same(state1, state2)
    process, changed = start(APPLY_AND_WAIT, str(settings.parquet_dir), str(settings.duckdb_path))
    assert changed == "1"  # the new file's partition, deleted and inserted, not committed
    stop(process)
    assert same(catalog(settings.duckdb_path), state1)
    counts, updated = update_duckdb(settings.parquet_dir, settings.duckdb_path)
    assert updated == 1
    assert same(catalog(settings.duckdb_path), state2)
    assert counts == {t: read_table(settings.parquet_dir, t).height for t in TABLES}


def test_a_small_change_is_applied_to_the_file_itself(two_states) -> None:
    settings, old, _ = two_states
    state2 = catalog(settings.duckdb_path)
    back_to_state1(settings, old)
    inode = settings.duckdb_path.stat().st_ino
    _, updated = update_duckdb(settings.parquet_dir, settings.duckdb_path)
    assert updated == 1
    assert settings.duckdb_path.stat().st_ino == inode  # no copy renamed over it
    assert same(catalog(settings.duckdb_path), state2)


def test_a_reader_holding_the_catalog_keeps_its_state_and_does_not_block(two_states) -> None:
    settings, old, _ = two_states
    state2 = catalog(settings.duckdb_path)
    back_to_state1(settings, old)
    documents1 = catalog(settings.duckdb_path)["documents"].height
    reader, seen = start(HOLD_READ_ONLY, str(settings.duckdb_path))
    try:
        assert seen == str(documents1)
        _, updated = update_duckdb(settings.parquet_dir, settings.duckdb_path)
    finally:
        stop(reader)
    assert updated == 1
    assert same(catalog(settings.duckdb_path), state2)
    state = catalog(settings.duckdb_path)["_state"]
    assert dict(state.iter_rows()) == read_state(settings.parquet_dir)


#: Holds DuckDB's write lock (an in-place update in progress) for two seconds.
HOLD_WRITE_LOCK = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1])
print("locked", flush=True)
time.sleep(2)
con.close()
"""


def test_sql_during_an_in_place_update_waits_for_it(two_states) -> None:
    settings, _, _ = two_states
    writer, said = start(HOLD_WRITE_LOCK, str(settings.duckdb_path))
    try:
        assert said == "locked"
        out = subprocess.run(
            [
                CLAIMBANK,
                "sql",
                "select count(*) as n from documents",
                "--format",
                "csv",
                "--warehouse",
                str(settings.warehouse_dir),
            ],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=300,
        )
    finally:
        writer.wait(timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["n", str(read_table(settings.parquet_dir, "documents").height)]
