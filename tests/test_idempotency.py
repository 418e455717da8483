"""Idempotency: the same inputs give the same tables; a changed or deleted file moves only its rows.

The warehouse mirrors the input folder (README, "Inputs"): a changed file's rows are replaced,
a deleted file's rows leave, and every other row stays exactly as it was.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import polars as pl
import pytest

from assets.runner import run_pipeline
from pipeline.config import Settings
from pipeline.schemas import TABLES
from pipeline.warehouse import read_table, table_files
from tests.corpus_sample import real_articles, write_sample

#: Tables whose rows belong to one document (`doc_id`), and to one input file (`input_path`).
BY_DOC = ("documents", "segments", "sentences", "claims", "quantities")
BY_FILE = ("input_files", "document_sources", "rejected_inputs")


def tables_of(settings: Settings) -> dict[str, pl.DataFrame]:
    return {t: read_table(settings.parquet_dir, t) for t in TABLES}


def _without(frames: dict[str, pl.DataFrame], docs: set[str], paths: set[str]):
    out = {t: frames[t].filter(~pl.col("doc_id").is_in(list(docs))) for t in BY_DOC}
    out.update({t: frames[t].filter(~pl.col("input_path").is_in(list(paths))) for t in BY_FILE})
    return out


def _doc_of(frames: dict[str, pl.DataFrame], path: str) -> str:
    sources = frames["document_sources"].filter(pl.col("input_path") == path)
    return sources["doc_id"].to_list()[0]


@pytest.fixture(scope="module")
def first(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("idempotency")
    settings = Settings(input_dir=root / "raw", warehouse_dir=root / "warehouse")
    write_sample(settings.input_dir, 8, per_file=3, n_txt=2)
    shutil.copy(settings.input_dir / "txt" / "a000.txt", settings.input_dir / "copy.txt")
    run_pipeline(settings, root / "dagster")
    return settings, root, tables_of(settings)


def test_two_fresh_runs_give_identical_tables_and_bytes(first, tmp_path: Path) -> None:
    settings, _, before = first
    other = Settings(input_dir=settings.input_dir, warehouse_dir=tmp_path / "again")
    run_pipeline(other, tmp_path / "dagster")
    after = tables_of(other)
    for table in TABLES:
        assert before[table].height > 0 or table == "rejected_inputs", table
        assert after[table].equals(before[table]), table
        a, b = table_files(settings.parquet_dir, table), table_files(other.parquet_dir, table)
        assert [p.name for p in a] == [p.name for p in b], table
        assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b], table


def test_changing_one_file_replaces_its_rows_and_nothing_else(first) -> None:
    settings, root, before = first
    changed = settings.input_dir / "txt" / "a001.txt"
    old_doc = _doc_of(before, "txt/a001.txt")
    changed.write_text(real_articles(20)[19]["text"], encoding="utf-8")
    run_pipeline(settings, root / "dagster")
    after = tables_of(settings)
    new_doc = _doc_of(after, "txt/a001.txt")
    assert new_doc != old_doc
    for table in BY_DOC:
        assert old_doc not in set(after[table]["doc_id"]), table
        assert new_doc in set(after[table]["doc_id"]) or table == "quantities", table
    untouched_before = _without(before, {old_doc, new_doc}, {"txt/a001.txt"})
    untouched_after = _without(after, {old_doc, new_doc}, {"txt/a001.txt"})
    for table, frame in untouched_before.items():
        assert untouched_after[table].equals(frame), table
    ledger = after["input_files"].filter(pl.col("input_path") == "txt/a001.txt")
    assert (
        ledger["file_sha256"].to_list()
        != before["input_files"]
        .filter(pl.col("input_path") == "txt/a001.txt")["file_sha256"]
        .to_list()
    )


def test_deleting_files_removes_their_rows_and_keeps_shared_documents(first) -> None:
    settings, root, _ = first
    before = tables_of(settings)
    gone_doc = _doc_of(before, "part000.jsonl")
    shared_doc = _doc_of(before, "copy.txt")
    (settings.input_dir / "part000.jsonl").unlink()
    (settings.input_dir / "copy.txt").unlink()  # its article is also txt/a000.txt
    run_pipeline(settings, root / "dagster")
    after = tables_of(settings)
    for table in BY_FILE:
        assert not {"part000.jsonl", "copy.txt"} & set(after[table]["input_path"]), table
    gone = set(before["document_sources"].filter(pl.col("input_path") == "part000.jsonl")["doc_id"])
    assert gone_doc in gone
    for table in BY_DOC:
        assert not gone & set(after[table]["doc_id"]), table
    assert shared_doc in set(after["documents"]["doc_id"])  # still seen in txt/a000.txt
    untouched = _without(before, gone, {"part000.jsonl", "copy.txt"})
    for table, frame in untouched.items():
        assert _without(after, gone, set())[table].equals(frame), table
    staged = [p.name for p in settings.staging_dir.rglob("part000-jsonl-*")]
    assert staged == []  # its staged parts and state are gone too
