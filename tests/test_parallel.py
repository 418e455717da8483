"""Where `on_started_pool` runs a step: in a worker once the pool runs, else in-process."""

import os
import subprocess
import sys

import pytest

from pipeline.parallel import on_started_pool, ordered_map


def polars_threads() -> int:
    import polars as pl

    return pl.thread_pool_size()


def test_runs_in_a_worker_once_the_pool_has_started(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLAIMBANK_WORKERS", "2")
    assert list(ordered_map(abs, [-1, -2, 3])) == [1, 2, 3]  # starts the shared pool
    assert on_started_pool(os.getpid) != os.getpid()
    assert on_started_pool(divmod, 7, 2) == (3, 1)


def test_workers_run_polars_on_one_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLAIMBANK_WORKERS", "2")
    monkeypatch.delenv("POLARS_MAX_THREADS", raising=False)
    assert list(ordered_map(abs, [-1, -2])) == [1, 2]  # starts the shared pool
    assert on_started_pool(polars_threads) == 1


def test_runs_in_process_when_no_pool_was_started() -> None:
    probe = (
        "import os; from pipeline.parallel import on_started_pool; "
        "print(on_started_pool(os.getpid) == os.getpid())"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True"
