"""Ingest on the pool stages exactly what ingest in-process stages, file by file, in order."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from pipeline import incremental
from pipeline.ingest_many import POOL_MIN_BYTES, ingest_many
from pipeline.staging import INGEST_TABLES, Staging
from tests.corpus_sample import real_articles


def _inputs(raw: Path) -> list[tuple[str, Path]]:
    """Two JSON Lines files of real articles, together past the pool's threshold, each ending
    in a malformed line so that a rejection is staged too."""
    raw.mkdir()
    rows = real_articles(2_400)
    items = []
    for i, part in enumerate((rows[:1_200], rows[1_200:])):
        path = raw / f"f{i}.jsonl"
        lines = [json.dumps({"id": r.get("id"), "text": r["text"]}) for r in part]
        path.write_text("\n".join([*lines, "{broken"]) + "\n", encoding="utf-8")
        items.append((f"k{i}", path))
    assert sum(p.stat().st_size for _, p in items) >= POOL_MIN_BYTES
    return items


def test_pool_ingest_equals_in_process_ingest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLAIMBANK_WORKERS", "2")
    items = _inputs(tmp_path / "raw")
    root = tmp_path / "raw"
    pooled, serial = Staging(tmp_path / "pooled"), Staging(tmp_path / "serial")
    outcomes = list(ingest_many(pooled, items, root, 5_000_000))
    assert [o.key for o in outcomes] == ["k0", "k1"]
    for (key, path), outcome in zip(items, outcomes, strict=True):
        expected = incremental.ingest(serial, key, path, root, 5_000_000)
        assert outcome.rows == expected.rows and outcome.rows["rejected_inputs"] == 1
        assert outcome.checked == expected.checked == dict.fromkeys(INGEST_TABLES)
        for table in INGEST_TABLES:
            got = pl.read_parquet(pooled.part_path(table, key))
            assert got.equals(pl.read_parquet(serial.part_path(table, key)))
        assert pooled.state(key) == serial.state(key)
    # unchanged files: skipped, in order
    again = list(ingest_many(pooled, items, root, 5_000_000))
    assert [(o.key, o.skipped) for o in again] == [("k0", True), ("k1", True)]
