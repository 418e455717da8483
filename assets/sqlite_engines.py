"""One SQLAlchemy engine per Dagster SQLite file in the run process, not one per event.

Dagster's SQLite storages create a fresh engine for every connection (`create_engine(...,
poolclass=NullPool)` in `SqliteEventLogStorage._connect` and `SqliteRunStorage.connect`), and
SQLAlchemy caches compiled statements per engine: so every event's INSERT was compiled again.
In a one-file increment (~200 events) that compilation was ~40% of the CPU of storing events.
`claimbank run` therefore hands those two modules a `create_engine` that returns the engine it
already made for the same URL and options. Nothing else changes: the pool is still NullPool
(each connection opened and closed as before, `dispose()` only resets that empty pool), the
same database files, transactions and locks; only the compiled-statement cache is kept.

The connections are kept too: Dagster opens a connection per use (NullPool) and disposes the
event log's engine after each one, ~6.6 connections per event (1,082 for 164 events in a
one-file increment), each a new SQLite connection with its PRAGMAs, ~0.18 ms of CPU. A reused
engine keeps its idle connections in a pool instead (`KEPT_POOL`) and Dagster's `dispose()`
after each use is skipped; the connections are closed when the process exits. Between uses a
kept connection holds no transaction and no lock (SQLAlchemy rolls back on return), so other
processes read and write as before, and it is never the last connection to a WAL database,
which is what `assets.sqlite_sync`'s idle connection is for.

A queue pool, not one connection per thread (SingletonThreadPool, until session 9): Dagster
opens the index shard again while it holds a transaction on it (storing an asset event), and a
shared connection's return from that inner use rolled the outer transaction back, so every
asset materialization was missing from the cross-run index (`fetch_materializations`, the
UI's asset event history) while the per-run logs and `get_latest_materialization_event` had it.
With a pool the inner use gets another connection. Replays of the one-file increment: the same
time either way (3 alternated pairs, 2.29-2.36 s).
"""

from __future__ import annotations

import atexit
import threading
from collections.abc import Callable
from functools import partial
from typing import Any

from sqlalchemy import create_engine
from sqlalchemy.engine import Engine
from sqlalchemy.pool import NullPool, QueuePool

#: Dagster modules whose `create_engine` is called per connection.
_MODULES = (
    "dagster._core.storage.event_log.sqlite.sqlite_event_log",
    "dagster._core.storage.runs.sqlite.sqlite_run_storage",
)

#: Idle connections kept per file, and how many more a burst may open (closed when returned).
KEPT_POOL: dict[str, Any] = {"pool_size": 4, "max_overflow": 16}

_engines: dict[str, Engine] = {}
_lock = threading.Lock()


#: The real `dispose` of each reused engine, for when the process exits.
_disposals: list[Callable[[], None]] = []


def _kept_connection(engine: Engine) -> None:
    """Dagster's `dispose()` after each use: the engine's connections stay open."""


def _reused_engine(url: Any, **kwargs: Any) -> Engine:
    key = f"{url}|{sorted((k, repr(v)) for k, v in kwargs.items())}"
    with _lock:
        engine = _engines.get(key)
        if engine is None:
            if kwargs.get("poolclass") is NullPool:
                kwargs = {**kwargs, "poolclass": QueuePool, **KEPT_POOL}
            engine = _engines[key] = create_engine(url, **kwargs)
            _disposals.append(engine.dispose)
            engine.dispose = partial(_kept_connection, engine)  # type: ignore[method-assign]
        return engine


def close_engines() -> None:
    """Close every connection the reused engines kept (before the idle ones of sqlite_sync)."""
    with _lock:
        while _disposals:
            _disposals.pop()()
        _engines.clear()


def reuse_sqlite_engines() -> None:
    """From now on, Dagster's SQLite storages in this process reuse one engine per file."""
    import importlib

    for name in _MODULES:
        module = importlib.import_module(name)
        if getattr(module, "create_engine", None) is create_engine:
            module.create_engine = _reused_engine
            if not _registered:
                _registered.append(True)
                atexit.register(close_engines)  # runs before close_keepers, registered earlier


_registered: list[bool] = []
