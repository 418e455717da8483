"""Extraction started while ingest still reads: the workers never wait for the extract step.

Ingest is serial in the run process, and extraction could not start before it ended. Now, once
a file is ingested (its documents part written and checked batch by batch), its batches go to
the pool, and between files the run process writes the results that are back into the file's
extraction parts. The extract step then continues each part where ingest left it, taking
the batches still in flight instead of submitting them again.

- Bounded: at most `AHEAD_BATCHES` batches are in flight (submitted, results not written),
  whatever the corpus size, so the run process holds a few input and result frames (~3 MB a
  batch), not the corpus; what is written is on disk. Only one documents part is being cut
  into batches at a time (a reader holds a whole row group of texts).
- Speculative: the parts are written under temporary names (`Staging.writer`), renamed only
  when the extract step finishes them, so a failed ingest check or a killed run leaves the
  previous parts whole (and a killed run's temporary files are removed by the next run). A
  documents part changed since its batches were submitted (size or mtime), or cut into
  batches of another size by the extract step, is discarded and extracted again.

Before this, at most 12 batches were submitted and held until the extract step: at 100k
documents the workers ran out of work during ingest and across the step boundary.
"""

from __future__ import annotations

import contextlib
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from functools import partial
from itertools import chain
from typing import Any

import polars as pl

from pipeline.parallel import keyed, submit, workers
from pipeline.stage_rows import BATCH_TABLES, segment_extract
from pipeline.stages import SEGMENT_COLUMNS, batch_schemas
from pipeline.staging import CHECK_ROWS, PartWriter, Staging

#: Batches in flight at once: ~1.8 s of both workers' time at ~0.45 s of CPU a batch, more than
#: the run process's ingest of a 100k corpus file (~0.3 s) or the step boundary; ~25 MB of frames.
AHEAD_BATCHES = 8
#: Files whose extraction ingest may have begun (4 open part files each until the extract step
#: finishes them): a folder of thousands of one-article files must not exhaust file handles.
OPEN_FILES = 16


@dataclass
class _Ahead:
    """One file's extraction, started by ingest."""

    staging: Staging
    key: str
    fingerprint: str  # of its documents part when its batches were cut
    batch_docs: int
    source: Iterator[pl.DataFrame] | None  # its batches not submitted yet
    futures: deque[Future[Any]] = field(default_factory=deque)  # submitted, not written
    stack: contextlib.ExitStack | None = None  # the open part writers, once a batch is back
    writers: list[PartWriter] = field(default_factory=list)

    def write_done(self) -> None:
        """Write the results that are back, in order (stop at the first not back, or failed)."""
        while self.futures and self.futures[0].done() and self.futures[0].exception() is None:
            _, frames = self.futures.popleft().result()
            if self.stack is None:
                self.stack = contextlib.ExitStack()
                self.writers = [
                    self.stack.enter_context(self.staging.writer(t, self.key, CHECK_ROWS))
                    for t in BATCH_TABLES
                ]
            for writer, frame in zip(self.writers, frames, strict=True):
                writer.write(frame)
        if self.source is None and not self.futures and self.stack is not None:
            # every batch is written: check the rows the writers still hold for their next
            # chunk now, so that a finished file held until the extract step holds no frames
            for writer in self.writers:
                writer.check()

    def discard(self) -> None:
        for future in self.futures:
            future.cancel()
        self.futures.clear()
        self.source = None
        if self.stack is not None:  # unwound by an error: the temporary parts are removed
            self.stack.__exit__(_Discarded, _Discarded(), None)
            self.stack = None


class _Discarded(Exception):
    """Unwinds the writers of parts that will not be used."""


#: key -> its extraction started by ingest, in the order ingest finished the files
_held: dict[str, _Ahead] = {}


def extract_task() -> partial[tuple[str, tuple[pl.DataFrame, ...] | None]]:
    """The pool task of extraction: (key, documents batch) -> (key, the batch's four frames)."""
    return partial(keyed, partial(segment_extract, batch_schemas()))


def ahead(staging: Staging, key: str, batch_docs: int) -> None:
    """`key` is ingested: extract its batches too, as far as the budget allows (see `pump`)."""
    if key in _held:
        _held.pop(key).discard()
    source = staging.batches("documents", key, batch_docs, SEGMENT_COLUMNS)
    fingerprint = staging.fingerprint("documents", key)
    _held[key] = _Ahead(staging, key, fingerprint, batch_docs, source)
    pump()


