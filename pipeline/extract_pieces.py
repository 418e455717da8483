"""A small extraction's batches cut into pieces for the pool, joined again before they are written.

Why: a one-file increment's ~500 documents are split into one batch per worker
(`pipeline.incremental`), and the two halves of a file are rarely equal work: in the bench's
file the second half has 33% more text (0.18 vs 0.24 s of CPU), and one worker finishes its
warm-up ~0.1 s before the other. With each batch cut into pieces the workers take pieces as they
become free, so both end at about the same time. The pieces' tables are joined per batch (the
run process knows where a batch ends: the last piece says so), so every staged part gets the
same row groups, and the same bytes, as when each batch was extracted whole.

A module of its own, importing only `pipeline.extract_task`, because a spawned worker imports
the module of every function its task names.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from itertools import pairwise
from typing import NamedTuple

import polars as pl
import pyarrow as pa

from pipeline.extract_task import segment_extract_tables


class Piece(NamedTuple):
    """Documents of one batch, or a piece of it; `closes`: the last piece of its batch."""

    documents: pl.DataFrame
    closes: bool


class PieceTables(NamedTuple):
    """A piece's four tables (`segment_extract_tables`), and whether it closes its batch."""

    tables: tuple[pa.Table, ...]
    closes: bool


def pieces(batches: Iterable[pl.DataFrame], n: int) -> Iterator[Piece]:
    """Each batch in `n` pieces of nearly equal document counts (1: the batch whole)."""
    for batch in batches:
        cuts = sorted({round(i * batch.height / n) for i in range(n + 1)})
        for start, end in pairwise(cuts):
            yield Piece(batch.slice(start, end - start), end == batch.height)
        if batch.height == 0:
            yield Piece(batch, True)


def piece_tables(schemas: Mapping[str, pl.Schema], piece: Piece) -> PieceTables:
    """The pool task: a piece's tables, with its place in its batch."""
    return PieceTables(segment_extract_tables(schemas, piece.documents), piece.closes)


def joined(
    results: Iterable[tuple[str, PieceTables | None]],
) -> Iterator[tuple[str, tuple[pa.Table, ...] | None]]:
    """(key, tables) per batch from (key, tables) per piece, in order; (key, None) passes.

    A batch in several pieces is one table per staged table again, in one chunk: written as one
    row group it gives the bytes the whole batch gave (same rows, same order).
    """
    held: list[tuple[pa.Table, ...]] = []
    for key, result in results:
        if result is None:
            if held:
                raise RuntimeError(f"the last batch of {key} ended without its last piece")
            yield key, None
            continue
        held.append(result.tables)
        if not result.closes:
            continue
        if len(held) == 1:
            yield key, held[0]
        else:
            yield key, tuple(pa.concat_tables(t).combine_chunks() for t in zip(*held, strict=True))
        held = []
