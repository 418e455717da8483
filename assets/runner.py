"""Run the whole job in-process on the project's Dagster instance (what `claimbank run` does)."""

from __future__ import annotations

import logging
import os
import shutil
import socket
import time
from pathlib import Path

import dagster as dg

from assets.definitions import defs
from assets.jobs import partition_range_tags
from assets.schedules import register_inputs
from assets.sqlite_alembic import share_alembic_revisions
from assets.sqlite_engines import close_engines, reuse_sqlite_engines
from assets.sqlite_sync import relax_sqlite_sync
from pipeline import catalog_ahead, summary
from pipeline.config import REPO_ROOT, Settings
from pipeline.incremental import pending
from pipeline.locking import WarehouseLocked, warehouse_lock
from pipeline.partitions import scan_inputs
from pipeline.staging import Staging
from pipeline.storage import remove_stale_temp_files
from pipeline.summary import RunSummary

log = logging.getLogger("claimbank.progress")

#: Tags on every run started here, so a later run can tell a crashed one from a live one.
PID_TAG = "claimbank/pid"
HOST_TAG = "claimbank/host"
WAREHOUSE_TAG = "claimbank/warehouse"
_UNFINISHED = [
    dg.DagsterRunStatus.NOT_STARTED,
    dg.DagsterRunStatus.STARTING,
    dg.DagsterRunStatus.STARTED,
]


class RunFailed(Exception):
    """The Dagster run failed; the message says which step and why."""


def prepare_dagster_home(home: Path) -> Path:
    """Point DAGSTER_HOME at `home` and give it the repo's dagster.yaml (embedded storage)."""
    home = home.resolve()
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    source = REPO_ROOT / "dagster.yaml"
    if source.exists() and (not config.exists() or config.read_bytes() != source.read_bytes()):
        shutil.copyfile(source, config)
    os.environ["DAGSTER_HOME"] = str(home)
    return home


#: Dagster's compute-log manager that captures nothing (`run_instance`).
NO_COMPUTE_LOGS = {
    "module": "dagster._core.storage.noop_compute_log_manager",
    "class": "NoOpComputeLogManager",
}


def run_instance(home: Path) -> dg.DagsterInstance:
    """The instance of `home` (its dagster.yaml), without compute-log capture for this run.

    Dagster's default capture mirrors the run process's stdout and stderr into files for the
    UI's raw-logs view: per stream a `tail -F` and a `watch_orphans.py` Python interpreter,
    started before the first step and stopped with a wait after the last one (~0.1 s of a
    one-file increment's ~3 s, NOTES.md session 8). A `claimbank run` writes nothing there
    the UI needs: its progress goes to the terminal, and every step's messages, events,
    materializations and checks stay in the event log the UI reads. Runs launched from the
    UI or a schedule keep the instance's capture (they do not come through here).
    """
    from dagster._core.instance.ref import InstanceRef

    ref = InstanceRef.from_dir(str(home), overrides={"compute_logs": NO_COMPUTE_LOGS})
    return dg.DagsterInstance.from_ref(ref)


def _failure_message(result: dg.ExecuteInProcessResult) -> str:
    messages = []
    for event in result.all_events:
        if event.event_type_value == "STEP_FAILURE":
            info = event.step_failure_data.error if event.step_failure_data else None
            cause = info.message.strip().splitlines()[-1] if info else "unknown error"
            messages.append(f"step {event.step_key} failed: {cause}")
    return "; ".join(messages) or "the run failed"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def fail_orphaned_runs(instance: dg.DagsterInstance) -> list[str]:
    """Mark runs whose `claimbank run` process died (SIGKILL, power loss) as failed.

    Without this the instance shows them as running forever and they keep the slot of the
    `duckdb_writer` pool they held, so the next run's DuckDB step would wait for ever.
    """
    host = socket.gethostname()
    orphans: list[str] = []
    for run in instance.get_runs(dg.RunsFilter(statuses=_UNFINISHED, tags={HOST_TAG: host})):
        pid = run.tags.get(PID_TAG, "")
        if not pid.isdigit() or _alive(int(pid)):
            continue
        instance.report_run_failed(run, f"the claimbank run process (pid {pid}) died")
        instance.event_log_storage.free_concurrency_slots_for_run(run.run_id)
        orphans.append(run.run_id)
    return orphans


