"""Run the whole job in-process on the project's Dagster instance (what `claimbank run` does)."""

from __future__ import annotations

import logging
import os
import shutil
import time
from pathlib import Path

import dagster as dg

from assets.definitions import defs
from assets.jobs import partition_range_tags
from assets.schedules import register_inputs
from pipeline.config import REPO_ROOT, Settings
from pipeline.partitions import scan_inputs
from pipeline.summary import RunSummary, summarize

log = logging.getLogger("claimbank.progress")


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


def _failure_message(result: dg.ExecuteInProcessResult) -> str:
    messages = []
    for event in result.all_events:
        if event.event_type_value == "STEP_FAILURE":
            info = event.step_failure_data.error if event.step_failure_data else None
            cause = info.message.strip().splitlines()[-1] if info else "unknown error"
            messages.append(f"step {event.step_key} failed: {cause}")
    return "; ".join(messages) or "the run failed"


def run_pipeline(settings: Settings, dagster_home: Path) -> RunSummary:
    """Register every input file as a partition and materialize all assets in one run."""
    started = time.perf_counter()
    prepare_dagster_home(dagster_home)
    if not settings.input_dir.is_dir():
        raise RunFailed(f"input folder {settings.input_dir} does not exist")
    keys = sorted(scan_inputs(settings.input_dir))
    if not keys:
        raise RunFailed(f"no input files under {settings.input_dir}")
    log.info(f"{len(keys)} input files under {settings.input_dir}")
    with dg.DagsterInstance.get() as instance:
        ordered = register_inputs(instance, keys)
        job = defs.resolve_job_def("claimbank_job")
        result = job.execute_in_process(
            instance=instance,
            tags=partition_range_tags(ordered),
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
    if not result.success:
        raise RunFailed(f"run {result.run_id}: {_failure_message(result)}")
    return summarize(settings.parquet_dir, time.perf_counter() - started)
