"""The DuckDB catalog of the Parquet warehouse, updated in proportion to what changed.

Small changes are applied in place, in one DuckDB transaction: delete the rows of changed or
removed partitions and insert their new files. Copying the ~1 GB file first cost more than
the change itself at 100k documents; DuckDB's write-ahead log makes the transaction atomic
(a killed update leaves the previous state, tests/test_catalog_inplace.py), and its file lock
keeps readers out while it writes, so a reader sees the old or the new catalog, never a mix
(`claimbank sql` waits for the lock). If a reader holds the file when the update starts, the
update goes to a copy that replaces the file atomically, so a long query never blocks a run.
Large changes (or a catalog without bookkeeping) rebuild it from the Parquet files into a
temporary file renamed over the old one. The bookkeeping lives in the schema `_claimbank`:
each partition's signature and the documents it owns.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor, wait
from pathlib import Path

import duckdb
import polars as pl

# the layout, not `pipeline.warehouse` / `pipeline.schemas`: the build's fresh process imports
# this module first, and those bring Pandera and the extractor (~0.25 s of its CPU)
from pipeline.layout import (
    DOCUMENT_TABLES,
    ENRICHED_VIEW,
    TABLE_NAMES,
    part_file,
    read_state,
    table_dir,
    table_files,
)
from pipeline.parallel import workers
from pipeline.storage import atomic_path

INTERNAL = "_claimbank"
#: Rebuild instead of updating when more than this share of the partitions changed.
REBUILD_SHARE = 0.5
#: DuckDB's buffer for a build: bounded, whatever the warehouse size (the default is 80% of RAM).
#: Since the build no longer sorts (partition files are read in key order), 256 MB builds the
#: bench's 250k warehouse: 475 MB peak RSS (512 MB: 721 MB), 23.5 s instead of 17.5 s. A larger
#: buffer made the DuckDB step the run's peak, growing with the corpus. Out of memory → unbounded.
MEMORY_LIMIT = "256MB"
#: Tables whose rows carry their partition key.
KEYED_TABLES = ("input_files", "document_sources", "rejected_inputs")


_KEY_OF_FILE = r"regexp_extract(filename, '([^/\\]+)\.parquet$', 1)"


def _config(bounded: bool = True) -> dict[str, str]:
    return {"memory_limit": MEMORY_LIMIT} if bounded else {}


def _build_config(bounded: bool) -> dict[str, str]:
    """A build's settings: each query on the thread that runs it, none in DuckDB's pool.

    The build's parallelism is its loaders (one table per thread, `_build`). DuckDB's own
    worker threads on top of them oversubscribed two cores: 10.9-11.6 s CPU for the 100k
    build against 9.3-9.6 s with one thread per query (and 9.1-9.7 s for the serial build).
    """
    return {**_config(bounded), "threads": "1"}


def _quote(path: Path) -> str:
    return "'" + path.as_posix().replace("'", "''") + "'"


def _file_list(paths: list[Path]) -> str:
    return "[" + ", ".join(_quote(p) for p in paths) + "]"


def _glob(parquet_dir: Path, table: str) -> str:
    return _quote(table_dir(parquet_dir, table) / "*.parquet")


def _state_frame(state: dict[str, str]) -> pl.DataFrame:
    return pl.DataFrame(
        {"partition_key": list(state), "signature": list(state.values())},
        schema={"partition_key": pl.String, "signature": pl.String},
    )


def _counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    counts = {}
    for table in TABLE_NAMES:
        row = con.execute(f"SELECT count(*) FROM {table}").fetchone()
        counts[table] = int(row[0]) if row else 0
    return counts


def _build(con: duckdb.DuckDBPyConnection, parquet_dir: Path, state: dict[str, str]) -> None:
    """Every table from its Parquet files, in file order, and the bookkeeping.

    No global sort: each partition's file is already sorted by the table's keys and files are
    read in key order, so the order is deterministic; an update appends the rows of changed
    partitions anyway, so a query that needs an order says ORDER BY. Sorting the text tables
    cost a fifth of the step's CPU and spilled to disk at 250k documents.

    Tables load `loaders()` at a time, largest first, each in its own cursor (DuckDB appends
    to different tables concurrently) and on its own thread (`_build_config`): one CTAS from
    Parquet ran mostly on one thread anyway (claims ~3 s at 100k documents while the other
    core idled). Each table commits on its own: the build goes to a temporary file renamed at
    the end, so it needs no single transaction. (DuckDB checkpoints at a commit only when no
    other transaction runs, so the last commit still checkpoints on one thread: ~0.5 s at
    100k documents, against ~1.2 s for COMMIT + CHECKPOINT of the single transaction.)
    """
    con.execute(f"CREATE SCHEMA {INTERNAL}")
    loads = [(t, _table_query(parquet_dir, t)) for t in _by_size(parquet_dir, TABLE_NAMES)]
    loads.append((f"{INTERNAL}.partition_docs", _partition_docs_query(parquet_dir)))
    _run_concurrently(con, loads)
    con.register("_state", _state_frame(state).to_arrow())
    con.execute(f"CREATE TABLE {INTERNAL}.partitions AS SELECT * FROM _state")
    con.execute(ENRICHED_VIEW)


def loaders() -> int:
    """Tables loaded at once by a build: one per core the pool would use (CLAIMBANK_WORKERS)."""
    return workers()


def _by_size(parquet_dir: Path, tables: Iterable[str]) -> list[str]:
    """Largest on disk first, so the last table to start is a small one (ties: schema order)."""
    sizes = {t: sum(p.stat().st_size for p in table_files(parquet_dir, t)) for t in tables}
    return sorted(sizes, key=lambda t: -sizes[t])


def _table_query(parquet_dir: Path, table: str) -> str | pl.DataFrame:
    """The rows of a table: its Parquet files, or an empty frame of its schema."""
    if table_files(parquet_dir, table):
        return f"SELECT * FROM read_parquet({_glob(parquet_dir, table)})"
    from pipeline.schemas import polars_schema  # Pandera: only for a table without files

    return pl.DataFrame(schema=polars_schema(table))


def _partition_docs_query(parquet_dir: Path) -> str:
    if not table_files(parquet_dir, "documents"):
        return "SELECT NULL::VARCHAR AS partition_key, NULL::VARCHAR AS doc_id WHERE false"
    return (
        f"SELECT {_KEY_OF_FILE} AS partition_key, doc_id "
        f"FROM read_parquet({_glob(parquet_dir, 'documents')}, filename = true)"
    )


def _run_concurrently(
    con: duckdb.DuckDBPyConnection, loads: list[tuple[str, str | pl.DataFrame]]
) -> None:
    """`CREATE TABLE name AS query` for each load, `loaders()` at a time, in list order.

    Every load is waited for before the first error is raised, so the connection is idle
    when the caller closes it (an out-of-memory error then retries the whole build).
    """
    with ThreadPoolExecutor(loaders(), thread_name_prefix="claimbank-duckdb") as pool:
        futures = [pool.submit(_create, con, name, query) for name, query in loads]
        wait(futures)
    for future in futures:
        future.result()


def _create(con: duckdb.DuckDBPyConnection, name: str, query: str | pl.DataFrame) -> None:
    cursor = con.cursor()  # a connection of its own: one statement, committed on its own
    try:
        if isinstance(query, pl.DataFrame):
            cursor.register("_rows", query.to_arrow())
            query = "SELECT * FROM _rows"
        cursor.execute(f"CREATE TABLE {name} AS {query}")
    finally:
        cursor.close()


def load_duckdb(parquet_dir: Path, duckdb_path: Path) -> dict[str, int]:
    """Build the DuckDB file from the Parquet tables; returns row counts per table.

    Within the memory limit first; a warehouse whose sort needs more gets DuckDB's default.
    """
    try:
        return _load(parquet_dir, duckdb_path, bounded=True)
    except duckdb.OutOfMemoryException:
        return _load(parquet_dir, duckdb_path, bounded=False)


def _load(parquet_dir: Path, duckdb_path: Path, bounded: bool) -> dict[str, int]:
    state = read_state(parquet_dir)
    with atomic_path(duckdb_path) as tmp:
        tmp.unlink()  # DuckDB wants to create the file itself
        con = duckdb.connect(str(tmp), config=_build_config(bounded))
        try:
            _build(con, parquet_dir, state)
            con.execute("CHECKPOINT")
            counts = _counts(con)
        except BaseException:
            con.close()
            # the tables committed before the failure may leave a log the close could not
            # checkpoint (out of memory): it belongs to the file atomic_path removes
            tmp.with_name(tmp.name + ".wal").unlink(missing_ok=True)
            raise
        con.close()
    return counts


def _catalog_state(con: duckdb.DuckDBPyConnection) -> dict[str, str] | None:
    try:
        rows = con.execute(f"SELECT partition_key, signature FROM {INTERNAL}.partitions").fetchall()
    except duckdb.CatalogException:
        return None
    return {str(k): str(v) for k, v in rows}


def _apply(
    con: duckdb.DuckDBPyConnection,
    parquet_dir: Path,
    state: dict[str, str],
    changed: list[str],
    gone: list[str],
) -> None:
    """Delete the rows of changed and removed partitions, insert the changed ones' files."""
    con.register("_keys", pl.DataFrame({"k": changed + gone}, schema={"k": pl.String}).to_arrow())
    owned = (
        f"SELECT doc_id FROM {INTERNAL}.partition_docs WHERE partition_key IN (SELECT k FROM _keys)"
    )
    new_docs = [part_file(parquet_dir, "documents", k) for k in changed]
    new_docs = [p for p in new_docs if p.exists()]
    if new_docs:
        owned += f" UNION ALL SELECT doc_id FROM read_parquet({_file_list(new_docs)})"
    con.execute(f"CREATE TEMP TABLE _gone_docs AS {owned}")
    for table in DOCUMENT_TABLES:
        con.execute(f"DELETE FROM {table} WHERE doc_id IN (SELECT doc_id FROM _gone_docs)")
    for table in KEYED_TABLES:
        con.execute(f"DELETE FROM {table} WHERE partition_key IN (SELECT k FROM _keys)")
    con.execute(
        f"DELETE FROM {INTERNAL}.partition_docs WHERE partition_key IN (SELECT k FROM _keys)"
    )
    for table in (*DOCUMENT_TABLES, *KEYED_TABLES):
        files = [p for p in (part_file(parquet_dir, table, k) for k in changed) if p.exists()]
        if files:
            con.execute(
                f"INSERT INTO {table} BY NAME SELECT * FROM read_parquet({_file_list(files)})"
            )
    if new_docs:
        con.execute(
            f"INSERT INTO {INTERNAL}.partition_docs SELECT {_KEY_OF_FILE}, doc_id "
            f"FROM read_parquet({_file_list(new_docs)}, filename = true)"
        )
    con.execute("DELETE FROM speakers")
    if table_files(parquet_dir, "speakers"):
        con.execute(
            "INSERT INTO speakers BY NAME SELECT * FROM "
            f"read_parquet({_glob(parquet_dir, 'speakers')})"
        )
    con.register("_state", _state_frame(state).to_arrow())
    con.execute(f"DELETE FROM {INTERNAL}.partitions")
    con.execute(f"INSERT INTO {INTERNAL}.partitions SELECT * FROM _state")
    con.execute("DROP TABLE _gone_docs")


