"""Start the extraction pool while the run process is still importing Dagster and setting up.

A spawned pool worker needs ~0.5 s before its first batch (Python, polars, pyarrow, the
extractor, the lexicons its first document loads). Started when extraction begins, that is
~0.5 s of a one-file increment's wall time, so a 500-document file was extracted serially in
the run process instead (1.2 s). Started at the top of `claimbank run`, the workers import
while the run process imports Dagster, creates the run and ingests, and a small increment is
split over both of them (`pipeline.incremental`). Only when some input file needs work: a run
with nothing to do does not pay the workers' start-up.

This module imports nothing heavy: the CLI imports it before Dagster.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Callable
from pathlib import Path

from pipeline import parallel

log = logging.getLogger(__name__)

#: Text of the warm-up document: a claim, a speaker and a quantity, so that the lazy loads of
#: the first real document (name lists, cue lexicons, unit patterns) happen before it.
WARM_UP_TEXT = (
    "Officials said on Monday that 12 people had been evacuated. "
    '"We are doing everything we can," Mayor Anna K. Smith told reporters in Kyiv.'
)


def warm_up() -> None:
    """In a pool worker: import the extraction modules and extract one short document."""
    import pipeline.extract_task  # noqa: F401 - what the first batch's task unpickles
    from pipeline.extraction import extract_document
    from pipeline.segment import segment

    seg = segment(WARM_UP_TEXT, title="Warm-up")
    extract_document(WARM_UP_TEXT, [(s.start, s.end) for s in seg.sentences])
    # what is loaded now lives as long as the worker: full collections need not scan it
    gc.freeze()


def pending_bytes(input_dir: Path, staging_dir: Path) -> int | None:
    """Bytes of the input files that are new, changed or gone; None when there are none.

    The same test the run makes under its lock (`pipeline.incremental.pending`); here it only
    decides whether and how to start the pool early, so an error just means "none".
    """
    try:
        # first: Pandera imported without pandas (`pipeline.lean_imports`), which the
        # `pandera.errors` import of `pipeline.incremental`'s own imports would not do
        import pipeline.schemas  # noqa: F401
        from pipeline.incremental import pending
        from pipeline.partitions import scan_inputs
        from pipeline.staging import Staging

        if not input_dir.is_dir():
            return None
        inputs = scan_inputs(input_dir)
        todo = pending(Staging(staging_dir), inputs)
        if not todo:
            return None
        return sum(inputs[k].stat().st_size for k in todo if k in inputs)
    except Exception as error:  # a heuristic must never stop the run
        log.debug(f"not starting the pool early: {error}")
        return None


#: Less new or changed input than this is extracted in-process whatever the pool: it holds
#: fewer than `incremental.SPLIT_MIN_DOCS` documents of ordinary news length. Starting the
#: workers for it cost the one-article demo run (`make run`) ~0.3 s of its ~1.9 s.
EARLY_MIN_BYTES = 64_000


def start_if_work(input_dir: Path, staging_dir: Path, warm: Callable[[], object] = warm_up) -> bool:
    """Start the pool's workers in the background, each running `warm` first, when the run
    has enough to extract."""
    if parallel.workers() == 1:
        return False
    size = pending_bytes(input_dir, staging_dir)
    if size is None or size < EARLY_MIN_BYTES:  # nothing, only deleted files, or too little
        return False
    parallel.start_in_background(warm)
    return True
