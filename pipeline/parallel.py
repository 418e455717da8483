"""A process pool for CPU-bound stage work, used only where it pays for its start-up.

Extraction is pure Python and CPU-bound, so two cores give nearly twice the throughput; a pool
costs ~1 s to start (workers import the pipeline), so one batch runs in-process. The pool is
created once per process and reused by every partition of a run. `CLAIMBANK_WORKERS` sets the
number of processes (default: the machine's cores; 1 disables the pool).
"""

from __future__ import annotations

import atexit
import multiprocessing
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import chain
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")
K = TypeVar("K")

_pool: ProcessPoolExecutor | None = None


def workers() -> int:
    return max(int(os.environ.get("CLAIMBANK_WORKERS", os.cpu_count() or 1)), 1)


def _shared_pool() -> ProcessPoolExecutor:
    global _pool
    if _pool is None:
        _pool = _new_pool(workers())
        atexit.register(_pool.shutdown, cancel_futures=True)
    return _pool


def _new_pool(processes: int) -> ProcessPoolExecutor:
    return spawn_pool(processes, init_worker, (os.getpid(),))


def spawn_pool(
    processes: int, initializer: Callable[..., None], initargs: tuple[object, ...]
) -> ProcessPoolExecutor:
    """Workers started by spawn, not fork: the parent may be a threaded Dagster process.

    `initializer` should end by calling `init_worker(parent)` (the consolidation pool sets
    its allocator first)."""
    return ProcessPoolExecutor(
        processes,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=initializer,
        initargs=initargs,
    )


def init_worker(parent: int) -> None:
    """Every pool worker's set-up: one polars thread, and exit when `parent` is gone."""
    _one_polars_thread()
    _exit_with_parent(parent)


#: How often an idle worker checks that the process that started it is still alive.
PARENT_POLL_S = 0.5


def _exit_with_parent(parent: int) -> None:
    """End this worker when its parent dies, even by SIGKILL or a crash.

    A pool worker waits on a queue whose write end it holds itself, so it never sees its
    parent go: a killed `claimbank run` left two idle ~200 MB workers behind for ever. The
    parent can die without running any code, so the worker watches: when it has been
    re-parented, nobody can send it work or read its results any more.
    """

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_POLL_S)
        os._exit(1)

    threading.Thread(target=watch, name="claimbank-parent-watch", daemon=True).start()


def _one_polars_thread() -> None:
    """Pool workers run polars on one thread (unless the user set POLARS_MAX_THREADS).

    The workers already keep every core busy, and polars' per-thread hash tables are what
    peaks a worker: the speaker merge of the 250k-document plan took 466 MB over its input
    with two threads, 391 MB with one, for the same CPU time. Set before the worker's first
    polars call, when polars sizes its thread pool.
    """
    os.environ.setdefault("POLARS_MAX_THREADS", "1")


def ordered_map(
    fn: Callable[[T], R], items: Iterable[T | Future[R]], *, parallel: bool = True
) -> Iterator[R]:
    """`map(fn, items)` in input order, on the pool when there are two or more items.

    An item that is a `Future` (work submitted earlier, `submit`) stands for its result.

    At most two items per worker are in flight, so memory stays bounded by the batch size
    however long `items` is. `parallel=False`: the caller knows the work is too small to
    pay for starting the pool.
    """
    it = iter(items)
    head = list(_take(it, 2))
    if not parallel or workers() == 1 or len(head) < 2:
        for item in chain(head, it):
            yield item.result() if isinstance(item, Future) else fn(item)
        return
    pool = _shared_pool()
    pending: deque[Future[R]] = deque()
    for item in chain(head, it):
        pending.append(item if isinstance(item, Future) else pool.submit(fn, item))
        if len(pending) >= 2 * workers():
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def on_started_pool(fn: Callable[..., R], *args: object) -> R:
    """`fn(*args)` in a pool worker if this process has started the pool, else in-process.

    For one large step between the pool's work (the plan of `tables`): the run process holds
    Dagster's and the staged checks' memory, so the plan's transient would stack on top of it,
    while a worker starts it from less and leaves its result on disk. A run that never started
    the pool (a small increment) does not pay ~1 s to start it for this. The last step of a run
    uses `last_on_fresh_worker` instead.
    """
    if _pool is None:
        return fn(*args)
    return _pool.submit(fn, *args).result()


