"""Ingest starts the pool early when the run will extract enough to use it, and its batches."""

from __future__ import annotations

import json
import os
from concurrent.futures import Future
from pathlib import Path

import pytest

from assets.ingest import extraction_ahead
from pipeline import incremental, parallel, pool_warmup, prefetch
from pipeline.parallel import on_started_pool, ordered_map
from pipeline.stage_rows import BATCH_TABLES
from pipeline.staging import Staging
from tests.corpus_sample import real_articles


def test_warm_up_starts_the_workers_ahead_of_their_first_batch(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CLAIMBANK_WORKERS", "2")
    parallel.start_in_background(pool_warmup.warm_up)
    assert parallel._pool is not None
    assert on_started_pool(os.getpid) != os.getpid()  # the started pool takes the next step
    assert list(ordered_map(abs, [-1, -2, 3])) == [1, 2, 3]


def test_only_files_extraction_has_not_seen_count(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    path = raw / "a.jsonl"
    lines = (json.dumps({"text": r["text"]}) for r in real_articles(20))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    staging, inputs, size = Staging(tmp_path / "staging"), {"a": path}, path.stat().st_size
    assert extraction_ahead(staging, inputs, ["a"], threshold=size)
    assert not extraction_ahead(staging, inputs, ["a"], threshold=size + 1)  # too little
    incremental.ingest(staging, "a", path, raw, 5_000_000)
    assert extraction_ahead(staging, inputs, ["a"], threshold=size)  # not extracted yet
    incremental.extract(staging, "a")
    assert not extraction_ahead(staging, inputs, ["a"], threshold=size)  # all done
    assert not extraction_ahead(staging, {}, ["a"], threshold=0)  # a gone file is not read
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert extraction_ahead(staging, inputs, ["a"], threshold=size)  # changed: read again


def _ingested(root: Path, n: int, offset: int = 0) -> tuple[Staging, Path]:
    raw = root / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    path = raw / "a.jsonl"
    rows = real_articles(n + offset)[offset:]
    path.write_text("".join(json.dumps({"text": r["text"]}) + "\n" for r in rows), "utf-8")
    staging = Staging(root / "staging")
    incremental.ingest(staging, "a", path, raw, 5_000_000)
    return staging, path


def _parts(staging: Staging) -> list[bytes]:
    return [staging.part_path(t, "a").read_bytes() for t in BATCH_TABLES]


def test_batches_submitted_during_ingest_give_the_same_parts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLAIMBANK_WORKERS", "2")
    n = 2 * incremental.EXTRACT_BATCH_DOCS + 40  # three batches: never split for a small run
    plain, _ = _ingested(tmp_path / "plain", n)
    incremental.extract(plain, "a")

    ahead, _ = _ingested(tmp_path / "ahead", n)
    prefetch.ahead(ahead, "a", incremental.EXTRACT_BATCH_DOCS)
    batches = -(-ahead.count("documents", "a") // incremental.EXTRACT_BATCH_DOCS)
    assert len(prefetch._held["a"][2]) == batches == 3
    incremental.extract(ahead, "a")
    assert "a" not in prefetch._held  # taken by the extract step
    assert _parts(ahead) == _parts(plain)


def test_batches_of_a_documents_part_changed_since_are_extracted_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLAIMBANK_WORKERS", "2")
    n = 2 * incremental.EXTRACT_BATCH_DOCS + 40
    staging, _ = _ingested(tmp_path / "changed", n)
    prefetch.ahead(staging, "a", incremental.EXTRACT_BATCH_DOCS)
    _ingested(tmp_path / "changed", n, offset=30)  # other articles, same key
    incremental.extract(staging, "a")

    fresh, _ = _ingested(tmp_path / "fresh", n, offset=30)
    incremental.extract(fresh, "a")
    assert _parts(staging) == _parts(fresh)


def test_batches_held_at_another_size_are_cut_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A small extraction split over the workers must not mix its batches with held ones."""
    monkeypatch.setenv("CLAIMBANK_WORKERS", "2")
    n = incremental.EXTRACT_BATCH_DOCS + 20
    staging, _ = _ingested(tmp_path, n)
    prefetch.ahead(staging, "a", incremental.EXTRACT_BATCH_DOCS)
    got = list(prefetch.batches(staging, "a", 260))
    assert all(not isinstance(b, Future) for b in got)
    assert [b.height for b in got] == [260, staging.count("documents", "a") - 260]
    assert "a" not in prefetch._held
