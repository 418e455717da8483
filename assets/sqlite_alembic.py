"""Alembic's migration scripts read once per run process, not once per schema check.

Before Dagster uses a SQLite file it compares the file's schema revision with the head of
its migration scripts (`check_alembic_revision`), and it stamps a new file (the run's own
event shard) with that head. Each check builds a new `ScriptDirectory`, whose revision map
parses all ~90 migration scripts again: 5 times in a one-file increment, ~62 ms of the run
process's CPU before its first step. The scripts belong to the installed Dagster and do not
change while the process runs, so every `ScriptDirectory` of the same folder shares the first
one's revision map (which alembic fills once, on first use). Revisions found, checks and
stamps are the same; only the parsing is not repeated.
"""

from __future__ import annotations

import threading
from typing import Any

_maps: dict[tuple[Any, ...], Any] = {}
_lock = threading.Lock()
_installed: list[bool] = []


def share_alembic_revisions() -> None:
    """From now on, alembic script folders opened in this process share one revision map."""
    from alembic.script import ScriptDirectory

    if _installed:
        return
    _installed.append(True)
    original = ScriptDirectory.__init__

    def __init__(self: ScriptDirectory, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        key = (
            self.dir,
            tuple(self.version_locations),
            self.recursive_version_locations,
            self.sourceless,
        )
        with _lock:
            self.revision_map = _maps.setdefault(key, self.revision_map)

    ScriptDirectory.__init__ = __init__  # type: ignore[method-assign]
