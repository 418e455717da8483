"""Dagster's SQLite storages reuse one engine per file in the run process, events unchanged."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import dagster as dg
import pytest
from dagster._core.storage.event_log.sqlite import sqlite_event_log
from sqlalchemy import text
from sqlalchemy.pool import NullPool

from assets.runner import run_pipeline
from assets.sqlite_engines import close_engines, reuse_sqlite_engines
from pipeline.config import Settings
from pipeline.schemas import TABLES


def test_one_engine_per_file(tmp_path: Path) -> None:
    reuse_sqlite_engines()
    make = sqlite_event_log.create_engine
    a = make(f"sqlite:///{tmp_path / 'a.db'}", connect_args={"timeout": 1})
    assert make(f"sqlite:///{tmp_path / 'a.db'}", connect_args={"timeout": 1}) is a
    assert make(f"sqlite:///{tmp_path / 'b.db'}", connect_args={"timeout": 1}) is not a
    assert make(f"sqlite:///{tmp_path / 'a.db'}", connect_args={"timeout": 2}) is not a


def test_runs_store_every_event_with_reused_engines(
    sample_workspace: Settings, tmp_path: Path
) -> None:
    home = tmp_path / "dagster"
    run_pipeline(sample_workspace, home)
    run_pipeline(sample_workspace, home)  # the second run's shard reuses nothing of the first
    with dg.DagsterInstance.from_config(str(home)) as instance:
        runs = instance.get_runs()
        assert len(runs) == 2 and all(r.status == dg.DagsterRunStatus.SUCCESS for r in runs)
        for run in runs:
            kinds = [
                e.dagster_event.event_type_value
                for e in instance.all_logs(run.run_id)
                if e.dagster_event is not None
            ]
            assert kinds.count("ASSET_MATERIALIZATION") >= len(TABLES)
            assert kinds.count("ASSET_CHECK_EVALUATION") == kinds.count(
                "ASSET_CHECK_EVALUATION_PLANNED"
            )
            assert kinds[-1] == "PIPELINE_SUCCESS"
        # the cross-run index (asset pages, `fetch_materializations`) holds both runs' events
        for table in TABLES:
            found = instance.fetch_materializations(dg.AssetKey(table), limit=10).records
            assert {r.run_id for r in found} == {r.run_id for r in runs}, table


def test_a_kept_connection_is_reused_holds_no_lock_and_closes(tmp_path: Path) -> None:
    reuse_sqlite_engines()
    path = tmp_path / "kept.db"
    engine = sqlite_event_log.create_engine(f"sqlite:///{path}", poolclass=NullPool)
    with engine.connect() as conn, conn.begin():
        conn.execute(text("create table t (x integer)"))
        first = conn.connection.dbapi_connection
    engine.dispose()  # what Dagster does after each use: the connection stays open
    with engine.connect() as conn, conn.begin():
        conn.execute(text("insert into t values (1)"))
        assert conn.connection.dbapi_connection is first
    # between uses it holds no lock: another connection writes without waiting
    other = sqlite3.connect(path, timeout=0.1)
    other.execute("insert into t values (2)")
    other.commit()
    close_engines()
    with pytest.raises(sqlite3.ProgrammingError):  # closed for good
        first.execute("select 1")
    assert other.execute("select count(*) from t").fetchone() == (2,)
    other.close()


def test_a_connection_opened_inside_a_transaction_does_not_end_it(tmp_path: Path) -> None:
    """Dagster opens the index shard again while it holds a transaction on it (storing an
    asset event): the inner connection must be another one, whose return (a rollback) leaves
    the outer transaction's rows alone. One shared connection per thread lost every
    materialization from the index."""
    reuse_sqlite_engines()
    engine = sqlite_event_log.create_engine(
        f"sqlite:///{tmp_path / 'nested.db'}", poolclass=NullPool
    )
    with engine.connect() as conn, conn.begin():
        conn.execute(text("create table t (x integer)"))
    with engine.connect() as outer, outer.begin():
        outer.execute(text("insert into t values (1)"))
        with engine.connect() as inner:
            assert inner.connection.dbapi_connection is not outer.connection.dbapi_connection
            inner.execute(text("select count(*) from t")).fetchone()
        outer.execute(text("insert into t values (2)"))
    with engine.connect() as conn:
        assert conn.execute(text("select count(*) from t")).fetchone() == (2,)
    close_engines()
