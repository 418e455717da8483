"""Give the C heap's freed pages back to the system (glibc), where that is possible.

Why: extraction's workers send each batch back as Arrow tables whose buffers are the bytes
objects of the unpickled result (`pipeline.extract_task`), megabytes each, allocated with
malloc and freed once the batch is written and checked. glibc keeps such freed chunks in its
heap, so the run process ended extraction of 25k documents with ~50 MB more resident than it
used, and the next step (`tables`) started from there. `malloc_trim` returns them (303 -> 253
MB at the end of that extraction; 26b1ec4, which sent polars frames: 289 -> 284 MB).
Elsewhere than glibc this does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from collections.abc import Callable

_trim: Callable[[int], int] | None = None
_loaded = False


def return_freed_memory() -> None:
    """`malloc_trim(0)`: return the heap's free pages (a few ms; call it between batches)."""
    global _trim, _loaded
    if not _loaded:
        _loaded = True
        name = ctypes.util.find_library("c")
        try:
            _trim = ctypes.CDLL(name).malloc_trim if name else None
        except (OSError, AttributeError):
            _trim = None
    if _trim is not None:
        _trim(0)
