"""Which executor runs the job's steps: in-process here, a Kubernetes Job per step in a cluster.

In-process is the default because the multiprocess executor re-imports everything per step
(~7 s); extraction already uses both cores through its own process pool. In the deployment
profile (`deploy/`), CLAIMBANK_EXECUTOR=k8s selects dagster-k8s's `k8s_job_executor`.
"""

from __future__ import annotations

import os

import dagster as dg


def choose_executor() -> dg.ExecutorDefinition:
    if os.environ.get("CLAIMBANK_EXECUTOR", "in_process") == "k8s":
        from dagster_k8s import k8s_job_executor

        return k8s_job_executor
    return dg.in_process_executor