def pump() -> None:
    """Write the results that are back; submit more batches, files in order, up to the budget.

    Never waits: called by ingest between files, it costs the run process only the writes.
    """
    for held in _held.values():
        held.write_done()
    room = AHEAD_BATCHES - sum(len(h.futures) for h in _held.values())
    begun = sum(1 for h in _held.values() if h.futures or h.stack is not None)
    task = extract_task()
    for key, held in _held.items():
        if held.source is None or room <= 0:
            continue
        if not held.futures and held.stack is None:
            if begun >= OPEN_FILES:
                return
            begun += 1
        while room > 0 and held.source is not None:
            batch = next(held.source, None)
            if batch is None:
                held.source = None
                break
            held.futures.append(submit(task, (key, batch)))
            room -= 1


def settle(staging: Staging, keys: Sequence[str], batch_docs: int, parallel: bool = False) -> None:
    """Before the extract step streams `keys`: keep what ingest started only for those files,
    cut into batches of `batch_docs` documents, from a documents part unchanged since.
    `parallel`: the stream runs on the pool, so its last batches are cut finer (`finer_tail`).
    """
    global _last_key
    _last_key = keys[-1] if keys and parallel and workers() > 1 else None
    wanted = set(keys)
    for key in list(_held):
        if key not in wanted or not _unchanged(staging, _held[key], batch_docs):
            _held.pop(key).discard()


def _unchanged(staging: Staging, held: _Ahead, batch_docs: int) -> bool:
    return held.batch_docs == batch_docs and held.fingerprint == staging.fingerprint(
        "documents", held.key
    )


def batches(staging: Staging, key: str, batch_docs: int) -> chain[Future[Any] | pl.DataFrame]:
    """`key`'s documents in batches whose results are not written yet (see `writers`), those
    submitted during ingest as their futures, in order."""
    held = _held.get(key)
    if held is not None and not _unchanged(staging, held, batch_docs):
        _held.pop(key).discard()
        held = None
    futures: list[Future[Any]] = []
    if held is None:
        rest: Iterator[pl.DataFrame] = staging.batches(
            "documents", key, batch_docs, SEGMENT_COLUMNS
        )
    else:
        rest = held.source if held.source is not None else iter(())
        futures = list(held.futures)
        held.futures.clear()
        held.source = None
    if key == _last_key and TAIL_PIECES > 1:
        rest = finer_tail(rest, workers(), TAIL_PIECES)
    return chain(futures, rest)


#: The last file of the extract step's stream on the pool (`settle`): its last batches are cut
#: into this many pieces each.
_last_key: str | None = None
TAIL_PIECES = 4


def finer_tail(frames: Iterator[pl.DataFrame], n: int, pieces: int) -> Iterator[pl.DataFrame]:
    """`frames` as they are, but the last `n` cut in `pieces`, the same rows in the same order.

    The stream's last batches decide when extraction ends: with whole batches one worker
    idles while the other finishes its last (~0.45 s of CPU at 500 news articles); with
    quarters, the workers end within ~0.1 s of each other. A batch's rows depend only on its
    own documents, so the cut changes the staged parts' row groups, not their rows.
    """
    held: deque[pl.DataFrame] = deque()
    for frame in frames:
        held.append(frame)
        if len(held) > n:
            yield held.popleft()
    for frame in held:
        step = max(-(-frame.height // pieces), 1)
        for start in range(0, frame.height, step):
            yield frame.slice(start, step)


@contextlib.contextmanager
def writers(staging: Staging, key: str, tables: Sequence[str]) -> Iterator[list[PartWriter]]:
    """The part writers of `key`'s extraction: those ingest opened, holding the rows of the
    batches written so far (`batches` yields the others), or new ones. On success the parts
    replace the old ones, as with `Staging.writer`; on an error the old ones stay.
    """
    held = _held.get(key)
    if held is not None and tuple(tables) != BATCH_TABLES:
        _held.pop(key).discard()
        held = None
    try:
        if held is None or held.stack is None:
            with contextlib.ExitStack() as stack:
                yield [stack.enter_context(staging.writer(t, key, CHECK_ROWS)) for t in tables]
        else:
            with held.stack:
                yield held.writers
    finally:
        _held.pop(key, None)
