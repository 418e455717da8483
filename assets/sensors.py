"""Watch the input folder: register new or changed files as partitions and request their runs."""

import json
import time

import dagster as dg

from assets.jobs import claimbank_job
from assets.partitions import input_files
from assets.resources import ClaimbankSettings

#: A file modified less than this many seconds ago may still be being written: wait for it.
SETTLE_SECONDS = 2.0


def _fingerprint(stat_result) -> str:
    return f"{stat_result.st_size}:{stat_result.st_mtime_ns}"


@dg.sensor(
    job=claimbank_job,
    minimum_interval_seconds=30,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Requests a run for each new or changed file under the input folder.",
)
def new_input_files(
    context: dg.SensorEvaluationContext, settings: ClaimbankSettings
) -> dg.SensorResult:
    seen: dict[str, str] = json.loads(context.cursor) if context.cursor else {}
    now = time.time()
    current: dict[str, str] = {}
    requests: list[dg.RunRequest] = []
    for key, path in settings.inputs().items():
        try:
            stat = path.stat()
        except OSError:  # vanished between listing and stat: the next tick sees the truth
            continue
        if now - stat.st_mtime < SETTLE_SECONDS:
            if key in seen:
                current[key] = seen[key]
            continue  # still being written
        fingerprint = _fingerprint(stat)
        current[key] = fingerprint
        if seen.get(key) != fingerprint:
            requests.append(dg.RunRequest(partition_key=key, run_key=f"{key}:{fingerprint}"))
    existing = set(context.instance.get_dynamic_partitions(input_files.name))
    new_keys = sorted({r.partition_key for r in requests if r.partition_key} - existing)
    return dg.SensorResult(
        run_requests=requests,
        dynamic_partitions_requests=[input_files.build_add_request(new_keys)] if new_keys else [],
        cursor=json.dumps(current, sort_keys=True),
    )
