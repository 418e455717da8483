"""One pass (segment + extract in the worker) gives exactly the rows of the two stages apart."""

from __future__ import annotations

import hashlib
import pickle
import subprocess
import sys

import polars as pl

from pipeline.prefetch import extract_task
from pipeline.stages import (
    extract_documents,
    segment_documents,
    segment_extract_documents,
)
from tests.conftest import REPO
from tests.corpus_sample import real_articles


def _documents(n: int) -> pl.DataFrame:
    rows = real_articles(n)
    return pl.DataFrame(
        {
            "doc_id": [hashlib.sha256(r["text"].encode()).hexdigest()[:16] for r in rows],
            "text": [r["text"] for r in rows],
            "title": [r.get("title") for r in rows],
        },
        schema={"doc_id": pl.String, "text": pl.String, "title": pl.String},
    ).unique("doc_id", keep="first", maintain_order=True)


def test_one_pass_equals_segment_then_extract() -> None:
    documents = _documents(40)
    segments, sentences = segment_documents(documents)
    claims, quantities = extract_documents(documents, sentences)
    fused = segment_extract_documents(documents)
    assert claims.height > 40 and quantities.height > 0
    for expected, got in zip((segments, sentences, claims, quantities), fused, strict=True):
        assert got.schema == expected.schema
        assert got.equals(expected)
    # sentence ids of claims point at sentences of the same batch
    ids = set(sentences.get_column("sentence_id"))
    assert set(claims.get_column("sentence_ids").explode().drop_nulls()) <= ids


def test_pool_worker_imports_nothing_heavy() -> None:
    """A spawned worker imports the modules its task names: neither Pandera nor Dagster."""
    task = pickle.dumps(extract_task())
    code = (
        "import pickle, sys\n"
        f"pickle.loads({task!r})\n"
        "print(sorted(m for m in ('pandera', 'pandas', 'dagster', 'pipeline.schemas') "
        "if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def _first_holding(claims: list[dict], start: int, end: int) -> str | None:
    """The rule, written out plainly: the first attributed claim whose content holds the
    span, else the first author claim holding it."""
    holding = [
        c
        for c in claims
        if any(s["start"] <= start and end <= s["end"] for s in c["content_spans"])
    ]
    attributed = [c for c in holding if c["kind"] != "author"]
    first = (attributed or holding or [None])[0]
    return None if first is None else first["claim_id"]


def test_quantities_point_at_the_claim_and_sentence_that_hold_them() -> None:
    documents = _documents(60)
    _, sentences, claims, quantities = segment_extract_documents(documents)
    by_doc: dict[str, list[dict]] = {}
    for claim in claims.iter_rows(named=True):
        by_doc.setdefault(claim["doc_id"], []).append(claim)
    spans = {(r["doc_id"], r["index"]): (r["start"], r["end"]) for r in sentences.to_dicts()}
    held = 0
    for q in quantities.iter_rows(named=True):
        expected = _first_holding(by_doc.get(q["doc_id"], []), q["start"], q["end"])
        assert q["claim_id"] == expected
        held += expected is not None
        doc, index = q["sentence_id"].rsplit(":s", 1)
        s, e = spans[(doc, int(index))]
        assert doc == q["doc_id"] and s < q["end"] and q["start"] < e
    assert held > 10 and quantities.height > held  # both kinds of quantity were seen
