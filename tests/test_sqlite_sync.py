"""Dagster's per-event SQLite connections: no WAL checkpoint on each close, nothing lost."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from assets.sqlite_sync import close_keepers, relax_sqlite_sync
from tests.conftest import REPO


def test_a_new_wal_database_keeps_its_wal_between_connections(tmp_path: Path) -> None:
    relax_sqlite_sync()
    db = tmp_path / "events.db"
    wal = tmp_path / "events.db-wal"
    engine = create_engine(f"sqlite:///{db}", poolclass=NullPool)  # a connection per use
    with engine.connect() as con:  # the database is new: not in WAL mode when it opens
        con.execute(text("PRAGMA journal_mode=WAL"))
        con.execute(text("CREATE TABLE t (x INTEGER)"))
        con.commit()
    for i in range(20):
        with engine.connect() as con:
            con.execute(text("INSERT INTO t VALUES (:x)"), {"x": i})
            con.commit()
            assert con.execute(text("PRAGMA synchronous")).scalar() == 1  # NORMAL
        assert wal.exists()  # closing was not the last connection: no checkpoint, no fsync
    engine.dispose()
    close_keepers()  # the last close checkpoints once
    assert not wal.exists()
    check = sqlite3.connect(db)
    try:
        assert check.execute("SELECT count(*) FROM t").fetchone() == (20,)
    finally:
        check.close()


def test_a_new_database_is_in_wal_mode_before_its_tables_and_an_old_one_is_left(
    tmp_path: Path,
) -> None:
    """Dagster creates a storage's tables, then switches it to WAL: here the switch comes
    first, so the tables' commits do not wait for the disk; an existing file is not touched."""
    relax_sqlite_sync()
    old = tmp_path / "old.db"
    plain = sqlite3.connect(old)
    plain.execute("CREATE TABLE t (x INTEGER)")
    plain.commit()
    plain.close()
    for path, mode in ((tmp_path / "new.db", "wal"), (old, "delete")):
        engine = create_engine(f"sqlite:///{path}", poolclass=NullPool)
        with engine.connect() as con:
            assert con.execute(text("PRAGMA journal_mode")).scalar() == mode
            con.execute(text("CREATE TABLE IF NOT EXISTS u (y INTEGER)"))
            con.commit()
        engine.dispose()
    close_keepers()
    check = sqlite3.connect(tmp_path / "new.db")
    try:
        assert check.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        tables = {r[0] for r in check.execute("SELECT name FROM sqlite_master")}
        assert tables == {"u"}
    finally:
        check.close()


#: A process that ends as `claimbank run` does (`cli._exit_without_teardown`): its exit
#: handlers, then os._exit; argv: database, "left-open" or "closed".
ENDS_LIKE_THE_CLI = """
import atexit, os, sys
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool
from assets.sqlite_sync import left_open_at_exit, relax_sqlite_sync

relax_sqlite_sync()
engine = create_engine(f"sqlite:///{sys.argv[1]}", poolclass=NullPool)
with engine.connect() as con:
    con.execute(text("PRAGMA journal_mode=WAL"))
    con.execute(text("CREATE TABLE t (x INTEGER)"))
    con.commit()
for i in range(5):
    with engine.connect() as con:
        con.execute(text("INSERT INTO t VALUES (:x)"), {"x": i})
        con.commit()
engine.dispose()
if sys.argv[2] == "left-open":
    left_open_at_exit()
atexit._run_exitfuncs()
os._exit(0)
"""


@pytest.mark.parametrize("ending", ["left-open", "closed"])
def test_a_run_that_leaves_its_idle_connection_open_loses_no_commit(
    tmp_path: Path, ending: str
) -> None:
    """Without the checkpoint of the last close the WAL stays behind, and the next connection
    reads every commit from it; with it (tests, a notebook) the WAL is folded in and removed."""
    db = tmp_path / "events.db"
    subprocess.run([sys.executable, "-c", ENDS_LIKE_THE_CLI, str(db), ending], cwd=REPO, check=True)
    assert (tmp_path / "events.db-wal").exists() == (ending == "left-open")
    check = sqlite3.connect(db)
    try:
        assert check.execute("SELECT count(*), sum(x) FROM t").fetchone() == (5, 10)
        assert check.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        check.close()
