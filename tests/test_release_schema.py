"""The public schema is a contract: it matches the committed snapshot, and the files match it.

A failing first test means a column of a public table changed. If that is deliberate, bump
`pipeline.release.public.SCHEMA_VERSION` and run `python -m pipeline.release.snapshot`.
"""

from __future__ import annotations

import json

import polars as pl

from pipeline.release.public import SCHEMA_VERSION, public_schema
from pipeline.release.snapshot import SNAPSHOT_PATH
from tests.release_corpus import CorpusRelease

pytest_plugins = ["tests.release_corpus"]


def test_public_schema_matches_the_committed_snapshot() -> None:
    snapshot = json.loads(SNAPSHOT_PATH.read_text(encoding="utf-8"))
    assert public_schema(include_text=True) == snapshot["tables"]
    assert snapshot["schema_version"] == SCHEMA_VERSION


def test_released_files_have_exactly_the_public_schema(corpus_release: CorpusRelease) -> None:
    expected = public_schema(include_text=False)
    manifest = json.loads((corpus_release.path / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["schema_version"] == SCHEMA_VERSION
    for table, info in manifest["tables"].items():
        schema = pl.read_parquet_schema(corpus_release.path / info["path"])
        assert {name: str(dtype) for name, dtype in schema.items()} == expected[table], table
    assert "text" in public_schema(include_text=True)["documents"]
    assert "text" not in expected["documents"] and "text_sha256" in expected["documents"]
