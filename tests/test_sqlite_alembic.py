"""Dagster's alembic scripts are parsed once per process; every file is stamped with the head."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import dagster as dg
from alembic.script import ScriptDirectory
from alembic.script.revision import RevisionMap
from dagster._core.storage.event_log.sqlite import sqlite_event_log
from dagster._core.storage.sql import get_alembic_config

from assets.runner import run_pipeline
from assets.sqlite_alembic import share_alembic_revisions
from pipeline.config import Settings


def _dagster_scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(get_alembic_config(sqlite_event_log.__file__))


def test_script_folders_share_one_revision_map_with_the_same_head() -> None:
    share_alembic_revisions()
    a, b = _dagster_scripts(), _dagster_scripts()
    assert a is not b and a.revision_map is b.revision_map
    # the head parsed afresh, without the shared map
    fresh = RevisionMap(a._load_revisions)
    assert a.as_revision_number("head") == fresh.get_current_head() is not None


def test_a_run_stamps_its_new_event_shard_with_the_head(
    sample_workspace: Settings, tmp_path: Path
) -> None:
    home = tmp_path / "dagster"
    run_pipeline(sample_workspace, home)
    head = RevisionMap(_dagster_scripts()._load_revisions).get_current_head()
    with dg.DagsterInstance.from_config(str(home)) as instance:
        run = instance.get_runs()[0]
        assert run.status == dg.DagsterRunStatus.SUCCESS
    shard = home / "history" / "runs" / f"{run.run_id}.db"
    with sqlite3.connect(shard) as conn:
        assert conn.execute("select version_num from alembic_version").fetchall() == [(head,)]