def update_duckdb(parquet_dir: Path, duckdb_path: Path) -> tuple[dict[str, int], int]:
    """Bring the catalog up to the Parquet state; returns row counts and partitions rewritten.

    A full rebuild reports every partition as rewritten. The catalog is opened once, for its
    state and the update: opened read-only for the state, then again to write, it cost a
    one-file increment ~23 ms.
    """
    state = read_state(parquet_dir)
    con, locked = _writer(duckdb_path)
    old = _catalog_state(con) if con is not None else None
    if locked:  # a reader holds the file: its state, read as a reader would
        old = _existing_state(duckdb_path)
    changed = sorted(k for k, sig in state.items() if old is not None and old.get(k) != sig)
    gone = sorted(set(old or {}) - set(state))
    if old is None or len(changed) + len(gone) > REBUILD_SHARE * max(len(state), 1):
        if con is not None:
            con.close()
        return load_duckdb(parquet_dir, duckdb_path), len(state)
    if not changed and not gone:  # same partitions, same claims: the same speakers too
        if con is None:
            return _read_counts(duckdb_path), 0
        try:
            return _counts(con), 0
        finally:
            con.close()
    if con is None:
        with atomic_path(duckdb_path) as tmp:  # a reader holds the file: leave it the old one
            shutil.copyfile(duckdb_path, tmp)
            counts = _update(
                duckdb.connect(str(tmp), config=_config()), parquet_dir, state, changed, gone
            )
        return counts, len(changed) + len(gone)
    return _update(con, parquet_dir, state, changed, gone), len(changed) + len(gone)


