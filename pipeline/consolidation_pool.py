"""The consolidating workers of a large `tables` step: a pool of their own, with its allocator.

Why: `claimbank run` makes polars' allocator (jemalloc) return freed pages at once
(`assets/__init__.py`), which keeps the run process and the plan's speaker merge flat from 25k
to 250k documents. Consolidation allocates and frees a partition's frames again and again;
with pages returned at once every new frame faults its pages in afresh: ~40% of a
consolidating worker's CPU at 100k documents (NOTES.md, sessions 5 and 6). A consolidating
worker holds one partition at a time, so keeping freed pages 200 ms does not grow with the
corpus; the plan's merge does, and stays in the extraction pool. jemalloc reads its setting
once, when polars loads, so it is set in a fresh worker before its first import of polars.

The pool is started before the plan, and only when the run started the extraction pool and
most partitions are new (a full run): its workers import while the plan keeps one core busy.
Anything smaller consolidates on the extraction pool (or in-process) as before.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

from pipeline import parallel

T = TypeVar("T")
R = TypeVar("R")

ALLOCATOR_VARIABLE = "_RJEM_MALLOC_CONF"
#: What `assets/__init__.py` sets for a run (tested): pages returned at once.
RUN_ALLOCATOR = "dirty_decay_ms:0,muzzy_decay_ms:0"
#: The consolidating workers': freed pages kept 200 ms.
CONSOLIDATION_ALLOCATOR = "dirty_decay_ms:200,muzzy_decay_ms:200"


def consolidation_allocator(current: str | None) -> str | None:
    """The allocator setting for consolidating workers; None keeps the inherited one.

    Only the run's own setting is replaced, a value the user chose is kept. Importing polars
    puts its own defaults in front of the inherited value (the last setting wins), hence
    `endswith`.
    """
    if current is not None and current.endswith(RUN_ALLOCATOR):
        return CONSOLIDATION_ALLOCATOR
    return None


def _init_worker(parent: int, allocator: str | None) -> None:
    if allocator is not None:
        os.environ[ALLOCATOR_VARIABLE] = allocator  # before this process loads polars
    parallel.init_worker(parent)


def warm_up() -> None:
    """A worker's first task: import what a consolidation needs, while the plan runs."""
    import pipeline.consolidate  # noqa: F401


class ConsolidationPool:
    """`parallel.workers()` fresh processes for consolidation, started by `start`."""

    def __init__(self) -> None:
        self._pool: ProcessPoolExecutor | None = None

    @property
    def started(self) -> bool:
        return self._pool is not None

    def start(self) -> None:
        """Start the workers now, so they import while the caller does something else."""
        if self._pool is not None:
            return
        self._pool = parallel.spawn_pool(
            parallel.workers(),
            _init_worker,
            (os.getpid(), consolidation_allocator(os.environ.get(ALLOCATOR_VARIABLE))),
        )
        for _ in range(parallel.workers()):
            self._pool.submit(warm_up)

    def map(self, fn: Callable[[T], R], items: Sequence[T]) -> Iterator[R]:
        """`fn` over `items` on the started pool, results in input order."""
        assert self._pool is not None, "start() first"
        futures = [self._pool.submit(fn, item) for item in items]
        for future in futures:
            yield future.result()

    def close(self, wait: bool = True) -> None:
        """Shut the workers down; `wait=False` once every task is done: the caller goes on
        while they exit (0.5-1.7 s at 100k documents under load: their interpreters' teardown).
        """
        if self._pool is not None:
            self._pool.shutdown(wait=wait, cancel_futures=True)
            self._pool = None

    def __enter__(self) -> ConsolidationPool:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *rest: object) -> None:
        # on an error a task may still be writing: wait for it, so nothing writes after this
        self.close(wait=exc_type is not None)
