"""The `parquet_mirror` asset: absent from a default run, materialized by `claimbank run` (a real
Dagster instance in a temporary DAGSTER_HOME) when CLAIMBANK_PARQUET_URL is set."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import dagster as dg
import pytest

from assets.definitions import defs
from assets.mirror import mirror_assets, parquet_mirror
from pipeline.config import Settings
from pipeline.layout import TABLE_NAMES
from pipeline.object_store import read_table
from pipeline.warehouse import read_table as read_local_table
from tests.conftest import REPO, run_command

MIRROR = dg.AssetKey("parquet_mirror")


def test_a_default_run_has_no_mirror_step(monkeypatch: pytest.MonkeyPatch) -> None:
    assert "CLAIMBANK_PARQUET_URL" not in os.environ  # as in CI: these defs were built without
    keys = set().union(*(a.keys for a in defs.assets))
    assert dg.AssetKey("claims") in keys and MIRROR not in keys
    job = defs.resolve_job_def("claimbank_job")
    assert MIRROR not in job.asset_layer.executable_asset_keys
    monkeypatch.setenv("CLAIMBANK_PARQUET_URL", "s3://bucket/claimbank")
    assert mirror_assets() == [parquet_mirror]


@pytest.mark.slow
def test_claimbank_run_materializes_the_mirror(
    sample_workspace: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"file://{tmp_path / 'bucket' / 'claimbank'}"
    home = tmp_path / "dagster"
    env = {**os.environ, "CLAIMBANK_PARQUET_URL": url, "DAGSTER_HOME": str(home)}
    for attempt in ("first", "again"):
        out = subprocess.run(
            run_command(sample_workspace, home),
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert out.returncode == 0, (attempt, out.stderr[-3000:])
    for table in TABLE_NAMES:
        assert read_table(url, table).equals(read_local_table(sample_workspace.parquet_dir, table))
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    with dg.DagsterInstance.get() as instance:
        runs = [r.dagster_run.run_id for r in instance.get_run_records()]  # newest first
        metadata = [
            e.dagster_event.step_materialization_data.materialization.metadata
            for run_id in runs
            for e in instance.all_logs(run_id, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION)
            if e.dagster_event is not None and e.dagster_event.asset_key == MIRROR
        ]
    assert len(runs) == len(metadata) == 2
    # the second run found everything mirrored already
    assert [m["files_uploaded"].value for m in metadata] == [0, len(TABLE_NAMES)]
    assert [m["files_kept"].value for m in metadata] == [len(TABLE_NAMES), 0]
    assert metadata[0]["manifest"].value == f"{url}/manifest.json"
