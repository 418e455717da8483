"""Daily refresh: one run over every input file (unchanged files are skipped cheaply)."""

import dagster as dg

from assets.jobs import claimbank_job, partition_range_tags
from assets.partitions import input_files
from assets.resources import ClaimbankSettings


def register_inputs(instance: dg.DagsterInstance, keys: list[str]) -> list[str]:
    """Add missing partitions; return every registered key in the instance's order."""
    existing = instance.get_dynamic_partitions(input_files.name)
    new = [k for k in keys if k not in set(existing)]
    if new:
        instance.add_dynamic_partitions(input_files.name, new)
    return list(instance.get_dynamic_partitions(input_files.name))


@dg.schedule(
    job=claimbank_job,
    cron_schedule="0 6 * * *",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Every day at 06:00: process new and changed files, rebuild the warehouse.",
)
def daily_refresh(context: dg.ScheduleEvaluationContext, settings: ClaimbankSettings):
    keys = sorted(settings.inputs())
    if not keys:
        return dg.SkipReason(f"no input files under {settings.input_dir}")
    ordered = register_inputs(context.instance, keys)
    return dg.RunRequest(
        run_key=f"daily:{context.scheduled_execution_time:%Y-%m-%d}",
        tags=partition_range_tags(ordered),
    )
