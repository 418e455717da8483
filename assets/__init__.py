"""The Dagster layer. Importing it first sets how polars' allocator returns memory."""

import os
import sys

# Polars allocates through jemalloc, which by default keeps freed pages for seconds: writing
# partition after partition then ratchets resident memory up with the size of the corpus
# (250k documents: 1,353 MB peak against 1,003 MB at 25k). Returning freed pages at once kept
# the peak at 1,156 against 989 MB, at no measurable CPU cost (benchmarks/results/NOTES.md).
# jemalloc reads this once, when polars loads, so it must be set before the first import of
# polars (which appends it to its own 500/1000 ms defaults; the last setting wins). The
# extraction pool's worker processes inherit it. A value the user set is kept; polars' own
# default is not the user's: importing polars writes it into the environment, so any Python
# process that loaded polars (a benchmark, a notebook, a scheduler) passes it to the runs it
# starts, where it kept the 250k peak at ~800 MB against ~600 MB with ours.
POLARS_DEFAULT_ALLOCATOR = "dirty_decay_ms:500,muzzy_decay_ms:1000"
RETURN_AT_ONCE = "dirty_decay_ms:0,muzzy_decay_ms:0"
#: Whether the setting is ours, not the user's (`claimbank run` may change ours for a small
#: increment before polars loads: `pipeline/small_increment.py`).
ALLOCATOR_IS_OURS = (
    os.environ.get("_RJEM_MALLOC_CONF", POLARS_DEFAULT_ALLOCATOR) == POLARS_DEFAULT_ALLOCATOR
)
if ALLOCATOR_IS_OURS:
    os.environ["_RJEM_MALLOC_CONF"] = RETURN_AT_ONCE
ALLOCATOR_SET_BEFORE_POLARS = "polars" not in sys.modules
