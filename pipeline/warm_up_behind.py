"""A pool worker's warm-up at a lower CPU priority than the run process that started it.

The early pool (`pipeline.pool_warmup`) starts while the `claimbank run` process imports
Dagster, creates the run and ingests: ~1.4 s of CPU on the run's critical path, against
~0.45 s of imports and one warm-up document per worker. On two cores the three compete as
equals, so the run process gets ~2/3 of a core and reaches extraction ~0.2-0.4 s later,
although the workers' warm-up would fit on the other core by then. Here the warm-up runs in a
thread whose nice value is raised: the run process keeps its core, the warm-ups share the
other, and when the run process waits for them they get the CPU alone.

Only the warm-up thread is niced: the worker's main thread, which runs every real batch, keeps
the priority it was started with (a whole niced worker was starved by other load: NOTES.md,
session 5; an unprivileged process cannot lower its nice value again). Linux only: elsewhere
a thread id is not a `setpriority` target, and the warm-up runs as before.
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys
import threading
from collections.abc import Mapping
from typing import TYPE_CHECKING

from pipeline.pool_warmup import WARM_UP_TEXT, warm_up

if TYPE_CHECKING:  # polars is imported by the warm-up itself, in the worker
    import polars as pl

#: Added to the warm-up thread's nice value: at +10 a CPU-bound thread gets ~1/10 of the share
#: of a nice-0 thread on the same core.
WARM_UP_NICE = 10


def warm_up_behind(schemas: Mapping[str, pl.Schema] | None = None) -> None:
    """`pool_warmup.warm_up` in a thread of lower priority; its error, if any, raised here.

    With the batch `schemas` (`pipeline.stages.batch_schemas`), the warm-up document then goes
    through `segment_extract` as a one-row batch (`first_batch`).
    """

    def work() -> None:
        warm_up()
        if schemas is not None:
            first_batch(schemas)

    if sys.platform != "linux":
        work()
        return
    errors: list[BaseException] = []

    def body() -> None:
        try:
            _lower_this_thread(WARM_UP_NICE)
            work()
        except BaseException as error:  # handed to the caller: the pool reports it
            errors.append(error)

    thread = threading.Thread(target=body, name="claimbank-warm-up")
    thread.start()
    thread.join()
    if errors:
        raise errors[0]


def first_batch(schemas: Mapping[str, pl.Schema]) -> None:
    """The warm-up document as a one-row batch through `segment_extract`, frames and all.

    `warm_up` extracts from a text but builds no rows, so a worker's first real batch also paid
    for polars' and pyarrow's first use of each column type and operation of `stage_rows`:
    250 documents of the bench's increment took 0.45-0.47 s of CPU after `warm_up` alone,
    0.29-0.32 s after this as well (0.14-0.15 s, paid here, behind the run process).
    """
    import polars as pl

    from pipeline.stage_rows import segment_extract

    documents = pl.DataFrame(
        {"doc_id": ["warm-up"], "text": [WARM_UP_TEXT], "title": ["Warm-up"]},
        schema={"doc_id": pl.String, "text": pl.String, "title": pl.String},
    )
    segment_extract(schemas, documents)
    gc.freeze()  # as `warm_up` does: what is loaded now lives as long as the worker


def _lower_this_thread(increment: int) -> None:
    """Raise the calling thread's nice value (on Linux a thread id is a PRIO_PROCESS target)."""
    tid = threading.get_native_id()
    with contextlib.suppress(OSError):  # not permitted (a sandbox): the usual priority
        os.setpriority(os.PRIO_PROCESS, tid, os.getpriority(os.PRIO_PROCESS, tid) + increment)
