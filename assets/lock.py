"""Every run of the job holds the warehouse lock, whatever launched it (CLI, sensor, UI).

`claimbank run` takes the lock before its run (`assets.runner`); a run the daemon launches for
the sensor or the schedule, or one started from the UI, comes through the settings resource
only, so the Definitions' settings resource (`RunSettings`) takes it too. A queued run waits
for a run that holds it, and says so in its event log. Re-entrant within the thread, so the
CLI's own run nests inside the CLI's hold (`pipeline.locking`).

A subclass, not `ClaimbankSettings` itself: a resource with a `yield_for_execution` is a
context-manager resource, which a sensor or schedule context built by hand
(`dg.build_sensor_context(resources=...)`, tests, notebooks) must enter with `with`; the
plain class stays usable that way, and the code server enters its contexts for the real ticks.

Scope: Dagster sets a resource up once per run *per process*. On the in-process executor (the
default) that is the whole run, from before the first step to after the last. Under the k8s
executor (`CLAIMBANK_EXECUTOR=k8s`, one process per step) each step holds it for itself:
steps of two runs cannot interleave their writes, but another run may write between two
steps of this one; and the lock file must then be on a volume whose flock reaches every pod.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from pathlib import Path

import dagster as dg

from assets.resources import ClaimbankSettings
from pipeline.locking import lockable, warehouse_lock


class RunSettings(ClaimbankSettings):
    """`ClaimbankSettings` that hold the warehouse lock while a run executes (not on ticks)."""

    @contextlib.contextmanager
    def yield_for_execution(self, context: dg.InitResourceContext) -> Iterator[RunSettings]:
        with held_for_run(context, self.warehouse_dir):
            yield self


class _RunOver(Exception):
    """The run has already ended: its resources are set up again only to read outputs."""


@contextlib.contextmanager
def held_for_run(context: dg.InitResourceContext, warehouse_dir: str) -> Iterator[None]:
    """Hold the lock while a run executes; outside a run (sensor, schedule ticks) do nothing.

    Ticks only read the input folder, and taking the lock there would stall them behind a run.
    An object-storage warehouse (`s3://`) has no file to flock: skipped (`locking.lockable`).
    A run that has ended writes nothing: `dg.execute_job`'s result (`dagster job execute`)
    sets the resources up again after the run to load outputs, which must not wait behind
    another run, so a busy lock is first checked against this run's status (only then: a
    query of the run storage).
    """
    run = context.run
    if run is None or not lockable(warehouse_dir):
        yield
        return
    log = context.log
    started = time.monotonic()
    waited: list[str] = []

    def on_wait(message: str) -> None:
        current = context.instance.get_run_by_id(run.run_id) if context.instance else None
        if current is not None and current.is_finished:
            raise _RunOver
        waited.append(message)
        if log is not None:
            log.warning(f"waiting for the warehouse lock: {message}")

    try:
        with warehouse_lock(Path(warehouse_dir).resolve(), wait=True, on_wait=on_wait):
            if waited and log is not None:
                log.info(f"took the warehouse lock after {time.monotonic() - started:.1f} s")
            yield
    except _RunOver:
        yield