def run_range(ordered: list[str], todo: set[str]) -> list[str]:
    """The shortest range of `ordered` partitions that covers every partition with work.

    Partitions outside it are up to date and would only be skipped, at a cost per partition
    (Dagster events, part checks) that would make a one-file increment pay for the whole
    warehouse. With nothing to do, the last partition alone: the run still rebuilds the
    tables and DuckDB steps, which find nothing changed.
    """
    where = [i for i, key in enumerate(ordered) if key in todo]
    if not where:
        return ordered[-1:]
    return ordered[where[0] : where[-1] + 1]


def run_pipeline(settings: Settings, dagster_home: Path, *, wait: bool = False) -> RunSummary:
    """Register every input file as a partition and materialize all assets in one run.

    The run's partition range covers only the files with work (`run_range`); the tables and
    DuckDB steps always consider every input file. Holds the warehouse lock for the whole run
    (`wait`: block instead of failing when another run holds it); first removes what a killed
    run left behind.
    """
    started = time.perf_counter()
    try:
        with warehouse_lock(settings.warehouse_dir, wait=wait, on_wait=_say_waiting):
            try:
                return _locked_run(settings, dagster_home, started)
            finally:
                catalog_ahead.settle()  # an update started ahead ends before the lock goes
    except WarehouseLocked as locked:
        raise RunFailed(str(locked)) from locked


def _say_waiting(message: str) -> None:
    """With --wait, one progress line while another run holds the lock (who, since when)."""
    log.info(f"waiting for the warehouse lock: {message}")


def _locked_run(settings: Settings, dagster_home: Path, started: float) -> RunSummary:
    home = prepare_dagster_home(dagster_home)
    relax_sqlite_sync()
    reuse_sqlite_engines()
    share_alembic_revisions()
    if not settings.input_dir.is_dir():
        raise RunFailed(f"input folder {settings.input_dir} does not exist")
    inputs = scan_inputs(settings.input_dir)
    keys = sorted(inputs)
    if not keys:
        raise RunFailed(f"no input files under {settings.input_dir}")
    stale = remove_stale_temp_files(settings.warehouse_dir)
    if stale:
        log.info(f"removed {len(stale)} temporary files left by an interrupted run")
    log.info(f"{len(keys)} input files under {settings.input_dir}")
    with run_instance(home) as instance:
        orphans = fail_orphaned_runs(instance)
        if orphans:
            log.info(f"marked {len(orphans)} interrupted runs as failed")
        ordered = register_inputs(instance, keys)
        work = run_range(ordered, pending(Staging(settings.staging_dir), inputs))
        log.info(f"{len(work)} of {len(ordered)} partitions in this run's range")
        job = defs.resolve_job_def("claimbank_job")
        summary.wanted(settings.parquet_dir)  # read beside the DuckDB step
        catalog_ahead.wanted(settings.duckdb_path)  # updated once the tables pass
        result = job.execute_in_process(
            instance=instance,
            tags={
                **partition_range_tags(work),
                PID_TAG: str(os.getpid()),
                HOST_TAG: socket.gethostname(),
                WAREHOUSE_TAG: str(settings.warehouse_dir),
            },
            raise_on_error=False,
            run_config={
                "resources": {
                    "settings": {
                        "config": {
                            "input_dir": str(settings.input_dir),
                            "warehouse_dir": str(settings.warehouse_dir),
                            "max_document_bytes": settings.max_document_bytes,
                        }
                    }
                },
                "loggers": {"console": {"config": {"log_level": "ERROR"}}},
            },
        )
    close_engines()  # the run's connections (a process may run again: tests, a notebook)
    if not result.success:
        summary.discard(settings.parquet_dir)
        raise RunFailed(f"run {result.run_id}: {_failure_message(result)}")
    return summary.collect(settings.parquet_dir, time.perf_counter() - started)
