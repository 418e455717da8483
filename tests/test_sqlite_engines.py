"""Dagster's SQLite storages reuse one engine per file in the run process, events unchanged."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
from dagster._core.storage.event_log.sqlite import sqlite_event_log

from assets.runner import run_pipeline
from assets.sqlite_engines import reuse_sqlite_engines
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
