"""The bench's outputs-alone pass writes the tables a run writes, from the same extraction.

Its time is only a bound if it does the work a run cannot skip: every document read, every
claim extracted and stored in Parquet and in DuckDB. These check that on real articles.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl

from benchmarks.corpus import real_articles, write_corpus
from benchmarks.lower_bound import outputs_alone
from benchmarks.run import SHARED
from pipeline.extraction import extract_document
from pipeline.segment import segment


def test_outputs_alone_stores_every_claim_of_every_document(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    write_corpus(real_articles(SHARED / "corpora")[:60], 120, corpus)
    result = outputs_alone(corpus, 2, tmp_path / "out")

    records = sum(
        len(path.read_text(encoding="utf-8").splitlines()) for path in corpus.glob("*.jsonl")
    )
    documents = pl.read_parquet(tmp_path / "out" / "parquet" / "documents" / "*.parquet")
    expected = sum(
        len(extract_document(t, [(s.start, s.end) for s in segment(t).sentences]).claims)
        for t in documents["text"]
    )
    parquet = pl.read_parquet(tmp_path / "out" / "parquet" / "claims" / "*.parquet")
    with duckdb.connect(str(tmp_path / "out" / "claimbank.duckdb"), read_only=True) as con:
        stored = con.execute("SELECT count(*) FROM claims").fetchone()
    assert result["rows"]["claims"] == parquet.height == expected > 0
    assert stored == (expected,)
    assert 0 < documents.height == result["rows"]["documents"] <= records
    assert set(result["worker_cpu_s"]) == {"ingest", "extract_and_rows", "parquet"}
