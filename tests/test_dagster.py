"""The real Dagster layer on a real (SQLite) instance: every asset, blocking checks, sensor."""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg
import duckdb
import polars as pl
import pytest

from assets.definitions import defs
from assets.resources import ClaimbankSettings
from assets.runner import RunFailed, run_pipeline
from assets.sensors import new_input_files
from pipeline.config import Settings
from pipeline.schemas import TABLES
from pipeline.summary import summarize
from tests.conftest import REPO, SEED_TEXT


def count_rows(settings: Settings) -> dict[str, int]:
    con = duckdb.connect(str(settings.duckdb_path), read_only=True)
    try:
        return {t: con.execute(f"select count(*) from {t}").fetchone()[0] for t in TABLES}
    finally:
        con.close()


def test_every_asset_materializes_and_duckdb_answers(
    sample_workspace: Settings, tmp_path: Path
) -> None:
    summary = run_pipeline(sample_workspace, tmp_path / "dagster")
    # the summary read beside the DuckDB step is the one read after the run
    assert summary.seconds > 0
    assert dataclasses.replace(summary, seconds=0.0) == summarize(sample_workspace.parquet_dir)
    counts = count_rows(sample_workspace)
    assert counts["documents"] == 1 and counts["input_files"] == 1
    assert counts["claims"] == sum(summary.claims_by_kind.values()) > 0
    assert counts["quantities"] >= 9
    con = duckdb.connect(str(sample_workspace.duckdb_path), read_only=True)
    try:
        speakers = {r[0] for r in con.execute("select canonical_name from speakers").fetchall()}
    finally:
        con.close()
    assert any("Kuleba" in s for s in speakers)
    # the run and its checks are recorded in the instance
    with dg.DagsterInstance.get() as instance:
        records = instance.get_run_records()
        assert records and records[0].dagster_run.is_success
        check = instance.event_log_storage.get_latest_asset_check_execution_by_key(
            [dg.AssetCheckKey(dg.AssetKey("claims"), "offsets_round_trip")]
        )
        assert check
        # its progress messages are in the event log the UI reads, although a CLI run captures
        # no compute logs (`runner.run_instance`): no stdout/stderr files for it
        run_id = records[0].dagster_run.run_id
        messages = [e.message for e in instance.all_logs(run_id) if not e.is_dagster_event]
        assert any(m.startswith("tables: ") for m in messages)
    assert not list((tmp_path / "dagster" / "storage").rglob("compute_logs/*"))


def test_second_run_adds_no_rows(sample_workspace: Settings, tmp_path: Path) -> None:
    run_pipeline(sample_workspace, tmp_path / "dagster")
    first = count_rows(sample_workspace)
    parts = sorted((sample_workspace.staging_dir / "claims").glob("*.parquet"))
    mtimes = [p.stat().st_mtime_ns for p in parts]
    run_pipeline(sample_workspace, tmp_path / "dagster")
    assert count_rows(sample_workspace) == first
    assert [p.stat().st_mtime_ns for p in parts] == mtimes  # nothing re-extracted


def test_corrupted_frame_fails_a_blocking_check_and_never_reaches_duckdb(
    sample_workspace: Settings, tmp_path: Path
) -> None:
    run_pipeline(sample_workspace, tmp_path / "dagster")
    before = sample_workspace.duckdb_path.stat().st_mtime_ns
    part = next((sample_workspace.staging_dir / "claims").glob("*.parquet"))
    claims = pl.read_parquet(part)
    claims.with_columns(pl.lit("rumour").alias("kind")).write_parquet(part)
    with pytest.raises(RunFailed, match="claims_schema"):
        run_pipeline(sample_workspace, tmp_path / "dagster")
    assert sample_workspace.duckdb_path.stat().st_mtime_ns == before
    with dg.DagsterInstance.get() as instance:
        evaluation = instance.event_log_storage.get_latest_asset_check_execution_by_key(
            [dg.AssetCheckKey(dg.AssetKey(["staging", "claims"]), "claims_schema")]
        )
        record = evaluation[dg.AssetCheckKey(dg.AssetKey(["staging", "claims"]), "claims_schema")]
        assert record.status.value == "FAILED"


def test_missing_input_folder_is_a_clear_error(workspace: Settings, tmp_path: Path) -> None:
    missing = Settings(input_dir=tmp_path / "nope", warehouse_dir=workspace.warehouse_dir)
    with pytest.raises(RunFailed, match="does not exist"):
        run_pipeline(missing, tmp_path / "dagster")


