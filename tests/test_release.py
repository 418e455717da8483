"""The released dataset, cut from a warehouse of 1,000 real articles (news-2022).

Checks what a downloader relies on: the manifest matches the files, two builds are identical,
no article text by default, the DuckDB catalog works from a copy, Croissant validates offline,
and Polars, pandas and Hugging Face `datasets` read every table.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import socket
from pathlib import Path

import duckdb
import polars as pl
import pytest
import yaml

from pipeline.release import ReleaseError, build_release
from pipeline.release.manifest import verify
from pipeline.release.public import PUBLIC_TABLES, TEXT_COLUMNS, public_columns
from tests.release_corpus import VERSION, CorpusRelease

pytest_plugins = ["tests.release_corpus"]


def manifest(root: Path) -> dict:
    return json.loads((root / "manifest.json").read_text(encoding="utf-8"))


def test_manifest_lists_every_file_with_matching_sha256(corpus_release: CorpusRelease) -> None:
    root = corpus_release.path
    data = manifest(root)
    listed = {f["path"] for f in data["files"]} | {f["path"] for f in data["unhashed_files"]}
    on_disk = {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}
    assert on_disk == listed | {"manifest.json"}
    for entry in data["files"]:
        path = root / entry["path"]
        assert entry["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
        assert entry["bytes"] == path.stat().st_size
    for info in data["tables"].values():
        assert pl.read_parquet(root / info["path"]).height == info["rows"]
    assert data["tables"]["documents"]["rows"] >= 950  # a few of the 1,000 lines are rejected
    assert data["schema_version"] and data["extractor_versions"]
    assert verify(root) == []
    (root / "data" / "speakers.parquet").write_bytes(b"tampered")
    try:
        assert verify(root) == ["data/speakers.parquet"]
    finally:  # restore for the other tests of the session
        build_release(corpus_release.settings.parquet_dir, VERSION, root.parent)


def test_two_builds_are_byte_identical(corpus_release: CorpusRelease, tmp_path: Path) -> None:
    first = corpus_release.path
    second = build_release(corpus_release.settings.parquet_dir, VERSION, tmp_path).path
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    unhashed = {f["path"] for f in manifest(first)["unhashed_files"]}
    assert unhashed == {"catalog.duckdb"}
    for rel in files:
        if rel.as_posix() not in unhashed:
            assert (first / rel).read_bytes() == (second / rel).read_bytes(), rel
    views = "select view_name, sql from duckdb_views() where not internal order by 1"
    sql = []
    for root in (first, second):
        con = duckdb.connect(str(root / "catalog.duckdb"), read_only=True)
        try:
            sql.append(con.execute(views).fetchall())
        finally:
            con.close()
    assert sql[0] == sql[1] and len(sql[0]) == len(PUBLIC_TABLES) + 1


def test_no_article_text_unless_asked(corpus_release: CorpusRelease, tmp_path: Path) -> None:
    root = corpus_release.path
    for table, columns in TEXT_COLUMNS.items():
        names = pl.read_parquet_schema(root / "data" / f"{table}.parquet").names()
        assert not set(columns) & set(names), table
    docs = pl.read_parquet(root / "data" / "documents.parquet")
    assert docs["text_sha256"].str.len_chars().min() == 64 and docs["url"].null_count() == 0
    claims = pl.read_parquet(root / "data" / "claims.parquet")
    assert claims["content"].str.len_chars().min() > 0  # the claim texts are the dataset

    with_text = build_release(
        corpus_release.settings.parquet_dir, VERSION, tmp_path, include_text=True
    ).path
    docs = pl.read_parquet(with_text / "data" / "documents.parquet")
    sentences = pl.read_parquet(with_text / "data" / "sentences.parquet")
    text = dict(zip(docs["doc_id"], docs["text"], strict=True))
    for row in sentences.sample(200, seed=1).iter_rows(named=True):
        assert text[row["doc_id"]][row["start"] : row["end"]] == row["text"]
    assert "carries the article texts" in (with_text / "README.md").read_text(encoding="utf-8")


def test_catalog_answers_from_a_copy_in_another_folder(
    corpus_release: CorpusRelease, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = tmp_path / "downloads" / "claimbank"
    shutil.copytree(corpus_release.path, copy)
    rows = manifest(copy)["tables"]
    monkeypatch.chdir(copy)  # `cd release && duckdb catalog.duckdb`
    con = duckdb.connect(str(copy / "catalog.duckdb"), read_only=True)
    try:
        assert con.execute("select count(*) from claims").fetchone()[0] == rows["claims"]["rows"]
        enriched = con.execute("select count(*) from claims_enriched").fetchone()[0]
        assert enriched == rows["claims"]["rows"]
    finally:
        con.close()
    monkeypatch.chdir(tmp_path)  # elsewhere: relative paths need file_search_path
    con = duckdb.connect(str(copy / "catalog.duckdb"), read_only=True)
    try:
        with pytest.raises(duckdb.IOException):
            con.execute("select count(*) from speakers").fetchone()
        con.execute(f"SET file_search_path = '{copy}'")
        n = con.execute("select count(*) from speakers").fetchone()[0]
        assert n == rows["speakers"]["rows"]
    finally:
        con.close()


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to open a network connection fails the test."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"network access attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def test_croissant_validates_offline_and_reads_records(
    corpus_release: CorpusRelease, no_network: None
) -> None:
    import mlcroissant as mlc

    root = corpus_release.path
    data = json.loads((root / "croissant.json").read_text(encoding="utf-8"))
    shas = {f["path"]: f["sha256"] for f in manifest(root)["files"]}
    assert {d["contentUrl"]: d["sha256"] for d in data["distribution"]} == {
        p: s for p, s in shas.items() if p.endswith(".parquet")
    }
    dataset = mlc.Dataset(jsonld=root / "croissant.json")  # raises on any validation error
    assert not dataset.metadata.ctx.issues.errors
    for table in PUBLIC_TABLES:
        # a fresh Dataset per record set: mlcroissant 1.1 yields field names instead of records
        # when one Dataset object iterates several record sets
        record = next(iter(mlc.Dataset(jsonld=root / "croissant.json").records(table)))
        names = {c.name for c in public_columns(table, include_text=False)}
        assert {key.split("/", 1)[1] for key in record} == names
    spans = next(iter(dataset.records("claims")))["claims/content_spans"]
    assert spans and {"claims/content_spans/start", "claims/content_spans/end"} <= set(spans[0])


def test_polars_pandas_and_datasets_read_every_table(
    corpus_release: CorpusRelease, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pandas as pd

    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    monkeypatch.setenv("HF_DATASETS_CACHE", str(tmp_path / "hf" / "datasets"))
    from datasets import load_dataset

    root = corpus_release.path
    for table, info in manifest(root)["tables"].items():
        path = root / info["path"]
        expected = [c.name for c in public_columns(table, include_text=False)]
        assert pl.read_parquet(path).columns == expected
        frame = pd.read_parquet(path)
        assert list(frame.columns) == expected and len(frame) == info["rows"]
        hf = load_dataset("parquet", data_files=str(path), split="train")
        assert hf.column_names == expected and hf.num_rows == info["rows"]
    # the card's YAML configs: load a table by config name from the release folder
    speakers = load_dataset(str(root), "speakers", split="train")
    assert speakers.num_rows == manifest(root)["tables"]["speakers"]["rows"]


def test_card_is_generated_from_the_models_and_the_data(corpus_release: CorpusRelease) -> None:
    root = corpus_release.path
    text = (root / "README.md").read_text(encoding="utf-8")
    _, header, body = text.split("---\n", 2)
    meta = yaml.safe_load(header)
    tables = manifest(root)["tables"]
    assert {c["config_name"]: c["data_files"] for c in meta["configs"]} == {
        t: info["path"] for t, info in tables.items()
    }
    assert meta["language"] == ["en"] and meta["license"] == "other"
    assert meta["size_categories"] == ["10K<n<100K"]  # ~18k claims from 1,000 articles
    for table in PUBLIC_TABLES:
        assert f"### `{table}`" in body
        for column in public_columns(table, include_text=False):
            assert f"| `{column.name}` | {column.type_name.replace('|', chr(92) + '|')} |" in body
        assert f"| `{table}` | {tables[table]['rows']:,} |" in body
    for section in ("How to load", "Counts", "How it was made", "Accuracy", "Limitations"):
        assert f"## {section}" in body
    assert "read_parquet('https://" in body and "SET file_search_path" in body
    assert "load_dataset(" in body and "pd.read_parquet" in body and "pl.read_parquet" in body
    assert "@misc{claimbank_0_1_0" in body
    cff = yaml.safe_load((root / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["cff-version"] == "1.2.0" and cff["version"] == VERSION
    assert "date-released" not in cff  # no invented dates: rebuilds stay identical


def test_bad_version_and_missing_warehouse_are_user_errors(
    corpus_release: CorpusRelease, tmp_path: Path
) -> None:
    parquet_dir = corpus_release.settings.parquet_dir
    for bad in ("../escape", "latest", "1.0"):
        with pytest.raises(ReleaseError, match="not like"):
            build_release(parquet_dir, bad, tmp_path)
    with pytest.raises(ReleaseError, match="claimbank run"):
        build_release(tmp_path / "nowhere", VERSION, tmp_path)
    assert not any(tmp_path.iterdir())  # nothing half-written
