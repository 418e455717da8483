"""Ingest the files of a run on the process pool when there is enough to read.

Why: ingest was serial in the run process before any extraction started (100k documents:
~4.6 s of 2-core wall time on one core). The pool is created once per process and the
extract step reuses it (`pipeline.parallel`), so a large run pays the workers' start-up once
whichever step starts them; ingest on the pool then costs only the ingest modules' import in
each worker. A small run (one new file, a few small ones) stays in-process: starting the pool
for it costs more (~1 s) than it saves.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import partial
from pathlib import Path

from pipeline import __version__ as PIPELINE_VERSION
from pipeline.incremental import StageOutcome, _stat, ingest
from pipeline.parallel import ordered_map
from pipeline.staging import Staging

#: Bytes of input files to (re)ingest from which the pool pays: ~3,000 news articles, enough
#: that the extract step starts the pool anyway.
POOL_MIN_BYTES = 4_000_000


def _ingest_one(
    staging: Staging, root: Path, max_document_bytes: int, item: tuple[str, Path]
) -> StageOutcome:
    key, path = item
    return ingest(staging, key, path, root, max_document_bytes)


def _to_read(staging: Staging, key: str, path: Path) -> int:
    """Bytes of the file if ingest will read it (new, changed or stale), else 0."""
    state = staging.state(key)
    stat = _stat(path)
    if (
        state is not None
        and state.ingest_version == PIPELINE_VERSION
        and stat is not None
        and state.file_stat == stat
    ):
        return 0
    return int(stat.split(":")[0]) if stat is not None else 0


def ingest_many(
    staging: Staging, items: Sequence[tuple[str, Path]], root: Path, max_document_bytes: int
) -> Iterator[StageOutcome]:
    """`incremental.ingest` of every (key, path), in order; on the pool when it pays."""
    sizes = [_to_read(staging, key, path) for key, path in items]
    parallel = sum(1 for s in sizes if s) >= 2 and sum(sizes) >= POOL_MIN_BYTES
    fn = partial(_ingest_one, staging, root, max_document_bytes)
    yield from ordered_map(fn, items, parallel=parallel)
