"""A full DuckDB build that runs beside consolidation, one partition at a time, in key order.

Why: a full run consolidated every partition on both cores, then started a fresh process that
read every Parquet file back into DuckDB (~6.5 s at 100k documents, ~4 idle core-seconds:
its imports, the tail of one loader, the last checkpoint on one thread), while the plan and the
last partitions of `tables` left a core idle too. Here a loader process starts with the
consolidation pool, and each partition's files go into a temporary DuckDB file as soon as the
partition passed its checks. `claimbank_duckdb` then only adopts that file (renames it over
the catalog) when its bookkeeping equals the Parquet state the checks passed on; anything
else (a failed check, a loader error, a state that moved) leaves no file, and the step builds
the catalog as before. So nothing reaches the catalog before every blocking check passed.

Same tables, same row order and the same file size as `catalog.load_duckdb`: its build reads
each table's files in key order; this one appends them in key order (tests/test_catalog_stream.py).
Measured on a loaded machine (NOTES.md, session 7): the same CPU as the old build, and an
estimated −1 to +0.3 s of a quiet run: both steps are CPU-bound on two cores, and the commits
and checkpoint after the last partition are a serial tail. `CLAIMBANK_STREAM_CATALOG=0` turns
it off.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor, wait
from pathlib import Path
from typing import Any

import duckdb

from pipeline import parallel
from pipeline.catalog import (
    _KEY_OF_FILE,
    ENRICHED_VIEW,
    INTERNAL,
    _build_config,
    _catalog_state,
    _counts,
    _create,
    _file_list,
    _partition_docs_query,
    _state_frame,
    _table_query,
    loaders,
)
from pipeline.schemas import TABLES
from pipeline.staging import STAGED_TABLES
from pipeline.warehouse import part_file, read_state

PARTITION_DOCS = f"{INTERNAL}.partition_docs"


def streamed_path(duckdb_path: Path) -> Path:
    """Where the streamed build goes: a temporary name that a new run's clean-up removes
    (`storage.TEMP_PATTERNS`) if a run was killed between `tables` and `claimbank_duckdb`."""
    return duckdb_path.with_name(f".{duckdb_path.name}.streamed.tmp")


def _remove(path: Path) -> None:
    path.unlink(missing_ok=True)
    path.with_name(path.name + ".wal").unlink(missing_ok=True)


class StreamedBuild:
    """The build itself, in the process that runs it: `append` partitions in key order, then
    `finish` with the state they pass as."""

    def __init__(self, path: Path, parquet_dir: Path) -> None:
        self.path = path
        self.parquet_dir = parquet_dir
        self.cursors: dict[str, duckdb.DuckDBPyConnection] = {}
        _remove(path)
        self.con = duckdb.connect(str(path), config=_build_config(True))
        self.con.execute(f"CREATE SCHEMA {INTERNAL}")

    def append(self, keys: Sequence[str]) -> None:
        """Add the rows of these partitions (consolidated and checked), after those added so
        far; one statement per table, `loaders()` tables at a time, largest first."""
        statements = []
        for table in STAGED_TABLES:
            files = [p for p in (part_file(self.parquet_dir, table, k) for k in keys) if p.exists()]
            if files:
                size = sum(p.stat().st_size for p in files)
                statements.append((size, self._into(table, f"read_parquet({_file_list(files)})")))
        docs = [part_file(self.parquet_dir, "documents", k) for k in keys]
        docs = [p for p in docs if p.exists()]
        if docs:
            rows = (
                f"(SELECT {_KEY_OF_FILE} AS partition_key, doc_id "
                f"FROM read_parquet({_file_list(docs)}, filename = true))"
            )
            statements.append((0, self._into(PARTITION_DOCS, rows)))
        statements.sort(key=lambda s: -s[0])
        self._run([s for _, s in statements])

    def _into(self, table: str, rows: str) -> tuple[duckdb.DuckDBPyConnection, str]:
        """The statement that adds `rows` to `table`, and the cursor it runs in: one per
        table, in one transaction from its first rows to `finish`. Committed per statement,
        each partition's rows made row groups of their own (the 100k catalog: 879 MB against
        573 MB, and ~70% more CPU); in one transaction they fill row groups as one
        `CREATE TABLE AS` over every file does."""
        cursor = self.cursors.get(table)
        if cursor is None:
            cursor = self.cursors[table] = self.con.cursor()
            cursor.execute("BEGIN TRANSACTION")
            return cursor, f"CREATE TABLE {table} AS SELECT * FROM {rows}"
        return cursor, f"INSERT INTO {table} BY NAME SELECT * FROM {rows}"

    def _run(self, statements: list[tuple[duckdb.DuckDBPyConnection, str]]) -> None:
        """The statements `loaders()` at a time, each in its table's cursor (DuckDB appends to
        different tables concurrently)."""
        with ThreadPoolExecutor(loaders(), thread_name_prefix="claimbank-duckdb") as pool:
            futures = [pool.submit(cursor.execute, sql) for cursor, sql in statements]
            wait(futures)
        for future in futures:
            future.result()

    def _commit(self) -> None:
        """Commit every table's transaction (`loaders()` at a time): ~2.5 s of CPU at 100k
        documents, most of it `documents`, which fills no row group (122,880 rows) and so goes
        through the write-ahead log here, as it did in `catalog._build`."""
        with ThreadPoolExecutor(loaders(), thread_name_prefix="claimbank-duckdb") as pool:
            futures = [pool.submit(c.execute, "COMMIT") for c in self.cursors.values()]
            wait(futures)
        for future in futures:
            future.result()
        for cursor in self.cursors.values():
            cursor.close()

    def finish(self, state: dict[str, str]) -> dict[str, int]:
        """Tables without rows, the speakers, the bookkeeping and the view; checkpointed and
        closed. Returns row counts per table."""
        self._commit()
        for table in TABLES:
            if table not in self.cursors:
                _create(self.con, table, _table_query(self.parquet_dir, table))
        if PARTITION_DOCS not in self.cursors:
            _create(self.con, PARTITION_DOCS, _partition_docs_query(self.parquet_dir))
        self.con.register("_state", _state_frame(state).to_arrow())
        self.con.execute(f"CREATE TABLE {INTERNAL}.partitions AS SELECT * FROM _state")
        self.con.execute(ENRICHED_VIEW)
        self.con.execute("CHECKPOINT")
        counts = _counts(self.con)
        self.con.close()
        return counts

    def abandon(self) -> None:
        for cursor in self.cursors.values():
            cursor.close()
        self.con.close()
        _remove(self.path)


#: A message to the loader: ("keys", [...]), ("finish", state); None abandons the build.
Message = tuple[str, Any] | None


def _serve(path: Path, parquet_dir: Path, parent: int, requests: Any, replies: Any) -> None:
    """The loader process: append partitions as their keys arrive (all that have arrived, in
    one statement per table, when it lags behind), finish when told; reply once, with the
    counts or why not."""
    parallel.init_worker(parent)
    build: StreamedBuild | None = None
    try:
        build = StreamedBuild(path, parquet_dir)
        message: Message = requests.get()
        while message is not None and message[0] == "keys":
            keys, message = list(message[1]), None
            while message is None:  # drain what has arrived meanwhile
                try:
                    following: Message = requests.get_nowait()
                except queue.Empty:
                    break
                if following is not None and following[0] == "keys":
                    keys += following[1]
                else:
                    message = following if following is not None else ("abandon", None)
            build.append(keys)
            if message is None:
                message = requests.get()
        if message is not None and message[0] == "finish":
            replies.put(("ok", build.finish(message[1])))
        else:
            build.abandon()
            replies.put(("abandoned", None))
    except BaseException as error:
        if build is not None:
            try:
                build.abandon()
            except Exception:
                _remove(path)
        replies.put(("error", repr(error)))


class CatalogStream:
    """The run process's side: start the loader, hand it partitions in key order as they pass,
    then finish or abandon the build. Never fails the run: on any error the streamed file is
    gone and `claimbank_duckdb` builds the catalog as before."""

    def __init__(self, parquet_dir: Path, duckdb_path: Path) -> None:
        self.parquet_dir = parquet_dir
        self.path = streamed_path(duckdb_path)
        self._process: Any = None
        self._requests: Any = None
        self._replies: Any = None
        self._order: list[str] = []
        self._ready: set[str] = set()
        self._sent = 0

    @property
    def started(self) -> bool:
        return self._process is not None

    def start(self) -> None:
        """Start the loader now (it imports while the plan runs)."""
        context = multiprocessing.get_context("spawn")
        self._requests, self._replies = context.Queue(), context.Queue()
        self._process = context.Process(
            target=_serve,
            args=(
                self.path,
                self.parquet_dir,
                os.getpid(),
                self._requests,
                self._replies,
            ),
            name="claimbank-duckdb-stream",
            daemon=True,
        )
        self._process.start()

    def expect(self, keys: Iterable[str], ready: Iterable[str] = ()) -> None:
        """Every partition of the finished warehouse (any order), and those whose files are
        final already; the rest become ready through `passed`."""
        self._order = sorted(keys)
        self._ready = set(ready)
        self._send()

    def passed(self, key: str) -> None:
        """A partition's files are written and checked."""
        self._ready.add(key)
        self._send()

    def _send(self) -> None:
        start = self._sent
        while self._sent < len(self._order) and self._order[self._sent] in self._ready:
            self._sent += 1
        if self.started and self._sent > start:
            self._requests.put(("keys", self._order[start : self._sent]))

    def finish(self, state: dict[str, str]) -> bool:
        """Complete the build as `state`: only once every expected partition was handed over
        and every check passed. False (and no file) if the loader failed."""
        if not self.started:
            return False
        if self._sent < len(self._order) or sorted(state) != self._order:
            self.abandon()
            return False
        self._requests.put(("finish", state))
        reply = self._reply()
        self._stop()
        if reply != "ok":
            _remove(self.path)
        return reply == "ok"

    def abandon(self) -> None:
        if self.started:
            self._requests.put(None)
            self._reply()
            self._stop()
        _remove(self.path)

    def _reply(self) -> str:
        """The loader's one reply ("ok", "abandoned" or "error"); "error" if it died."""
        while True:
            try:
                reply, _ = self._replies.get(timeout=1.0)
                return str(reply)
            except queue.Empty:
                if not self._process.is_alive():
                    return "error"

    def _stop(self) -> None:
        self._process.join()
        self._process = None

    def __enter__(self) -> CatalogStream:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.started:  # not finished: a check or the step failed
            self.abandon()


def adopt(parquet_dir: Path, duckdb_path: Path) -> tuple[dict[str, int], int] | None:
    """Rename a streamed build over the catalog if it was built from the current Parquet state;
    (row counts, partitions) as `catalog.update_duckdb` returns, else None (no file left)."""
    path = streamed_path(duckdb_path)
    if not path.exists():
        return None
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error:
        _remove(path)
        return None
    try:
        state = _catalog_state(con)
        counts = _counts(con) if state == read_state(parquet_dir) else None
    finally:
        con.close()
    if counts is None or state is None:
        _remove(path)
        return None
    os.replace(path, duckdb_path)
    return counts, len(state)
