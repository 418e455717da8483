"""One writer per warehouse: an advisory `fcntl.flock` on `<warehouse>/.claimbank.lock`.

Two runs writing the same staging parts and Parquet tables at once would interleave their
renames, so the second run waits for the lock or stops with a one-line message. The kernel
drops the lock when its holder dies (even by SIGKILL), so a crash never leaves a stale lock;
the file itself stays and only carries who held it last, for the message.

The lock is re-entrant within a thread: `claimbank run` holds it and then executes the Dagster
run in the same thread, whose settings resource takes it again (`assets.lock`). A flock on a
second descriptor of the same file would block even in the same process (flock locks belong
to open file descriptions), so a process-local record of held lock files counts the nesting
and keeps the one flocked descriptor. Another thread of the process waits on the record's
`RLock` (or stops, without `wait`) as another process waits on the flock; between processes
the exclusion is the flock itself, unchanged.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

LOCK_NAME = ".claimbank.lock"


class WarehouseLocked(Exception):
    """Another process holds the warehouse's lock; the message says which."""


def lock_path(warehouse_dir: Path) -> Path:
    return warehouse_dir / LOCK_NAME


def lockable(location: str | os.PathLike[str]) -> bool:
    """False for an object-storage URL (`s3://`, `gs://`): there is no file to flock there.

    Such a warehouse would need a lease in the store itself (a conditional write); a local or
    shared-volume folder, or a `file://` URL, is locked.
    """
    text = os.fspath(location)
    scheme, sep, _ = text.partition("://")
    return not sep or scheme.lower() == "file" or not scheme.isalnum()


def _holder(fd: int) -> str:
    """'pid 123 on host, since 12:00:01' from the lock file, or a vaguer phrase."""
    try:
        data = json.loads(os.pread(fd, 4096, 0) or b"{}")
        since = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(data["started"]))
        return f"pid {data['pid']} on {data['host']}, since {since}"
    except (OSError, ValueError, KeyError, TypeError):
        return "another process"


class _Held:
    """This process's hold on one lock file: the owning thread's nesting and its descriptor."""

    def __init__(self) -> None:
        self.owner = threading.RLock()
        self.depth = 0
        self.fd = -1


#: Lock files this process has used, by (st_dev, st_ino): the same file however it is named.
_HELD: dict[tuple[int, int], _Held] = {}
_HELD_GUARD = threading.Lock()


def _held_for(fd: int) -> _Held:
    stat = os.fstat(fd)
    with _HELD_GUARD:
        return _HELD.setdefault((stat.st_dev, stat.st_ino), _Held())


@contextlib.contextmanager
def warehouse_lock(
    warehouse_dir: Path,
    *,
    wait: bool = False,
    on_wait: Callable[[str], None] | None = None,
) -> Iterator[None]:
    """Hold the warehouse's write lock for the duration of the block.

    With `wait=False` a lock held by another process (or thread) raises `WarehouseLocked` at
    once; with `wait=True` the call blocks until the other run ends, first telling `on_wait`
    who holds it. Taking it again in the thread that holds it nests and returns at once.
    """
    warehouse_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_path(warehouse_dir), os.O_RDWR | os.O_CREAT, 0o644)
    held = _held_for(fd)
    told = False

    def busy() -> None:
        """Raise without `wait`; else tell `on_wait` who holds the lock (once)."""
        nonlocal told
        message = f"another claimbank run ({_holder(fd)}) is writing {warehouse_dir}"
        if not wait:
            raise WarehouseLocked(f"{message}; wait for it to finish or pass --wait")
        if on_wait is not None and not told:
            on_wait(message)
        told = True

    try:
        if not held.owner.acquire(blocking=False):
            busy()
            held.owner.acquire()
    except BaseException:
        os.close(fd)
        raise
    try:
        if held.depth == 0:
            try:
                _take(fd, busy)
            except BaseException:
                os.close(fd)  # its only descriptor: closing it drops a flock taken on it
                raise
            held.fd = fd
        else:
            os.close(fd)  # nested: the outer hold's descriptor carries the flock
        held.depth += 1
        try:
            yield
        finally:
            held.depth -= 1
            if held.depth == 0:
                fcntl.flock(held.fd, fcntl.LOCK_UN)
                os.close(held.fd)
                held.fd = -1
    finally:
        held.owner.release()


def _take(fd: int, busy: Callable[[], None]) -> None:
    """Flock `fd` (after `busy()`, which raises or reports, if another process holds it)."""
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        busy()
        fcntl.flock(fd, fcntl.LOCK_EX)
    info = {"pid": os.getpid(), "host": socket.gethostname(), "started": time.time()}
    os.ftruncate(fd, 0)
    os.pwrite(fd, json.dumps(info).encode(), 0)
