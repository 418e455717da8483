"""A batch cut into pieces for the pool comes back as the batch: same rows, same order."""

from __future__ import annotations

import polars as pl
import pytest

from pipeline.extract_pieces import PieceTables, joined, piece_tables, pieces
from pipeline.stages import SEGMENT_COLUMNS, batch_schemas
from tests.corpus_sample import real_articles


def _documents(n: int) -> pl.DataFrame:
    rows = real_articles(n)
    return pl.DataFrame(
        {
            "doc_id": [f"d{i}" for i in range(n)],
            "text": [r["text"] for r in rows],
            "title": [r.get("title") for r in rows],
        },
        schema=dict.fromkeys(SEGMENT_COLUMNS, pl.String),
    )


def test_each_batch_is_cut_into_nearly_equal_pieces_the_last_closing_it() -> None:
    docs = _documents(20)
    got = list(pieces([docs.head(12), docs.slice(12, 3), docs.clear()], 5))
    assert [p.documents.height for p in got] == [2, 3, 2, 3, 2, 1, 1, 1, 0]
    assert [p.closes for p in got] == [False] * 4 + [True, False, False, True, True]
    assert pl.concat([p.documents for p in got[:5]]).equals(docs.head(12))
    assert [p.documents.height for p in pieces([docs], 1)] == [20]


def test_the_pieces_tables_joined_equal_the_whole_batch_s_tables() -> None:
    schemas = batch_schemas()
    docs = _documents(30)
    whole = piece_tables(schemas, next(pieces([docs], 1)))
    results = [("a", piece_tables(schemas, p)) for p in pieces([docs], 4)] + [("a", None)]
    (key, tables), end = list(joined(results))
    assert key == "a" and end == ("a", None)
    assert tables[2].num_rows > 10  # claims
    for got, expected in zip(tables, whole.tables, strict=True):
        assert got.equals(expected)
        assert all(c.num_chunks == 1 for c in got.columns)  # one row group when written


def test_a_batch_whose_last_piece_is_missing_is_an_error() -> None:
    schemas = batch_schemas()
    first = next(pieces([_documents(6)], 3))
    results = [("a", piece_tables(schemas, first)), ("a", None)]
    with pytest.raises(RuntimeError, match="last piece"):
        list(joined(results))
    assert isinstance(piece_tables(schemas, first), PieceTables)
