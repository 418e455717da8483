"""Run a stage for one input file unless its output is already up to date.

A partition's parts are reused when the file's bytes and the stage's version are unchanged;
re-ingesting a file invalidates its later stages. This is what makes re-runs cheap and idempotent.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from functools import partial
from itertools import chain
from pathlib import Path
from typing import TypeVar

import polars as pl
import pyarrow as pa

from pipeline import __version__ as PIPELINE_VERSION
from pipeline import prefetch
from pipeline.batch_checks import Failures, check_into
from pipeline.extract_task import segment_extract_tables
from pipeline.extraction import EXTRACTOR_VERSION
from pipeline.parallel import (
    keyed,
    ordered_map,
    pool_started,
    pool_warmed_up,
    stop_pool,
    workers,
)
from pipeline.partitions import file_sha256, relative
from pipeline.stage_rows import BATCH_TABLES
from pipeline.stages import IngestBatch, batch_schemas, ingest_batches
from pipeline.staging import BATCH_DOCS, CHECK_ROWS, STAGED_TABLES, PartitionState, Staging

#: Documents per unit of segmentation + extraction work: small enough that a mid-size file
#: still feeds both cores, large enough that shipping frames to a worker costs little.
EXTRACT_BATCH_DOCS = 500
#: Fewer documents than this are extracted in-process even when the pool was started early:
#: below it, shipping the batches costs about what splitting them saves.
SPLIT_MIN_DOCS = 100

B = TypeVar("B")


@dataclass(frozen=True, slots=True)
class StageOutcome:
    key: str
    skipped: bool
    rows: dict[str, int]
    #: tables whose part was Pandera-checked as it was written -> failure cases (None: passed)
    checked: dict[str, pl.DataFrame | None] = field(default_factory=dict)


def _rows(staging: Staging, key: str, tables: tuple[str, ...]) -> dict[str, int]:
    return {t: staging.count(t, key) for t in tables}


def ingest(
    staging: Staging, key: str, path: Path, root: Path, max_document_bytes: int
) -> StageOutcome:
    """Ingest one file into its parts; skipped when the file's bytes are unchanged.

    The bytes are hashed again only when the file's size or modification time moved (the
    rule make and rsync use): a run over a large unchanged folder reads no input file.
    """
    state = staging.state(key)
    tables = ("input_files", "documents", "document_sources", "rejected_inputs")
    current = state is not None and state.ingest_version == PIPELINE_VERSION
    stat = _stat(path)
    if current and state is not None and stat is not None and state.file_stat == stat:
        return StageOutcome(key, True, _rows(staging, key, tables))
    sha = file_sha256(path)
    if current and state is not None and state.file_sha256 == sha:
        staging.set_state(key, dataclasses.replace(state, file_stat=stat))  # touched only
        return StageOutcome(key, True, _rows(staging, key, tables))
    rows = dict.fromkeys(tables, 0)
    failures: Failures = {}
    with (
        staging.writer("documents", key) as documents,
        staging.writer("document_sources", key) as sources,
        staging.writer("rejected_inputs", key) as rejected,
    ):
        for item in ingest_batches(path, root, key, max_document_bytes, BATCH_DOCS, sha):
            if isinstance(item, IngestBatch):
                check_into(failures, "documents", item.documents)
                check_into(failures, "document_sources", item.document_sources)
                check_into(failures, "rejected_inputs", item.rejected_inputs)
                documents.write(item.documents)
                sources.write(item.document_sources)
                rejected.write(item.rejected_inputs)
            else:
                check_into(failures, "input_files", item)
                staging.write("input_files", key, item)
                rows["input_files"] = item.height
        rows |= {
            "documents": documents.rows,
            "document_sources": sources.rows,
            "rejected_inputs": rejected.rows,
        }
    staging.set_state(
        key,
        PartitionState(
            input_path=relative(path, root),
            file_sha256=sha,
            ingest_version=PIPELINE_VERSION,
            file_stat=stat,
        ),
    )
    return StageOutcome(key, False, rows, {t: failures.get(t) for t in tables})


def _stat(path: Path) -> str | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return f"{stat.st_size}:{stat.st_mtime_ns}"


def pending(staging: Staging, inputs: dict[str, Path]) -> set[str]:
    """Partitions a run must visit: new, changed or gone files, stale versions, unchecked parts.

    Everything else is up to date, so a run over a large unchanged folder can leave it out
    of its partition range: the per-partition cost of a run (Dagster events, part checks)
    then follows the change, not the warehouse. Costs one `stat` per file and part.
    """
    gone = set(staging.keys()) - set(inputs)
    ledgers = {t: staging.validated(t) for t in STAGED_TABLES}
    out = set(gone)
    for key, path in inputs.items():
        if stale(staging.state(key), path) or any(
            ledgers[t].get(key) != staging.fingerprint(t, key) for t in STAGED_TABLES
        ):
            out.add(key)
    return out


def stale(state: PartitionState | None, path: Path) -> bool:
    """Whether a file must be read and extracted again: never staged, changed on disk since
    (size or mtime), or staged by another version of the pipeline or the extractor."""
    return (
        state is None
        or state.file_stat is None
        or state.file_stat != _stat(path)
        or state.ingest_version != PIPELINE_VERSION
        or state.segment_version != PIPELINE_VERSION
        or state.extract_version != EXTRACTOR_VERSION
    )


def extract(staging: Staging, key: str) -> StageOutcome:
    """Segment and extract one partition (see `extract_many`)."""
    return next(extract_many(staging, [key]))


def extract_many(staging: Staging, keys: Sequence[str]) -> Iterator[StageOutcome]:
    """Segment and extract every partition of `keys` that needs it, in one stream of batches.

    A worker segments a batch of documents and extracts from the sentences it just found, so
    texts are read and shipped to a worker once and sentences are never read back. One
    outcome per key, in order; a key's parts and state are written once all its batches are
    back, so a killed run leaves each partition either done or untouched.
    """
    states = {k: _state(staging, k) for k in keys}
    todo = [
        k
        for k in keys
        if states[k].segment_version != PIPELINE_VERSION
        or states[k].extract_version != EXTRACTOR_VERSION
    ]

    docs = sum(staging.count("documents", k) for k in todo)
    batch_docs, parallel = _batching(docs)

    def work(key: str) -> Iterator[pl.DataFrame | Future]:
        return prefetch.batches(staging, key, batch_docs)  # some submitted by ingest

    def done(key: str) -> None:
        state = dataclasses.replace(
            states[key], segment_version=PIPELINE_VERSION, extract_version=EXTRACTOR_VERSION
        )
        staging.set_state(key, state)

    fn = partial(segment_extract_tables, batch_schemas())
    # a pool started early for this little work has nothing more to do once it is done
    last = stop_pool if docs // EXTRACT_BATCH_DOCS < 2 else None
    finished = _streamed(staging, todo, BATCH_TABLES, work, fn, done, parallel, last)
    yield from _in_order(staging, keys, BATCH_TABLES, finished)


def _batching(docs: int) -> tuple[int, bool]:
    """(documents per batch, whether on the pool) for extracting `docs` documents.

    Two or more full batches: the pool, started now if it is not running yet. Less: in-process,
    since starting the pool costs more than it saves, unless the run started the pool early
    (`pipeline.pool_warmup`): then the documents are split evenly over its workers, and the
    pool is stopped once they are done (`extract_many`), so that the rest of a small run stays
    in-process as it would without the early start.
    """
    if docs // EXTRACT_BATCH_DOCS >= 2:
        return EXTRACT_BATCH_DOCS, True
    if docs >= SPLIT_MIN_DOCS and pool_started() and pool_warmed_up():
        return -(-docs // workers()), True
    return EXTRACT_BATCH_DOCS, False


def _state(staging: Staging, key: str) -> PartitionState:
    state = staging.state(key)
    if state is None:
        raise RuntimeError(f"partition {key} has not been ingested")
    return state


def _in_order(
    staging: Staging,
    keys: Sequence[str],
    tables: tuple[str, ...],
    finished: Iterator[StageOutcome],
) -> Iterator[StageOutcome]:
    """Outcomes of all `keys` in order: skipped ones between those `finished` produces."""
    produced = next(finished, None)
    for key in keys:
        if produced is not None and produced.key == key:
            yield produced
            produced = next(finished, None)
        else:
            yield StageOutcome(key, True, _rows(staging, key, tables))


def _streamed(
    staging: Staging,
    keys: list[str],
    tables: tuple[str, ...],
    work: Callable[[str], Iterator[B]],
    fn: Callable[[B], tuple[pl.DataFrame | pa.Table, ...]],
    done: Callable[[str], None],
    parallel: bool,
    last: Callable[[], None] | None = None,
) -> Iterator[StageOutcome]:
    """Map `fn` over the batches of every key as one stream on the pool, writing each key's parts.

    One stream, not one per key: the pool stays busy across file boundaries instead of
    draining at the end of every file (with ~6,000-document files that idle tail cost
    ~10% of the extract step). A `None` after a key's batches marks its end. `last` runs
    once every batch is back, before the last outcome is yielded (a caller may stop there).
    """
    items = (
        b if isinstance(b, Future) else (key, b) for key in keys for b in chain(work(key), [None])
    )
    results = ordered_map(partial(keyed, fn), items, parallel=parallel)
    if not keys and last is not None:
        last()
    for i, key in enumerate(keys, start=1):
        with contextlib.ExitStack() as stack:
            writers = [stack.enter_context(staging.writer(t, key, CHECK_ROWS)) for t in tables]
            for got_key, frames in results:
                if got_key != key:
                    raise RuntimeError(f"batch of {got_key} arrived while writing {key}")
                if frames is None:
                    break
                for writer, frame in zip(writers, frames, strict=True):
                    writer.write(frame)
        done(key)
        if i == len(keys) and last is not None:
            last()
        done_writers = dict(zip(tables, writers, strict=True))
        rows = {t: w.rows for t, w in done_writers.items()}
        yield StageOutcome(key, False, rows, {t: w.failures for t, w in done_writers.items()})