def _aged(path: Path) -> None:
    old = time.time() - 60
    os.utime(path, (old, old))


def test_sensor_requests_runs_only_for_new_or_changed_files(workspace: Settings) -> None:
    first = workspace.input_dir / "first.txt"
    shutil.copy(SEED_TEXT, first)
    _aged(first)
    resource = ClaimbankSettings(
        input_dir=str(workspace.input_dir), warehouse_dir=str(workspace.warehouse_dir)
    )
    with dg.instance_for_test() as instance:
        ctx = dg.build_sensor_context(instance=instance, resources={"settings": resource})
        result = new_input_files(ctx)
        assert len(result.run_requests) == 1
        assert result.run_requests[0].partition_key.startswith("first-txt-")
        cursor = result.cursor
        instance.add_dynamic_partitions("input_files", [result.run_requests[0].partition_key])

        second = workspace.input_dir / "sub" / "second.jsonl"
        second.parent.mkdir()
        second.write_text('{"text": "The minister said the plan would work."}\n')
        _aged(second)
        ctx = dg.build_sensor_context(
            instance=instance, cursor=cursor, resources={"settings": resource}
        )
        result = new_input_files(ctx)
        assert len(result.run_requests) == 1
        assert result.run_requests[0].partition_key.startswith("sub-second-jsonl-")
        assert result.dynamic_partitions_requests[0].partition_keys == [
            result.run_requests[0].partition_key
        ]

        fresh = workspace.input_dir / "still-writing.txt"
        fresh.write_text("Half an art")  # mtime now: not settled, not requested yet
        ctx = dg.build_sensor_context(
            instance=instance, cursor=result.cursor, resources={"settings": resource}
        )
        assert new_input_files(ctx).run_requests == []


def test_schedule_and_sensor_are_running_by_default() -> None:
    assert (
        defs.resolve_sensor_def("new_input_files").default_status == dg.DefaultSensorStatus.RUNNING
    )
    assert (
        defs.resolve_schedule_def("daily_refresh").default_status
        == dg.DefaultScheduleStatus.RUNNING
    )


def test_definitions_validate_cli(tmp_path: Path) -> None:
    dagster = Path(sys.executable).parent / "dagster"
    shutil.copy(REPO / "dagster.yaml", tmp_path / "dagster.yaml")
    out = subprocess.run(
        [str(dagster), "definitions", "validate", "-m", "assets.definitions"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "DAGSTER_HOME": str(tmp_path)},
    )
    assert out.returncode == 0, out.stderr[-2000:]


def test_webserver_serves_the_definitions(tmp_path: Path) -> None:
    """What `make dev` starts: the UI's server answers with our code location loaded."""
    import socket
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    shutil.copy(REPO / "dagster.yaml", tmp_path / "dagster.yaml")
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "dagster-webserver"),
            "-m",
            "assets.definitions",
            "-h",
            "127.0.0.1",
            "-p",
            str(port),
        ],
        cwd=REPO,
        env={**os.environ, "DAGSTER_HOME": str(tmp_path)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.time() + 90
        body = ""
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/server_info", timeout=2) as r:
                    body = r.read().decode()
                    break
            except OSError:
                time.sleep(0.5)
        assert "dagster_webserver_version" in body
        query = b'{"query": "{ assetNodes { assetKey { path } } }"}'
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/graphql",
            data=query,
            headers={"Content-Type": "application/json"},
        )
        deadline = time.time() + 60
        while time.time() < deadline:
            with urllib.request.urlopen(request, timeout=10) as r:
                graph = r.read().decode()
            if "claimbank_duckdb" in graph:
                break
            time.sleep(1)
        assert "claimbank_duckdb" in graph and "claims" in graph
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_the_duckdb_step_reads_the_summary_only_for_a_run_that_asked(tmp_path: Path) -> None:
    """`summary.start` from a DuckDB step that no `claimbank run` of this process asked for
    (the UI, a schedule) starts no thread; one asked for is collected once."""
    import threading

    from pipeline import summary

    folder = tmp_path / "parquet"
    summary.start(folder)
    assert not [t for t in threading.enumerate() if t.name == "claimbank-summary"]
    summary.wanted(folder)
    summary.start(folder)
    collected = summary.collect(folder, 1.5)
    assert collected == dataclasses.replace(summarize(folder), seconds=1.5)
    assert collected.documents == 0
