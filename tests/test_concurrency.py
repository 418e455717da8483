"""Two runs at once, and queries during a run: one writer per warehouse, readers never blocked.

A run holds `fcntl.flock` on `<warehouse>/.claimbank.lock`; a second run stops with one line
(or waits with --wait). `claimbank sql` reads the last finished DuckDB file, which a run
replaces by rename, so it answers during a run with the old or the new state, never a mix.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from assets.cli import main
from assets.runner import run_pipeline
from pipeline.config import Settings
from pipeline.locking import WarehouseLocked, warehouse_lock
from tests.conftest import REPO, run_command
from tests.corpus_sample import write_sample


def count_documents(settings: Settings) -> int:
    """`claimbank sql` in-process (the same code path, without a process start per query)."""
    result = CliRunner().invoke(
        main,
        [
            "sql",
            "select count(*) as n from documents",
            "--warehouse",
            str(settings.warehouse_dir),
            "--format",
            "csv",
        ],
    )
    assert result.exit_code == 0, result.output
    return int(result.output.splitlines()[1])


@pytest.fixture(scope="module")
def busy(tmp_path_factory: pytest.TempPathFactory):
    """A finished warehouse (12 articles), then a second run over 24 while we poke at it."""
    root = tmp_path_factory.mktemp("concurrency")
    settings = Settings(input_dir=root / "raw", warehouse_dir=root / "warehouse")
    write_sample(settings.input_dir, 12, per_file=5, n_txt=2)
    run_pipeline(settings, root / "dagster")
    write_sample(settings.input_dir / "more", 12, per_file=5, n_txt=2, offset=12)
    first = subprocess.Popen(
        run_command(settings, root / "dagster"),
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert first.stderr is not None
    for line in first.stderr:  # the lock is taken before this line is printed
        if "input files under" in line:
            break
    second = subprocess.run(
        run_command(settings, root / "dagster"),
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )
    counts: list[int] = []
    while first.poll() is None:
        counts.append(count_documents(settings))
        time.sleep(0.1)
    out, err = first.communicate(timeout=600)
    return settings, first, out + err, second, counts


def test_second_run_stops_with_one_line_naming_the_first(busy) -> None:
    _, first, _, second, _ = busy
    assert second.returncode == 1
    lines = second.stderr.strip().splitlines()
    assert len(lines) == 1, second.stderr
    assert lines[0].startswith("claimbank: error: another claimbank run")
    assert f"pid {first.pid}" in lines[0] and "--wait" in lines[0]


def test_first_run_finishes_unharmed(busy) -> None:
    settings, first, output, _, _ = busy
    assert first.returncode == 0, output[-3000:]
    assert count_documents(settings) == 24


def test_sql_during_a_run_reads_a_finished_state(busy) -> None:
    _, _, _, _, counts = busy
    assert counts, "the run ended before a query could be made"
    assert set(counts) <= {12, 24}  # the old warehouse or the new one, never an error or a mix


@pytest.mark.parametrize(
    "query",
    [
        "delete from claims",
        "copy documents to '{out}/leak.csv'",
        "copy (select 1) to '{out}/leak.parquet'",
        "attach '{out}/leak.duckdb' as other",
        "export database '{out}/leak'",
        "install httpfs",
        "load httpfs",
        "select * from read_csv('/etc/passwd')",
        "set enable_external_access = true",
    ],
)
def test_sql_refuses_writes_and_file_access(busy, tmp_path: Path, query: str) -> None:
    settings = busy[0]
    result = CliRunner().invoke(
        main, ["sql", query.format(out=tmp_path), "--warehouse", str(settings.warehouse_dir)]
    )
    assert result.exit_code == 1, result.output
    assert result.output.startswith("claimbank: error:")
    assert len(result.output.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == []  # nothing was written


def test_sql_still_reads(busy) -> None:
    settings = busy[0]
    result = CliRunner().invoke(
        main,
        [
            "sql",
            "select count(*) n from claims_enriched",
            "--warehouse",
            str(settings.warehouse_dir),
        ],
    )
    assert result.exit_code == 0, result.output


def test_another_thread_waits_when_asked_and_is_refused_otherwise(tmp_path: Path) -> None:
    """Re-entrant only in the holding thread (`locking`): other threads are excluded too."""
    events: list[str] = []
    refusals: list[str] = []
    with warehouse_lock(tmp_path):

        def refused() -> None:
            try:
                with warehouse_lock(tmp_path):
                    events.append("taken without waiting")
            except WarehouseLocked as locked:
                refusals.append(str(locked))

        def waiter() -> None:
            with warehouse_lock(tmp_path, wait=True, on_wait=events.append):
                events.append("acquired")

        first = threading.Thread(target=refused)
        first.start()
        first.join(timeout=10)
        assert len(refusals) == 1 and f"pid {os.getpid()}" in refusals[0]
        thread = threading.Thread(target=waiter)
        thread.start()
        time.sleep(0.3)
        # still waiting while we hold the lock, after saying who holds it
        assert len(events) == 1 and events[0].startswith(
            f"another claimbank run (pid {os.getpid()}"
        )
        with warehouse_lock(tmp_path):  # this thread nests
            pass
        assert len(events) == 1
    thread.join(timeout=10)
    assert events[1:] == ["acquired"]


def test_run_help_names_the_lock() -> None:
    result = CliRunner().invoke(main, ["run", "--help"])
    assert result.exit_code == 0
    for words in ("fcntl.flock", "--wait", "--max-document-bytes", ".claimbank.lock"):
        assert words in result.output
