"""Order-independent digests of a frame's rows, per group: what a partition's signature holds.

A digest is the sum of each row's 32-bit hash, so it can be kept up to date without the rows
that did not change (`speaker_cache`: a one-file increment's speaker-map digests): remove the
hashes of the rows that changed, add their new ones.
"""

from __future__ import annotations

from typing import Any

import polars as pl


def row_hash(columns: list[str]) -> pl.Expr:
    """Each row's hash of `columns` (nulls as empty strings), below 2**32."""
    joined = pl.concat_str([pl.col(c).fill_null("") for c in columns], separator="\x1f")
    return joined.hash() % (1 << 32)


def digest_by(frame: pl.DataFrame, columns: list[str], by: str) -> dict[Any, int]:
    """The sum of `row_hash(columns)` per value of `by` (groups without rows: absent)."""
    if frame.is_empty():
        return {}
    grouped = frame.group_by(by).agg(row_hash(columns).sum().alias("d"))
    return {k: int(d) for k, d in grouped.iter_rows()}
