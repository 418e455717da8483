"""A small run's DuckDB update started as soon as the tables have passed their checks.

Why: once the `tables` step has written the Parquet tables and its state, and every blocking
check passed, the DuckDB update has all it reads. The step still reports 9 materializations and
30 check results, then Dagster ends it and starts the DuckDB step: ~0.15-0.2 s of the run
process's time at 100k documents (timestamps in a one-file increment, NOTES.md session 9), while
the second core idles. The update (~0.3 s, DuckDB's own threads, the GIL released) runs in a
thread over that time instead, and the DuckDB step waits for it and reports it.

Only for a `claimbank run` of this process that asked for it (`wanted`: it holds the warehouse
lock and materializes every asset), and only where the step would update in-process (no pool
running: `pipeline.parallel.last_on_fresh_worker` builds a large run's catalog in a fresh
process for its memory). A step run elsewhere (the UI, another executor) updates as before. A
failed check starts nothing, so DuckDB is never touched by a run whose tables failed; an update
started ahead whose step never ran (the run failed after the checks) is waited for by the run
(`settle`) before it releases the lock: the catalog then mirrors the Parquet state just written,
as the next run's update would make it.
"""

from __future__ import annotations

import threading
from concurrent.futures import Future
from pathlib import Path

from pipeline.catalog import update_duckdb
from pipeline.parallel import pool_started

#: (row counts per table, partitions rewritten), what `update_duckdb` returns
Update = tuple[dict[str, int], int]

_lock = threading.Lock()
#: The DuckDB file this process's run will update (`wanted`), and its update once started.
_wanted: Path | None = None
_started: tuple[Path, Future[Update]] | None = None


def wanted(duckdb_path: Path) -> None:
    """This process's run may update `duckdb_path` ahead of its DuckDB step (`start`)."""
    global _wanted
    with _lock:
        _wanted = duckdb_path.resolve()


def start(parquet_dir: Path, duckdb_path: Path) -> bool:
    """Update `duckdb_path` from `parquet_dir` in a thread now, if this process's run asked for
    it and the update would run in-process. For the `tables` step once its tables and state
    are written and every check passed. (The run's summary is still read from the DuckDB step:
    started here too, its reads slowed the tables step's last events by ~0.02 s.)"""
    global _started
    key = duckdb_path.resolve()
    with _lock:
        if _wanted != key or _started is not None or pool_started():
            return False
        done: Future[Update] = Future()
        _started = (key, done)

    def work() -> None:
        try:
            done.set_result(update_duckdb(parquet_dir, duckdb_path))
        except BaseException as error:  # raised by the DuckDB step that takes it
            done.set_exception(error)

    threading.Thread(target=work, name="claimbank-duckdb-ahead", daemon=True).start()
    return True


def take(duckdb_path: Path) -> Update | None:
    """The update started ahead for `duckdb_path`, once done (its error raised); None: none."""
    global _started
    with _lock:
        started, key = _started, duckdb_path.resolve()
        if started is None or started[0] != key:
            return None
        _started = None
    return started[1].result()


def settle() -> None:
    """At the end of the run: wait for an update started ahead that no step took; forget it.

    Its error, if any, is not raised: the run has already failed (a succeeded run's DuckDB step
    took the update), and the next run brings the catalog up to the Parquet state again.
    """
    global _started, _wanted
    with _lock:
        started, _started, _wanted = _started, None, None
    if started is not None:
        started[1].exception()  # waits; the error is the failed run's, not raised twice
