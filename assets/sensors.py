"""Watch the input folder: register new or changed files as partitions and request a run.

A tick must stay cheap on a folder of 10,000 files and must never ask twice for the same work:
- a file counts only once it has settled: its mtime is `SETTLE_SECONDS` old and either it had
  the same size and mtime on the previous tick or it has been quiet for `QUIET_SECONDS`;
- one tick asks for at most one run, covering every new, changed or deleted file (a single
  file gets a partition key, several a partition range; unchanged files in a range are
  skipped cheaply by the run); its run key is a digest of exactly that work, so a re-evaluated
  tick never launches it twice;
- a deleted file (or the old name of a renamed one) is part of the run too, so its rows leave
  the warehouse;
- the cursor is compressed JSON, so 10,000 fingerprints stay small.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import time
import zlib
from dataclasses import dataclass, field

import dagster as dg

from assets.jobs import claimbank_job, partition_range_tags
from assets.partitions import input_files
from assets.resources import ClaimbankSettings

#: A file modified less than this many seconds ago may still be being written: wait for it.
SETTLE_SECONDS = 2.0
#: A file untouched for this long is settled even if this is the first tick that sees it.
QUIET_SECONDS = 60.0
_CURSOR_PREFIX = "z1:"


@dataclass
class SensorState:
    """What the sensor remembers between ticks (its cursor)."""

    done: dict[str, str] = field(default_factory=dict)  # key -> fingerprint already requested
    pending: dict[str, str] = field(default_factory=dict)  # key -> fingerprint seen, unsettled

    def encode(self) -> str:
        data = json.dumps({"done": self.done, "pending": self.pending}, sort_keys=True)
        packed = base64.b85encode(zlib.compress(data.encode("utf-8"), 9)).decode("ascii")
        return _CURSOR_PREFIX + packed

    @classmethod
    def decode(cls, cursor: str | None) -> SensorState:
        if not cursor:
            return cls()
        try:
            if cursor.startswith(_CURSOR_PREFIX):
                raw = zlib.decompress(base64.b85decode(cursor[len(_CURSOR_PREFIX) :]))
                data = json.loads(raw)
                return cls(dict(data["done"]), dict(data["pending"]))
            return cls(done=dict(json.loads(cursor)))  # the first cursor format: key -> fp
        except (ValueError, KeyError, TypeError, zlib.error):
            return cls()  # an unreadable cursor: start over (runs skip unchanged files)


@dataclass(frozen=True, slots=True)
class Observation:
    """One input file as a tick saw it."""

    fingerprint: str  # "size:mtime_ns"
    mtime: float


def observe(paths: dict[str, os.PathLike[str] | str]) -> dict[str, Observation]:
    """Stat every file; a file that vanished between listing and stat is simply not there."""
    seen: dict[str, Observation] = {}
    for key, path in paths.items():
        try:
            stat = os.stat(path)
        except OSError:
            continue
        seen[key] = Observation(f"{stat.st_size}:{stat.st_mtime_ns}", stat.st_mtime)
    return seen


@dataclass(frozen=True, slots=True)
class Tick:
    changed: list[str]  # new or changed, settled: to (re)process
    deleted: list[str]  # requested before, gone now: their rows must leave
    state: SensorState


def plan_tick(state: SensorState, seen: dict[str, Observation], now: float) -> Tick:
    """Decide a tick from the previous state and what is on disk now (pure, for tests)."""
    done: dict[str, str] = {}
    pending: dict[str, str] = {}
    changed: list[str] = []
    for key in sorted(seen):
        obs = seen[key]
        if state.done.get(key) == obs.fingerprint:
            done[key] = obs.fingerprint
            continue
        age = now - obs.mtime
        steady = state.pending.get(key) == obs.fingerprint
        if age >= SETTLE_SECONDS and (steady or age >= QUIET_SECONDS):
            done[key] = obs.fingerprint
            changed.append(key)
            continue
        pending[key] = obs.fingerprint  # still being written, or first sighting: next tick
        if key in state.done:
            done[key] = state.done[key]  # keep the old version's fingerprint meanwhile
    deleted = sorted(set(state.done) - set(seen))
    return Tick(changed, deleted, SensorState(done, pending))


def _run_key(changed: list[str], deleted: list[str], state: SensorState) -> str:
    digest = hashlib.sha256()
    for key in changed:
        digest.update(f"+{key}={state.done[key]}\n".encode())
    for key in deleted:
        digest.update(f"-{key}\n".encode())
    return f"input-files:{digest.hexdigest()[:24]}"


@dg.sensor(
    job=claimbank_job,
    minimum_interval_seconds=30,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Requests one run for the new, changed or deleted files under the input folder.",
)
def new_input_files(
    context: dg.SensorEvaluationContext, settings: ClaimbankSettings
) -> dg.SensorResult:
    previous = SensorState.decode(context.cursor)
    tick = plan_tick(previous, observe(settings.inputs()), time.time())
    work = tick.changed + tick.deleted
    cursor = tick.state.encode()
    if not work:
        return dg.SensorResult(cursor=cursor)
    existing = list(context.instance.get_dynamic_partitions(input_files.name))
    known = set(existing)
    new_keys = [k for k in tick.changed if k not in known]
    known.update(new_keys)
    work = [k for k in work if k in known]  # a deleted file never registered needs no run
    run_key = _run_key(tick.changed, tick.deleted, tick.state)
    if len(work) == 1:
        request = dg.RunRequest(partition_key=work[0], run_key=run_key)
    else:
        order = {k: i for i, k in enumerate(existing + new_keys)}
        ordered = sorted(work, key=order.__getitem__)
        request = dg.RunRequest(
            run_key=run_key, tags=partition_range_tags([ordered[0], ordered[-1]])
        )
    return dg.SensorResult(
        run_requests=[request] if work else [],
        dynamic_partitions_requests=[input_files.build_add_request(new_keys)] if new_keys else [],
        cursor=cursor,
    )