def _writer(duckdb_path: Path) -> tuple[duckdb.DuckDBPyConnection | None, bool]:
    """The catalog opened for writing; (None, True) when a reader holds it, (None, False) when
    there is none or it does not open (it is then rebuilt)."""
    if not duckdb_path.exists():
        return None, False
    try:
        return duckdb.connect(str(duckdb_path), config=_config()), False
    except duckdb.IOException as error:
        return None, _is_lock_conflict(error)
    except duckdb.Error:
        return None, False


def _is_lock_conflict(error: duckdb.IOException) -> bool:
    return "lock" in str(error).lower()


def _update(
    con: duckdb.DuckDBPyConnection,
    parquet_dir: Path,
    state: dict[str, str],
    changed: list[str],
    gone: list[str],
) -> dict[str, int]:
    """Apply the change in one transaction on `con` (closed after): all of it or none."""
    try:
        con.execute("BEGIN TRANSACTION")
        _apply(con, parquet_dir, state, changed, gone)
        con.execute("COMMIT")
        con.execute("CHECKPOINT")
        return _counts(con)
    finally:
        con.close()


def _read_counts(duckdb_path: Path) -> dict[str, int]:
    con = duckdb.connect(str(duckdb_path), read_only=True)
    try:
        return _counts(con)
    finally:
        con.close()


def _existing_state(duckdb_path: Path) -> dict[str, str] | None:
    """The partition signatures the current catalog was built from (None: rebuild it)."""
    if not duckdb_path.exists():
        return None
    try:
        con = duckdb.connect(str(duckdb_path), read_only=True)
    except duckdb.Error:
        return None
    try:
        return _catalog_state(con)
    finally:
        con.close()
