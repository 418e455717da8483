"""The example SQL in queries/ on a warehouse of 1,000 real articles, and on its release.

Each query's answer is recomputed with Polars from the same Parquet tables, so a query that
joins or filters wrongly fails here.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import polars as pl
import pytest

from pipeline.config import Settings
from pipeline.warehouse import read_table
from tests.conftest import REPO
from tests.release_corpus import CorpusRelease

pytest_plugins = ["tests.release_corpus"]

QUERIES = REPO / "queries"


def run(con: duckdb.DuckDBPyConnection, name: str) -> pl.DataFrame:
    return pl.from_arrow(con.execute((QUERIES / f"{name}.sql").read_text()).to_arrow_table())


@pytest.fixture(scope="module")
def warehouse(corpus_warehouse: Settings) -> Iterator[duckdb.DuckDBPyConnection]:
    con = duckdb.connect(str(corpus_warehouse.duckdb_path), read_only=True)
    try:
        yield con
    finally:
        con.close()


@pytest.fixture(scope="module")
def tables(corpus_warehouse: Settings) -> dict[str, pl.DataFrame]:
    names = ("claims", "documents", "speakers", "quantities")
    return {t: read_table(corpus_warehouse.parquet_dir, t) for t in names}


def test_every_query_file_is_tested() -> None:
    tested = {
        "top_speakers_per_outlet",
        "distancing_cues",
        "numeric_claims_compared",
        "speaker_over_time",
    }
    assert {p.stem for p in QUERIES.glob("*.sql")} == tested


def test_top_speakers_per_outlet(warehouse, tables) -> None:
    result = run(warehouse, "top_speakers_per_outlet")
    expected = (
        tables["claims"]
        .join(tables["documents"].select("doc_id", "outlet"), on="doc_id")
        .join(tables["speakers"].select("speaker_id", "canonical_name"), on="speaker_id")
        .filter(pl.col("outlet").is_not_null())
        .group_by("outlet", "speaker_id", "canonical_name")
        .len()
    )
    outlets = expected["outlet"].n_unique()
    assert outlets >= 5 and result["outlet"].n_unique() == outlets
    assert result.group_by("outlet").len()["len"].max() == 5
    for outlet, group in result.group_by("outlet"):
        counts = group["n_claims"].to_list()
        assert counts == sorted(counts, reverse=True)
        top = expected.filter(pl.col("outlet") == outlet[0])["len"].sort(descending=True)
        assert counts == top.head(len(counts)).to_list()


def test_distancing_cues(warehouse, tables) -> None:
    result = run(warehouse, "distancing_cues")
    distancing = tables["claims"].filter(pl.col("stance") == "distancing")
    assert result.height == distancing.height > 0
    assert set(result["cue_lemma"]) == set(distancing["cue_lemma"])
    assert {"claim", "allege"} & set(result["cue_lemma"])  # the classic distancing verbs
    neutral = set(tables["claims"].filter(pl.col("stance") == "neutral")["cue_lemma"])
    assert "say" in neutral and "say" not in set(result["cue_lemma"])


def test_numeric_claims_compared_across_speakers(warehouse, tables) -> None:
    result = run(warehouse, "numeric_claims_compared")
    assert result.height > 0
    per_unit = result.group_by("unit").agg(pl.col("speaker").n_unique().alias("speakers"))
    assert per_unit["speakers"].min() >= 2
    assert (result["lowest"] <= result["highest"]).all()
    percent = result.filter(pl.col("unit") == "percentage")
    cited = (
        tables["quantities"]
        .filter(pl.col("normalized_unit") == "percentage")
        .join(tables["claims"].select("claim_id", "speaker_id"), on="claim_id")
        .filter(pl.col("speaker_id").is_not_null())
    )
    assert percent["n_mentions"].sum() == cited.height


def test_speaker_over_time(warehouse, tables) -> None:
    top = (
        tables["speakers"]
        .sort(["n_claims", "speaker_id"], descending=[True, False])
        .row(0, named=True)
    )
    warehouse.execute("SET VARIABLE speaker = $name", {"name": top["canonical_name"].upper()})
    result = run(warehouse, "speaker_over_time")
    same_name = tables["speakers"].filter(
        pl.col("canonical_name").str.to_lowercase() == top["canonical_name"].lower()
    )
    assert result["n_claims"].sum() == same_name["n_claims"].sum() >= 10
    months = result["month"].drop_nulls().to_list()
    assert months == sorted(months) and all(m.day == 1 for m in months)


def test_queries_answer_the_same_on_the_release_catalog(
    warehouse, corpus_release: CorpusRelease, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(corpus_release.path)
    con = duckdb.connect(str(Path("catalog.duckdb")), read_only=True)
    try:
        for name in ("top_speakers_per_outlet", "distancing_cues", "numeric_claims_compared"):
            assert run(con, name).equals(run(warehouse, name)), name
    finally:
        con.close()
