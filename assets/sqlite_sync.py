"""Dagster's embedded SQLite storage without an fsync per event: WAL with synchronous=NORMAL.

Dagster stores every event (materialization, check, step start/end) in its own SQLite
transaction, and with SQLite's default `synchronous=FULL` each commit waits for an fsync of
the WAL: ~4 ms per event, ~580 commits in a run that changes one file. In WAL mode
`synchronous=NORMAL` keeps the database consistent after a crash of the process (SIGKILL
loses nothing) and can lose only the last commits on power loss, which `claimbank run`
already treats as an interrupted run. The warehouse itself does not depend on it: its
files are written atomically and re-derived from the staged state.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine


def _normal_sync(dbapi_connection: Any, _record: Any) -> None:
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


def relax_sqlite_sync() -> None:
    """Every SQLite connection SQLAlchemy opens in this process from now on: synchronous=NORMAL."""
    if not event.contains(Engine, "connect", _normal_sync):
        event.listen(Engine, "connect", _normal_sync)
