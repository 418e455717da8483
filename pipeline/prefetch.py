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

from collections.abc import Iterator
from concurrent.futures import Future
from functools import partial
from itertools import chain, islice
from typing import Any

from pipeline.extract_pieces import Piece, PieceTables, piece_tables, pieces
from pipeline.parallel import keyed, submit
from pipeline.stages import SEGMENT_COLUMNS, batch_schemas
from pipeline.staging import Staging

AHEAD_BATCHES = 12

#: key -> (documents part fingerprint when its batches were submitted, their batch size, futures)
_held: dict[str, tuple[str, int, list[Future[Any]]]] = {}


def extract_task() -> partial[tuple[str, PieceTables | None]]:
    """The pool task of extraction: (key, documents batch or a piece of one) -> (key, its four
    tables); see `pipeline.extract_pieces`."""
    return partial(keyed, partial(piece_tables, batch_schemas()))


def ahead(staging: Staging, key: str, batch_docs: int) -> None:
    """Submit the first batches of `key`'s documents part, as far as the budget allows."""
    room = AHEAD_BATCHES - sum(len(f) for _, _, f in _held.values())
    if room <= 0:
        return
    task = extract_task()
    futures = [
        submit(task, (key, piece)) for piece in islice(_pieces(staging, key, batch_docs, 1), room)
    ]
    if futures:
        _held[key] = (staging.fingerprint("documents", key), batch_docs, futures)


def batches(
    staging: Staging, key: str, batch_docs: int, per_batch: int = 1
) -> chain[Future[Any] | Piece]:
    """`key`'s documents in batches, each in `per_batch` pieces, those already submitted as
    their futures (in order).

    Held futures (whole batches) count only if the part is unchanged and was cut into batches
    of the same size, not in pieces (a small extraction may split its documents differently:
    `incremental._batching`).
    """
    fingerprint, held_docs, futures = _held.pop(key, ("", 0, []))
    if futures and (
        fingerprint != staging.fingerprint("documents", key)
        or (held_docs, 1) != (batch_docs, per_batch)
    ):
        for future in futures:
            future.cancel()
        futures = []
    rest = _pieces(staging, key, batch_docs, per_batch)
    return chain(futures, islice(rest, len(futures), None))


def _pieces(staging: Staging, key: str, batch_docs: int, per_batch: int) -> Iterator[Piece]:
    return pieces(staging.batches("documents", key, batch_docs, SEGMENT_COLUMNS), per_batch)