def last_on_fresh_worker(fn: Callable[..., R], *args: object) -> R:
    """`fn(*args)` in a new process once the pool's work is done, if this process started it.

    For the run's last large step (the DuckDB build), which adds ~300 MB at 250k documents on
    top of whatever its process already holds. A pool worker may still hold what the plan or a
    consolidation left it, so the same build peaked at 580 MB in one 250k run and ~800 MB in
    another; a fresh process starts it from ~270 MB every time. The pool's workers are shut
    down first: their work is done and their memory goes back. A run that never started the
    pool (a small increment) does not pay ~1 s of process start for this: it runs in-process.

    Neither the old workers' exit nor the new process's is waited for: an idle worker's
    teardown (freeing what it held) took 0.6 s of wall time under load before the build could
    start, and the build's process 0.06-0.18 s after its result came back, both on the run's
    critical path. Their memory still goes back as they end; the build's result (the DuckDB
    file, renamed into place) is complete before `fn` returns.
    """
    global _pool
    if _pool is None:
        return fn(*args)
    _pool.shutdown(wait=False)
    _pool = None
    one = _new_pool(1)
    try:
        return one.submit(fn, *args).result()
    finally:
        one.shutdown(wait=False)


def submit(fn: Callable[[T], R], item: T) -> Future[R]:
    """`fn(item)` on the shared pool (started if need be), for `ordered_map` to collect later."""
    return _shared_pool().submit(fn, item)


def _take(it: Iterator[T], n: int) -> Iterator[T]:
    for _ in range(n):
        try:
            yield next(it)
        except StopIteration:
            return


def keyed(fn: Callable[[T], R], item: tuple[K, T | None]) -> tuple[K, R | None]:
    """`fn` on a (key, item) pair, keeping the key; a None item (end of a key) passes through.

    Lives here, in a module that imports nothing heavy, because a spawned worker imports the
    module of every function its task names.
    """
    key, batch = item
    return key, None if batch is None else fn(batch)


def start_in_background(warm_up: Callable[[], object]) -> None:
    """Start every worker of the shared pool now, each running `warm_up` as its first task.

    Returns at once: the workers start and import while this process goes on (see
    `pipeline.pool_warmup`), e.g. while it imports Dagster or runs a serial step (ingest), so
    their start-up (~0.5-1 s of each worker's CPU) does not delay the first batch. A pool
    already running is left as it is. A spawned pool starts one worker per submitted task
    until one is idle, so one task per worker starts them all.
    """
    if workers() == 1 or _pool is not None:
        return
    pool = _shared_pool()
    _warm_ups[:] = [pool.submit(warm_up) for _ in range(workers())]


#: The warm-up tasks of a pool started by `start_in_background`.
_warm_ups: list[Future[object]] = []


def pool_started() -> bool:
    """Whether this process has started the shared pool (its workers may still be starting)."""
    return _pool is not None


def pool_warmed_up() -> bool:
    """Wait for a pool started in the background; False (and no pool) if its warm-up failed.

    A run that started the pool only to speed up a small extraction must not fail because of
    it: it then extracts in-process, as it would have without the early start.
    """
    if _pool is None:
        return False
    try:
        for future in _warm_ups:
            future.result()
    except Exception:
        stop_pool()
        return False
    return True


def stop_pool() -> None:
    """Shut the shared pool down (its workers' memory goes back); a later map starts a new one.

    For a run that started the pool early but had too little work to keep it: the steps
    after extraction run in-process when no pool is running (`on_started_pool`). Does not wait
    for the idle workers to exit (0.2-0.3 s of their teardown): they end on their own.
    """
    global _pool
    if _pool is not None:
        _pool.shutdown(wait=False)
        _pool = None
    _warm_ups.clear()
