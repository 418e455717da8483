"""Ingest skips unchanged files by size and mtime, and rehashes only when one of them moved."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import polars as pl

from pipeline import incremental
from pipeline.staging import Staging
from tests.conftest import SEED_TEXT
from tests.corpus_sample import real_articles


def _ingest(staging: Staging, path: Path) -> incremental.StageOutcome:
    return incremental.ingest(staging, "k", path, path.parent, 5_000_000)


def _doc_text(staging: Staging) -> str:
    return pl.read_parquet(staging.part_path("documents", "k"))["text"].item()


def test_unchanged_stat_skips_without_reading_and_a_moved_mtime_rehashes(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    path = raw / "a.txt"
    shutil.copy(SEED_TEXT, path)
    staging = Staging(tmp_path / "staging")
    assert not _ingest(staging, path).skipped
    first = staging.state("k")
    assert first is not None and first.file_stat is not None

    # same size and mtime: the file is not read again (here even though its bytes changed)
    stat = path.stat()
    original = path.read_bytes()
    path.write_bytes(original.upper())
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert _ingest(staging, path).skipped
    assert _doc_text(staging) == original.decode("utf-8").strip()
    path.write_bytes(original)
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))

    # a touch (same bytes, new mtime) rehashes, finds the same bytes, skips, records the stat
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert _ingest(staging, path).skipped
    touched = staging.state("k")
    assert touched is not None and touched.file_stat != first.file_stat
    assert touched.file_sha256 == first.file_sha256

    # new bytes of a different article with a new mtime are ingested again
    other = real_articles(3)[2]["text"]
    path.write_text(other, encoding="utf-8")
    assert not _ingest(staging, path).skipped
    assert _doc_text(staging) == other.strip()
    again = staging.state("k")
    assert again is not None and again.file_sha256 != first.file_sha256
    assert _ingest(staging, path).skipped
