"""Dagster's embedded SQLite storage without an fsync per event: WAL with synchronous=NORMAL.

Dagster stores every event (materialization, check, step start/end) in its own SQLite
transaction, and with SQLite's default `synchronous=FULL` each commit waits for an fsync of
the WAL: ~4 ms per event, ~580 commits in a run that changes one file. In WAL mode
`synchronous=NORMAL` keeps the database consistent after a crash of the process (SIGKILL
loses nothing) and can lose only the last commits on power loss, which `claimbank run`
already treats as an interrupted run. The warehouse itself does not depend on it: its
files are written atomically and re-derived from the staged state.

Dagster also opens and closes a connection per event (SQLAlchemy's NullPool), and when the
last connection to a WAL database closes, SQLite checkpoints the WAL into the database,
fsyncs it and deletes the WAL: that was most of the cost of an event (a third of the run
process's CPU outside extraction on a 10k-document run). So the first connection to each
database file also opens an idle one that stays open until the process ends: Dagster's
connections are then never the last, the WAL is checkpointed by SQLite's automatic
checkpoint (every 1,000 pages) instead of after every event. The idle connection holds no
lock (no open transaction), so other processes read and write as before.
"""

from __future__ import annotations

import atexit
import contextlib
import sqlite3
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

_keepers: dict[str, sqlite3.Connection] = {}
#: Files whose idle connection has opened the WAL index (it keeps it while it stays open).
_in_wal: set[str] = set()


def _database_file(connection: sqlite3.Connection) -> str:
    cursor = connection.cursor()
    try:
        rows = cursor.execute("PRAGMA database_list").fetchall()
    finally:
        cursor.close()
    return next((str(file) for _, name, file in rows if name == "main"), "")


def _keep_open(path: str) -> None:
    """Open (or refresh) the idle connection to `path` until it has seen the file in WAL mode.

    A new database is not in WAL mode yet when its first connection opens (Dagster switches
    it after creating it): an idle connection opened then holds no WAL index, so it is
    refreshed on later connects until it has one.
    """
    if not path or path in _in_wal:
        return
    keeper = _keepers.get(path)
    if keeper is None:
        keeper = _keepers[path] = sqlite3.connect(
            path, check_same_thread=False, isolation_level=None
        )
    mode = keeper.execute("PRAGMA journal_mode").fetchone()
    keeper.execute("PRAGMA schema_version").fetchall()  # opens the WAL index; no lock kept
    if mode and str(mode[0]).lower() == "wal":
        _in_wal.add(path)


def close_keepers() -> None:
    """Close the idle connections (the last close checkpoints each WAL once)."""
    while _keepers:
        _, keeper = _keepers.popitem()
        keeper.close()
    _in_wal.clear()


def left_open_at_exit() -> None:
    """This process ends without closing the idle connections (`claimbank run`'s fast exit).

    Their last close checkpoints each WAL into its database and fsyncs it: 4 files, 42-68 ms
    blocked on the disk at the very end of a one-file increment (NOTES.md, session 8). Left
    open, the process ends as if killed, which WAL mode is made for: every commit is in the
    WAL, the next connection to a file replays it (a few ms), and SQLite's automatic
    checkpoint keeps the WAL at ~1,000 pages. Only for a process that is about to end.
    """
    atexit.unregister(close_keepers)


def _normal_sync(dbapi_connection: Any, _record: Any) -> None:
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA synchronous=NORMAL")
        _wal_from_the_start(cursor)
        cursor.close()
        _keep_open(_database_file(dbapi_connection))


def _wal_from_the_start(cursor: sqlite3.Cursor) -> None:
    """Put a new, empty database in WAL mode before its tables are created, not after.

    Every Dagster SQLite storage creates its tables and then switches the file to WAL (the
    run's own event shard, a new file in every run, among them). Until then the file is in
    rollback-journal mode, where each `CREATE` commits with fsyncs even at synchronous=NORMAL:
    ~15 statements, ~190 ms blocked on the disk before a one-file increment's first step. In
    WAL mode from the start they commit to the WAL without waiting; the file ends in WAL mode,
    with the same tables and stamp, as Dagster would leave it. A database that has any schema
    is left as it is; so is one another process is creating (it is locked: Dagster retries).
    """
    if cursor.execute("PRAGMA schema_version").fetchone()[0] != 0:
        return
    with contextlib.suppress(sqlite3.OperationalError):
        cursor.execute("PRAGMA journal_mode=WAL")


def relax_sqlite_sync() -> None:
    """Every SQLite connection SQLAlchemy opens in this process from now on: synchronous=NORMAL."""
    if not event.contains(Engine, "connect", _normal_sync):
        event.listen(Engine, "connect", _normal_sync)
        atexit.register(close_keepers)
