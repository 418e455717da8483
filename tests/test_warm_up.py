"""Ingest starts the pool early when the run will extract enough to use it, and its batches."""

from __future__ import annotations

import json
import os
from concurrent.futures import Future, wait
from pathlib import Path

import polars as pl
import pyarrow.parquet as pq
import pytest
from polars.testing import assert_frame_equal

from assets.ingest import extraction_ahead
from pipeline import incremental, parallel, pool_warmup, prefetch
from pipeline.parallel import on_started_pool, ordered_map
from pipeline.stage_rows import BATCH_TABLES
from pipeline.staging import Staging
from tests.corpus_sample import real_articles


@pytest.fixture(autouse=True)
def _whole_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    """Parts are compared byte for byte here, so the last batches are not cut finer (their
    row groups would differ; `test_the_last_batches_cut_finer_give_the_same_rows`)."""
    monkeypatch.setattr(prefetch, "TAIL_PIECES", 1)


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
    assert len(prefetch._held["a"].futures) == batches == 3
    incremental.extract(ahead, "a")
    assert "a" not in prefetch._held  # taken by the extract step
    assert _parts(ahead) == _parts(plain)


def _written_during_ingest(staging: Staging) -> int:
    """Let the held batches finish and write them as ingest does between files; rows written."""
    held = prefetch._held["a"]
    wait(held.futures)
    prefetch.pump()
    assert held.stack is not None
    return sum(w.rows for w in held.writers)


def test_parts_begun_during_ingest_are_finished_by_the_extract_step(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLAIMBANK_WORKERS", "2")
    monkeypatch.setattr(prefetch, "AHEAD_BATCHES", 2)  # 2 of the 3 batches ahead
    n = 2 * incremental.EXTRACT_BATCH_DOCS + 40
    plain, _ = _ingested(tmp_path / "plain", n)
    incremental.extract(plain, "a")

    ahead, _ = _ingested(tmp_path / "ahead", n)
    prefetch.ahead(ahead, "a", incremental.EXTRACT_BATCH_DOCS)
    assert _written_during_ingest(ahead) > 0
    assert len(prefetch._held["a"].futures) == 1  # the budget freed by the writes is used
    assert not ahead.part_path("claims", "a").exists()  # nothing replaced before extract
    incremental.extract(ahead, "a")
    assert "a" not in prefetch._held
    assert _parts(ahead) == _parts(plain)
    assert not list((tmp_path / "ahead").rglob("*.tmp"))


def test_parts_begun_for_a_documents_part_changed_since_are_dropped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLAIMBANK_WORKERS", "2")
    n = 2 * incremental.EXTRACT_BATCH_DOCS + 40
    staging, _ = _ingested(tmp_path / "changed", n)
    prefetch.ahead(staging, "a", incremental.EXTRACT_BATCH_DOCS)
    assert _written_during_ingest(staging) > 0
    assert not prefetch._held["a"].futures  # all three batches written
    _ingested(tmp_path / "changed", n, offset=30)  # other articles, same key
    incremental.extract(staging, "a")
    assert not list((tmp_path / "changed").rglob("*.tmp"))  # the begun parts are gone

    fresh, _ = _ingested(tmp_path / "fresh", n, offset=30)
    incremental.extract(fresh, "a")
    assert _parts(staging) == _parts(fresh)


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


def test_ingest_begins_the_extraction_of_a_bounded_number_of_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each begun file holds four open part files until the extract step: a folder of
    thousands of small files must not run out of file handles."""
    monkeypatch.setenv("CLAIMBANK_WORKERS", "2")
    monkeypatch.setattr(prefetch, "OPEN_FILES", 1)
    raw = tmp_path / "raw"
    raw.mkdir()
    staging = Staging(tmp_path / "staging")
    rows = real_articles(40)
    for name, part in (("a", rows[:20]), ("b", rows[20:])):
        path = raw / f"{name}.jsonl"
        path.write_text("".join(json.dumps({"text": r["text"]}) + "\n" for r in part), "utf-8")
        incremental.ingest(staging, name, path, raw, 5_000_000)
        prefetch.ahead(staging, name, 10)
    wait(prefetch._held["a"].futures)
    prefetch.pump()
    assert prefetch._held["a"].stack is not None  # a's parts are begun
    assert not prefetch._held["b"].futures  # so b waits for the extract step
    outcomes = list(incremental.extract_many(staging, ["a", "b"]))
    assert [o.key for o in outcomes] == ["a", "b"] and not prefetch._held
    assert not list(tmp_path.rglob("*.tmp"))
    plain = Staging(tmp_path / "plain")
    for name in ("a", "b"):
        incremental.ingest(plain, name, raw / f"{name}.jsonl", raw, 5_000_000)
    list(incremental.extract_many(plain, ["a", "b"]))
    for name in ("a", "b"):
        for table in BATCH_TABLES:
            assert (
                staging.part_path(table, name).read_bytes()
                == plain.part_path(table, name).read_bytes()
            )


def test_finer_tail_cuts_only_the_last_frames_and_keeps_every_row_in_order() -> None:
    frames = [pl.DataFrame({"i": range(s, s + 10)}) for s in range(0, 50, 10)]
    got = list(prefetch.finer_tail(iter(frames), 2, 4))
    assert [f.height for f in got] == [10, 10, 10, 3, 3, 3, 1, 3, 3, 3, 1]
    assert pl.concat(got)["i"].to_list() == list(range(50))
    assert [f.height for f in prefetch.finer_tail(iter(frames[:1]), 2, 4)] == [3, 3, 3, 1]


def test_the_last_batches_cut_finer_give_the_same_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLAIMBANK_WORKERS", "2")
    n = 2 * incremental.EXTRACT_BATCH_DOCS + 40
    whole, _ = _ingested(tmp_path / "whole", n)
    incremental.extract(whole, "a")
    monkeypatch.setattr(prefetch, "TAIL_PIECES", 4)
    finer, _ = _ingested(tmp_path / "finer", n)
    incremental.extract(finer, "a")
    for table in BATCH_TABLES:
        groups = pq.ParquetFile(finer.part_path(table, "a")).metadata.num_row_groups
        assert groups > pq.ParquetFile(whole.part_path(table, "a")).metadata.num_row_groups
        assert_frame_equal(finer.read(table, ["a"]), whole.read(table, ["a"]))
