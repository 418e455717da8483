"""Extraction's first batches started while ingest still reads: speculative, committed later.

Ingest is serial and leaves one core idle (4.7 s at 100k documents), and extraction could not
start before it ended. Once a file is ingested (its documents part written and checked batch by
batch), its first batches go to the pool at once; the extract step then takes their results
instead of submitting those batches again. Nothing is written before the extract step runs, so
a failed ingest check or a killed run leaves nothing behind, and a documents part that changed
since (size or mtime) makes the step discard the results and extract the batches again.

At most `AHEAD_BATCHES` batches are held, whatever the corpus size: ingest of a 100k corpus
keeps both workers busy for ~10 batches, and each held batch costs the run process its input
and result frames (~3 MB) until the extract step writes them.
"""

from __future__ import annotations

from concurrent.futures import Future
from functools import partial
from itertools import chain, islice
from typing import Any

import polars as pl
import pyarrow as pa

from pipeline.extract_task import segment_extract_tables
from pipeline.parallel import keyed, submit
from pipeline.stages import SEGMENT_COLUMNS, batch_schemas
from pipeline.staging import Staging

AHEAD_BATCHES = 12

#: key -> (documents part fingerprint when its batches were submitted, their batch size, futures)
_held: dict[str, tuple[str, int, list[Future[Any]]]] = {}


def extract_task() -> partial[tuple[str, tuple[pa.Table, ...] | None]]:
    """The pool task of extraction: (key, documents batch) -> (key, the batch's four tables)."""
    return partial(keyed, partial(segment_extract_tables, batch_schemas()))


def ahead(staging: Staging, key: str, batch_docs: int) -> None:
    """Submit the first batches of `key`'s documents part, as far as the budget allows."""
    room = AHEAD_BATCHES - sum(len(f) for _, _, f in _held.values())
    if room <= 0:
        return
    task = extract_task()
    batches = staging.batches("documents", key, batch_docs, SEGMENT_COLUMNS)
    futures = [submit(task, (key, batch)) for batch in islice(batches, room)]
    if futures:
        _held[key] = (staging.fingerprint("documents", key), batch_docs, futures)


def batches(staging: Staging, key: str, batch_docs: int) -> chain[Future[Any] | pl.DataFrame]:
    """`key`'s documents in batches, those already submitted as their futures (in order).

    Held futures count only if the part is unchanged and was cut into batches of the same size
    (a small extraction may split its documents differently: `incremental._batching`).
    """
    fingerprint, held_docs, futures = _held.pop(key, ("", 0, []))
    if futures and (
        fingerprint != staging.fingerprint("documents", key) or held_docs != batch_docs
    ):
        for future in futures:
            future.cancel()
        futures = []
    rest = staging.batches("documents", key, batch_docs, SEGMENT_COLUMNS)
    return chain(futures, islice(rest, len(futures), None))
