"""Ingested frames are Pandera-checked as they are written, and the staged check uses that."""

from __future__ import annotations

import json
from pathlib import Path

import dagster as dg
import polars as pl

from assets.staged import check_parts
from pipeline import incremental
from pipeline.batch_checks import check_into
from pipeline.stage_rows import BATCH_TABLES, segment_extract
from pipeline.stages import batch_schemas
from pipeline.staging import INGEST_TABLES, Staging
from tests.corpus_sample import real_articles


def _staged(tmp_path: Path, n: int) -> tuple[Staging, incremental.StageOutcome]:
    raw = tmp_path / "raw"
    raw.mkdir()
    path = raw / "a.jsonl"
    lines = (json.dumps({"text": r["text"], "title": r.get("title")}) for r in real_articles(n))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    staging = Staging(tmp_path / "staging")
    return staging, incremental.ingest(staging, "k", path, raw, 5_000_000)


def _results(staging: Staging, table: str, checked: dict) -> list:
    return list(check_parts(staging, table, ["k"], 1, 0, checked))


def test_a_bad_frame_is_caught_and_the_first_failure_is_kept() -> None:
    documents = pl.DataFrame(
        {"doc_id": ["0123456789abcdef"], "text": [real_articles(1)[0]["text"]], "title": [None]},
        schema={"doc_id": pl.String, "text": pl.String, "title": pl.String},
    )
    claims = segment_extract(batch_schemas(), documents)[BATCH_TABLES.index("claims")]
    assert claims.height > 0
    failures: dict[str, pl.DataFrame] = {}
    check_into(failures, "claims", claims)
    assert failures == {}
    check_into(failures, "claims", claims.with_columns(pl.lit("rumour").alias("kind")))
    first = failures["claims"]
    assert "rumour" in str(first.to_dicts())
    check_into(failures, "claims", claims.with_columns(pl.lit(-1).alias("start")))
    assert failures["claims"] is first


def test_ingest_reports_its_checks_and_the_staged_check_trusts_them(tmp_path: Path) -> None:
    staging, outcome = _staged(tmp_path, 30)
    assert not outcome.skipped
    assert outcome.checked == dict.fromkeys(INGEST_TABLES)  # checked while written, all passed

    # passed while written: the ledger records the part as it is on disk
    results = _results(staging, "documents", {"k": outcome.checked})
    assert results[-1].passed
    assert staging.validated("documents") == {"k": staging.fingerprint("documents", "k")}

    # a failure found as it was written fails the blocking check; the part leaves the ledger
    cases = pl.DataFrame({"failure_case": ["-1"]})
    check = _results(staging, "documents", {"k": {"documents": cases}})[-1]
    assert isinstance(check, dg.AssetCheckResult) and not check.passed
    assert check.metadata["n_failure_cases"].value == 1
    assert staging.validated("documents") == {}

    # a part not checked as it was written (extraction's) is read back and checked
    extracted = incremental.extract(staging, "k")
    assert not extracted.skipped and extracted.checked == {}
    assert _results(staging, "claims", {"k": extracted.checked})[-1].passed
    part = staging.part_path("claims", "k")
    pl.read_parquet(part).with_columns(pl.lit("rumour").alias("kind")).write_parquet(part)
    assert not _results(staging, "claims", {"k": extracted.checked})[-1].passed
