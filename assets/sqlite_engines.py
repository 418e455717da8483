"""One SQLAlchemy engine per Dagster SQLite file in the run process, not one per event.

Dagster's SQLite storages create a fresh engine for every connection (`create_engine(...,
poolclass=NullPool)` in `SqliteEventLogStorage._connect` and `SqliteRunStorage.connect`), and
SQLAlchemy caches compiled statements per engine: so every event's INSERT was compiled again.
In a one-file increment (~200 events) that compilation was ~40% of the CPU of storing events.
`claimbank run` therefore hands those two modules a `create_engine` that returns the engine it
already made for the same URL and options. Nothing else changes: the pool is still NullPool
(each connection opened and closed as before, `dispose()` only resets that empty pool), the
same database files, transactions and locks; only the compiled-statement cache is kept.
"""

from __future__ import annotations

import threading
from typing import Any

from sqlalchemy import create_engine
from sqlalchemy.engine import Engine

#: Dagster modules whose `create_engine` is called per connection.
_MODULES = (
    "dagster._core.storage.event_log.sqlite.sqlite_event_log",
    "dagster._core.storage.runs.sqlite.sqlite_run_storage",
)

_engines: dict[str, Engine] = {}
_lock = threading.Lock()


def _reused_engine(url: Any, **kwargs: Any) -> Engine:
    key = f"{url}|{sorted((k, repr(v)) for k, v in kwargs.items())}"
    with _lock:
        engine = _engines.get(key)
        if engine is None:
            engine = _engines[key] = create_engine(url, **kwargs)
        return engine


def reuse_sqlite_engines() -> None:
    """From now on, Dagster's SQLite storages in this process reuse one engine per file."""
    import importlib

    for name in _MODULES:
        module = importlib.import_module(name)
        if getattr(module, "create_engine", None) is create_engine:
            module.create_engine = _reused_engine
