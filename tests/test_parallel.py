"""Where `on_started_pool` runs a step: in a worker once the pool runs, else in-process."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

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


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    # a zombie has exited; only its exit status waits to be read
    return not (stat.exists() and stat.read_text().split(") ")[-1].startswith("Z"))


def test_workers_exit_when_their_parent_is_killed() -> None:
    """A SIGKILLed run (no atexit, no shutdown) must not leave its pool workers behind."""
    probe = (
        "import os, sys, time\n"
        "from pipeline.parallel import on_started_pool, ordered_map\n"
        "list(ordered_map(abs, [-1, -2, -3, -4]))\n"
        "pids = {on_started_pool(os.getpid) for _ in range(8)}\n"
        "print(' '.join(map(str, sorted(pids))), flush=True)\n"
        "time.sleep(60)\n"
    )
    env = {**os.environ, "CLAIMBANK_WORKERS": "2"}
    proc = subprocess.Popen(
        [sys.executable, "-c", probe], stdout=subprocess.PIPE, text=True, env=env
    )
    assert proc.stdout is not None
    workers = [int(p) for p in proc.stdout.readline().split()]
    assert workers and all(_alive(p) for p in workers)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 30
    while any(_alive(p) for p in workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(_alive(p) for p in workers), "pool workers outlived their killed parent"


def test_last_step_runs_in_a_fresh_process_after_the_pool() -> None:
    """The DuckDB build's process is new, not a pool worker still holding earlier work."""
    probe = (
        "import os\n"
        "from pipeline.parallel import last_on_fresh_worker, on_started_pool, ordered_map\n"
        "list(ordered_map(abs, [-1, -2, -3, -4]))\n"
        "pool = {on_started_pool(os.getpid) for _ in range(8)}\n"
        "last = last_on_fresh_worker(os.getpid)\n"
        "again = last_on_fresh_worker(os.getpid)\n"
        "print(last not in pool, last != os.getpid(), again == os.getpid())\n"
    )
    env = {**os.environ, "CLAIMBANK_WORKERS": "2"}
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, env=env
    )
    # fresh process; not the run process; once the pool is gone, a further call runs in-process
    assert out.stdout.split() == ["True", "True", "True"]


def test_the_old_workers_and_the_fresh_process_end_without_being_waited_for() -> None:
    """`last_on_fresh_worker` returns without waiting for either exit, but both still end."""
    probe = (
        "import os, sys, time\n"
        "from pipeline.parallel import last_on_fresh_worker, on_started_pool, ordered_map\n"
        "list(ordered_map(abs, [-1, -2, -3, -4]))\n"
        "pool = {on_started_pool(os.getpid) for _ in range(8)}\n"
        "fresh = last_on_fresh_worker(os.getpid)\n"
        "print(*pool, fresh, flush=True)\n"
        "sys.stdin.readline()\n"  # stays alive while the test watches the children end
    )
    env = {**os.environ, "CLAIMBANK_WORKERS": "2"}
    proc = subprocess.Popen(
        [sys.executable, "-c", probe],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert proc.stdout is not None
        children = [int(p) for p in proc.stdout.readline().split()]
        assert len(set(children)) >= 2 and proc.pid not in children  # a worker, the fresh one
        deadline = time.monotonic() + 30
        while any(_alive(p) for p in children) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not any(_alive(p) for p in children), "a finished process did not end"
    finally:
        proc.communicate("\n", timeout=30)
