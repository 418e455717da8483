"""One writer per warehouse: an advisory `fcntl.flock` on `<warehouse>/.claimbank.lock`.

Two runs writing the same staging parts and Parquet tables at once would interleave their
renames, so the second run waits for the lock or stops with a one-line message. The kernel
drops the lock when its holder dies (even by SIGKILL), so a crash never leaves a stale lock;
the file itself stays and only carries who held it last, for the message.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import socket
import time
from collections.abc import Iterator
from pathlib import Path

LOCK_NAME = ".claimbank.lock"


class WarehouseLocked(Exception):
    """Another process holds the warehouse's lock; the message says which."""


def lock_path(warehouse_dir: Path) -> Path:
    return warehouse_dir / LOCK_NAME


def _holder(fd: int) -> str:
    """'pid 123 on host, since 12:00:01' from the lock file, or a vaguer phrase."""
    try:
        data = json.loads(os.pread(fd, 4096, 0) or b"{}")
        since = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(data["started"]))
        return f"pid {data['pid']} on {data['host']}, since {since}"
    except (OSError, ValueError, KeyError, TypeError):
        return "another process"


@contextlib.contextmanager
def warehouse_lock(warehouse_dir: Path, *, wait: bool = False) -> Iterator[None]:
    """Hold the warehouse's write lock for the duration of the block.

    With `wait=False` a held lock raises `WarehouseLocked` at once; with `wait=True` the call
    blocks until the other run ends.
    """
    warehouse_dir.mkdir(parents=True, exist_ok=True)
    path = lock_path(warehouse_dir)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            raise WarehouseLocked(
                f"another claimbank run ({_holder(fd)}) is writing {warehouse_dir}; "
                "wait for it to finish or pass --wait"
            ) from None
        info = {"pid": os.getpid(), "host": socket.gethostname(), "started": time.time()}
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(info).encode(), 0)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
