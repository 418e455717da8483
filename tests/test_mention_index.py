"""The per-partition mention index: what the speaker merge reads instead of every claims part.

An increment reads the index of unchanged partitions and the claims of changed ones; its
speakers, speaker ids and every Parquet table must be what a from-scratch run gives.
"""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from assets.runner import run_pipeline
from pipeline.config import Settings
from pipeline.mention_index import index_path, partition_mentions
from pipeline.schemas import TABLES
from pipeline.speaker_table import MENTION_COLUMNS, mentions
from pipeline.warehouse import part_file, plan, read_table
from tests.corpus_sample import real_articles, write_sample
from tests.test_warehouse import stage_all


def _sorted(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.sort(MENTION_COLUMNS, nulls_last=True)


def _from_claims(settings: Settings, key: str) -> pl.DataFrame:
    claims = pl.scan_parquet(settings.staging_dir / "claims" / f"{key}.parquet")
    return _sorted(mentions(claims.select(MENTION_COLUMNS)).collect())


@pytest.fixture
def staged(tmp_path: Path):
    settings = Settings(input_dir=tmp_path / "raw", warehouse_dir=tmp_path / "warehouse")
    write_sample(settings.input_dir, 24, per_file=8, n_txt=0)
    staging, inputs = stage_all(settings)
    return settings, staging, inputs


def test_index_holds_the_mentions_of_the_claims_and_is_reused(staged) -> None:
    settings, staging, inputs = staged
    for key in inputs:
        first = partition_mentions(staging, key)
        assert first.height > 0
        assert _sorted(first).equals(_from_claims(settings, key))
        written = index_path(staging, key).stat().st_mtime_ns
        again = partition_mentions(staging, key)
        assert index_path(staging, key).stat().st_mtime_ns == written  # read, not rebuilt
        assert _sorted(again).equals(_sorted(first))


def test_a_rewritten_claims_part_rebuilds_the_index(staged) -> None:
    settings, staging, inputs = staged
    key = sorted(inputs)[0]
    before = partition_mentions(staging, key)
    part = staging.part_path("claims", key)
    claims = pl.read_parquet(part)
    kept_doc = claims.filter(pl.col("speaker_id").is_not_null())["doc_id"][0]
    claims.filter(pl.col("doc_id") == kept_doc).write_parquet(part)  # as a re-extraction would
    after = partition_mentions(staging, key)
    assert _sorted(after).equals(_from_claims(settings, key))
    assert set(after["doc_id"]) == {kept_doc} != set(before["doc_id"])


def test_a_deleted_partition_loses_its_index(staged) -> None:
    _, staging, inputs = staged
    keys = sorted(inputs)
    plan(staging, keys)
    assert index_path(staging, keys[0]).exists()
    staging.drop(keys[0])
    plan(staging, keys[1:])
    assert not index_path(staging, keys[0]).exists()
    assert index_path(staging, keys[1]).exists()


def _add_file(settings: Settings, name: str, articles: list[dict]) -> None:
    lines = "".join(json.dumps(a) + "\n" for a in articles)
    (settings.input_dir / name).write_text(lines, encoding="utf-8")


def test_increment_gives_the_tables_of_a_from_scratch_run(tmp_path: Path) -> None:
    grown = Settings(input_dir=tmp_path / "a" / "raw", warehouse_dir=tmp_path / "a" / "wh")
    fresh = Settings(input_dir=tmp_path / "b" / "raw", warehouse_dir=tmp_path / "b" / "wh")
    write_sample(grown.input_dir, 12, per_file=4, n_txt=0)
    run_pipeline(grown, tmp_path / "a" / "dagster")
    # the new file repeats an article of the first file (its speakers merge with theirs, it
    # owns nothing of that document) and brings new ones
    articles = real_articles(40)
    _add_file(grown, "new.jsonl", [articles[0], *articles[30:40]])
    run_pipeline(grown, tmp_path / "a" / "dagster")
    write_sample(fresh.input_dir, 12, per_file=4, n_txt=0)
    _add_file(fresh, "new.jsonl", [articles[0], *articles[30:40]])
    run_pipeline(fresh, tmp_path / "b" / "dagster")
    for table in TABLES:
        assert read_table(grown.parquet_dir, table).equals(read_table(fresh.parquet_dir, table))
    speakers = [part_file(s.parquet_dir, "speakers", "speakers") for s in (grown, fresh)]
    assert speakers[0].read_bytes() == speakers[1].read_bytes()
