"""Ingest starts the pool's workers early, and only when the run will extract enough to use it."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from assets.ingest import extraction_ahead
from pipeline import incremental, parallel
from pipeline.parallel import on_started_pool, ordered_map
from pipeline.stage_rows import warm_worker
from pipeline.staging import Staging
from tests.corpus_sample import real_articles


def test_warm_up_starts_the_workers_ahead_of_their_first_batch(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CLAIMBANK_WORKERS", "2")
    parallel.warm_up(warm_worker)
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
